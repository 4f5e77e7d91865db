import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, conflict } from '../../lib/errors';
import { ENTITY_LABELS, fieldSpec } from '../../lib/sync/fields';
import { splitMetafieldKey } from '../../lib/sync/metafields';
import type { ChangeOp, EntityType, FieldValues } from '../../lib/sync/model';
import { type EntityAt, valuesAt } from '../../lib/sync/point-in-time';
import { findProductRow } from '../catalog/products';
import type { Executor } from '../db/client';
import { pgTextArray, queryRows } from '../db/rows';
import type { Logger } from '../logger';
import type { RealtimeHub } from '../realtime/hub';
import { publishStaged } from '../staging/events';
import { applyLocalWrites, type LocalWrite } from './edits';

/** POST /api/products/:id/revert: the point in time, the fields to revert (all when absent), a preview without staging. */
export const revertSchema = z.strictObject({
  at: z.iso.datetime({ offset: true }),
  fields: z.array(z.string().trim().min(1).max(100)).min(1).max(100).optional(),
  dryRun: z.boolean().optional(),
  storeId: z.uuid().optional(),
});
export type RevertInput = z.infer<typeof revertSchema>;

/** Fields a revert leaves alone: an image's URL is Shopify's (a new picture is a remove and an add), options are reshaped, not set. */
const NOT_REVERTED_FIELDS = new Set(['src', 'options']);

interface WriteRow extends Record<string, unknown> {
  entity: EntityType;
  entity_key: string;
  op: ChangeOp;
  before: FieldValues | null;
  after: FieldValues | null;
  at: string | Date;
}

interface RowNow extends Record<string, unknown> {
  entity: EntityType;
  key: string;
  local: FieldValues | null;
  label: string | null;
}

/** One field the revert sets in the master: what the master holds now and what it held at T. */
export interface RevertField {
  name: string;
  label: string;
  current: unknown;
  target: unknown;
}

export interface RevertPlanEntry {
  entity: EntityType;
  entityKey: string;
  label: string;
  fields: RevertField[];
}

export interface RevertSkip {
  entity: EntityType;
  entityKey: string;
  label: string;
  reason: string;
}

/** Writes that landed on the product's rows (pushed, adopted, rolled back), with when they settled. */
const landedWrites = (storeId: string, productKey: string) =>
  sql`select i.entity, i.entity_key, i.op, i.before, i.after, coalesce(i.finished_at, b.finished_at, i.updated_at) as at
      from batch_items i join batches b on b.id = i.batch_id
      where i.store_id = ${storeId} and (i.product_key = ${productKey} or (i.entity = 'product' and i.entity_key = ${productKey}))
        and i.status in ('applied', 'rolled_back')`;

/** The product's rows as the master holds them now, with what names them (variant title, location). */
const rowsNow = (storeId: string, keys: string[]) =>
  sql`select e.entity, e.key, e.local,
        case e.entity
          when 'product' then 'Product'
          when 'variant' then 'Variant ' || coalesce(e.meta->>'title', e.local->>'sku', e.remote->>'sku', e.key)
          when 'inventory_level' then 'Stock of ' || coalesce(v.meta->>'title', 'a variant') || ' at ' || coalesce(l.name, 'a location')
          when 'membership' then 'In collection ' || coalesce(c.local->>'title', c.remote->>'title', split_part(e.key, '|', 1))
          when 'metafield' then 'Metafield ' || split_part(e.key, '|', 2)
          when 'media' then 'Image ' || coalesce(e.local->>'position', e.remote->>'position', '')
        end as label
      from catalog_entities e
      left join catalog_entities v on e.entity = 'inventory_level' and v.store_id = e.store_id and v.entity = 'variant'
        and v.key = e.meta->>'variantId'
      left join locations l on e.entity = 'inventory_level' and l.store_id = e.store_id and l.id = split_part(e.key, '|', 2)
      left join catalog_entities c on e.entity = 'membership' and c.store_id = e.store_id and c.entity = 'collection'
        and c.key = split_part(e.key, '|', 1)
      where e.store_id = ${storeId} and e.key = any(${pgTextArray(keys)}::text[])`;

const same = (entity: EntityType, name: string, a: unknown, b: unknown) => {
  const spec = fieldSpec(entity, name);
  const x = spec ? spec.normalize(a) : a;
  const y = spec ? spec.normalize(b) : b;
  return JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
};

