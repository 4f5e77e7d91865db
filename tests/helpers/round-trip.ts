import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import * as productRoute from '../../app/api/products/[id]/route';
import type { Batch } from '../../drizzle/schema';
import { fieldSpec, sameValue } from '../../lib/sync/fields';
import type { EntityType } from '../../lib/sync/model';
import type { Executor } from '../../server/db/client';
import { queryRows } from '../../server/db/rows';
import { callRoute } from './api';

/** Shared by the round-trip acceptance tests (round-trip-edges, round-trip-depth). */

export interface PendingChange extends Record<string, unknown> {
  id: string;
  entity: EntityType;
  entity_key: string;
  kind: string;
  op: string;
  fields: Array<{ name: string }>;
}

/** PATCH /api/products/:id as `token`; fails the test unless it answers 200. */
export async function patchProductRoute(token: string, id: string, body: Record<string, unknown>): Promise<void> {
  const res = await callRoute(productRoute.PATCH, { method: 'PATCH', params: { id }, token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

export async function pendingChanges(db: Executor, storeId: string): Promise<PendingChange[]> {
  return queryRows(
    db,
    sql`select id, entity, entity_key, kind, op, fields from staged_changes where store_id = ${storeId} and status = 'pending'`,
  );
}

export async function waitForBatch(db: Executor, batchId: string, timeoutMs = 180_000): Promise<Batch> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    const [b] = await queryRows<Batch & Record<string, unknown>>(db, sql`select status, counts from batches where id = ${batchId}`);
    if (b && ['completed', 'failed', 'cancelled'].includes(b.status)) return b;
  }
  throw new Error(`batch ${batchId} did not finish`);
}

export interface CatalogRow extends Record<string, unknown> {
  entity: EntityType;
  key: string;
  local: Record<string, unknown> | null;
  remote: Record<string, unknown> | null;
}

/**
 * Every entity of the store with its master (`local`) and Shopify (`remote`, as the last full pull
 * read it) documents, and those that differ in any synced field (compared through the field's
 * normalize, lib/sync/fields) or exist on one side only.
 */
export async function compareSides(db: Executor, storeId: string): Promise<{ rows: CatalogRow[]; unequal: CatalogRow[] }> {
  const rows = await queryRows<CatalogRow>(db, sql`select entity, key, local, remote from catalog_entities where store_id = ${storeId}`);
  const unequal = rows.filter((r) => {
    if (!r.local || !r.remote) return r.local !== r.remote;
    const names = new Set([...Object.keys(r.remote), ...Object.keys(r.local)]);
    return [...names].some((name) => !sameValue(fieldSpec(r.entity, name), r.local![name], r.remote![name]));
  });
  return { rows, unequal };
}