/** One entity's part of the revert: the write that brings the master back to T, or why it is left alone. */
function planEntity(
  at: EntityAt,
  now: RowNow | undefined,
  productKey: string,
  only: ReadonlySet<string> | null,
): { entry?: RevertPlanEntry; write?: LocalWrite; skip?: RevertSkip } {
  const label = now?.label ?? `${ENTITY_LABELS[at.entity]} ${at.entityKey}`;
  const base = { entity: at.entity, entityKey: at.entityKey, label };
  if (at.entity === 'membership') {
    if (only && !only.has('member')) return {};
    const then = !at.absent && !at.createdAfter;
    const isMember = now?.local != null && now.local.member === true;
    if (then === isMember) return {};
    return {
      entry: { ...base, fields: [{ name: 'member', label: 'In collection', current: isMember, target: then }] },
      write: { entity: 'membership', key: at.entityKey, values: { member: then } },
    };
  }
  const names = Object.keys(at.fields).filter((n) => (!only || only.has(n)) && !NOT_REVERTED_FIELDS.has(n) && fieldSpec(at.entity, n));
  if (names.length === 0) return {};
  if (at.createdAfter || at.absent) {
    if (!now?.local) return {};
    return { skip: { ...base, reason: 'created after T, not reverted' } };
  }
  if (!now?.local) return { skip: { ...base, reason: 'deleted after T, not restored' } };
  const fields = names
    .filter((n) => !same(at.entity, n, now.local![n], at.fields[n]))
    .map((n) => ({ name: n, label: fieldSpec(at.entity, n)!.label, current: now.local![n] ?? null, target: at.fields[n] ?? null }));
  if (fields.length === 0) return {};
  const values = Object.fromEntries(fields.map((f) => [f.name, f.target]));
  const entry = { ...base, fields };
  if (at.entity !== 'metafield') return { entry, write: { entity: at.entity, key: at.entityKey, values } };
  const place = splitMetafieldKey(at.entityKey);
  return {
    entry,
    write: {
      entity: 'metafield',
      key: at.entityKey,
      values,
      productKey,
      ownerId: place.ownerId,
      namespace: place.namespace,
      metafieldKey: place.key,
    },
  };
}

/**
 * Reverts a product (or some of its fields) to how it was at `at`: for each field the history
 * names, its value at T (lib/sync/point-in-time) against the master now; the differences are
 * written to the master as a local edit (the PATCH's path), so they are staged as ordinary outgoing
 * changes, marked `revert` with T, for a person to approve and push. Nothing is written to Shopify
 * here. Rows made after T are listed, not deleted. `dryRun` plans without writing.
 */
export async function revertProduct(
  db: Executor,
  hub: RealtimeHub,
  idOrKey: string,
  input: RevertInput,
  logger?: Logger,
): Promise<{
  product: { id: string; key: string; storeId: string };
  at: string;
  planned: RevertPlanEntry[];
  notReverted: RevertSkip[];
  changeIds: string[];
}> {
  const at = new Date(input.at);
  if (at.getTime() > Date.now()) throw new AppError('validation', 'Invalid body: at: is in the future; give a time in the past');
  const product = await findProductRow(db, idOrKey, input.storeId);
  const storeId = product.store_id;
  if (product.local === null)
    throw conflict('deleted_locally', 'This product was deleted in the master; approve or reject that change first');
  const writes = await queryRows<WriteRow>(db, landedWrites(storeId, product.key));
  const entities = valuesAt(
    writes.map((w) => ({ entity: w.entity, entityKey: w.entity_key, op: w.op, before: w.before, after: w.after, at: new Date(w.at) })),
    at,
  ).filter((e) => e.entity !== 'collection');
  const now = await queryRows<RowNow>(db, rowsNow(storeId, [...new Set(entities.map((e) => e.entityKey))]));
  const only = input.fields ? new Set(input.fields) : null;
  const planned: RevertPlanEntry[] = [];
  const notReverted: RevertSkip[] = [];
  const localWrites: LocalWrite[] = [];
  for (const e of entities) {
    const part = planEntity(
      e,
      now.find((r) => r.entity === e.entity && r.key === e.entityKey),
      product.key,
      only,
    );
    if (part.entry) planned.push(part.entry);
    if (part.write) localWrites.push(part.write);
    if (part.skip) notReverted.push(part.skip);
  }
  const answer = { product: { id: product.id, key: product.key, storeId }, at: at.toISOString(), planned, notReverted };
  if (input.dryRun || localWrites.length === 0) return { ...answer, changeIds: [] };
  const run = async (tx: Executor) => {
    const result = await applyLocalWrites(tx, storeId, localWrites, 'edit', logger);
    const touched = localWrites.map((w) => ({ entity: w.entity, key: w.key }));
    const marked = await queryRows<{ id: string }>(
      tx,
      sql`update staged_changes c set origin = 'revert', origin_at = ${at.toISOString()}::timestamptz, updated_at = now()
          from jsonb_to_recordset(${JSON.stringify(touched)}::jsonb) as x(entity text, key text)
          where c.store_id = ${storeId} and c.entity = x.entity and c.entity_key = x.key
            and c.kind in ('outgoing', 'conflict') and c.status = 'pending'
          returning c.id`,
    );
    return { result, changeIds: marked.map((m) => m.id) };
  };
  const { result, changeIds } = await (db as { transaction: <T>(fn: (tx: Executor) => Promise<T>) => Promise<T> }).transaction(run);
  await publishStaged(hub, storeId, result, 'edit');
  return { ...answer, changeIds };
}
