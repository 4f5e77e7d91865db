import { and, eq, inArray, isNotNull, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { batches, batchItems, stagedChanges } from '../../drizzle/schema';
import { displayValue } from '../../lib/sync/display';
import { fieldSpec } from '../../lib/sync/fields';
import { metafieldLabel } from '../../lib/sync/metafields';
import { LANDED_ITEM_STATUSES } from '../../lib/sync/model';
import { findProductRow } from '../catalog/products';
import { categoryNames } from '../catalog/taxonomy';
import type { Executor } from '../db/client';
import { keyset, pageParams } from '../db/keyset';
import { itemLabels } from './batch-queries';

/** GET /api/products/:id/history: one field's entries (all when absent), a page. */
export const productHistoryQuery = z.strictObject({
  field: z.string().trim().min(1).max(100).optional(),
  storeId: z.uuid().optional(),
  ...pageParams(200, 50),
});
export type ProductHistoryQuery = z.output<typeof productHistoryQuery>;

/** Newest first, by when the write settled. */
const historyPages = keyset({
  key: { column: batchItems.finishedAt, type: 'timestamptz' },
  id: { column: batchItems.id, type: 'uuid' },
  direction: 'desc',
});

const WHAT: Record<string, string> = {
  push: 'Pushed to Shopify',
  adopt: 'Adopted into the master',
  rollback: 'Rolled back',
};

/**
 * A product's timeline: every write that landed on it or its rows (a push to Shopify, an adoption
 * into the master, a rollback), newest first, with who and when, its batch, the entity named
 * within the product, and each field's value before and after; the decision that led to it (who
 * approved, or the automatic rule) and a revert's point in time when it came from one.
 */
export async function productHistory(db: Executor, idOrKey: string, q: ProductHistoryQuery) {
  const product = await findProductRow(db, idOrKey, q.storeId);
  const where: Array<SQL | undefined> = [
    eq(batchItems.storeId, product.store_id),
    or(eq(batchItems.productKey, product.key), and(eq(batchItems.entity, 'product'), eq(batchItems.entityKey, product.key))),
    inArray(batchItems.status, [...LANDED_ITEM_STATUSES]),
    isNotNull(batchItems.finishedAt),
    q.field ? sql`(${batchItems.before} ? ${q.field} or ${batchItems.after} ? ${q.field})` : undefined,
  ];
  const query = db
    .select({
      item: batchItems,
      cursorKey: historyPages.cursorKey,
      batchKind: batches.kind,
      batchCreatedBy: batches.createdBy,
      rollbackOf: batches.rollbackOf,
      decidedBy: stagedChanges.decidedBy,
      autoRule: stagedChanges.autoRule,
      origin: stagedChanges.origin,
      originAt: stagedChanges.originAt,
      source: stagedChanges.source,
    })
    .from(batchItems)
    .innerJoin(batches, eq(batches.id, batchItems.batchId))
    .leftJoin(stagedChanges, eq(stagedChanges.id, batchItems.stagedChangeId))
    .$dynamic();
  const page = await historyPages.select(query, where, q, (r) => ({ key: r.cursorKey, id: r.item.id }));
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(batchItems)
    .where(and(...where));
  const labels = await itemLabels(
    db,
    page.items.map((r) => r.item),
  );
  const names = await categoryNames(
    db,
    page.items.flatMap((r) => [r.item.before?.category, r.item.after?.category]),
  );
  const context = { categoryNames: names };
  const items = page.items.map((r) => {
    const i = r.item;
    const fieldNames = [...new Set([...Object.keys(i.before ?? {}), ...Object.keys(i.after ?? {})])];
    const units = { base: i.before?.weightUnit, local: i.after?.weightUnit };
    return {
      id: i.id,
      at: i.finishedAt!.toISOString(),
      batchId: i.batchId,
      batchKind: r.batchKind,
      what: WHAT[r.batchKind] ?? r.batchKind,
      side: i.side,
      rollbackOf: r.rollbackOf,
      /** Who made the batch (pushed, approved the adoption, rolled back); the decision's author and rule beside it. */
      actor: r.batchCreatedBy,
      decidedBy: r.decidedBy,
      autoRule: r.autoRule,
      origin: r.origin,
      originAt: r.originAt?.toISOString() ?? null,
      source: r.source,
      entity: i.entity,
      entityKey: i.entityKey,
      entityLabel: labels.get(i.id)?.entityLabel ?? i.entityKey,
      op: i.op,
      status: i.status,
      fields: fieldNames.map((name) => ({
        name,
        label: i.entity === 'metafield' ? metafieldLabel(i.entityKey) : (fieldSpec(i.entity, name)?.label ?? name),
        before: i.before?.[name] ?? null,
        after: i.after?.[name] ?? null,
        display: {
          before: displayValue(i.entity, name, i.before?.[name], { ...context, weightUnits: units }, 'base'),
          after: displayValue(i.entity, name, i.after?.[name], { ...context, weightUnits: units }, 'local'),
        },
      })),
    };
  });
  return {
    product: { id: product.id, key: product.key, storeId: product.store_id },
    items,
    total: Number(count?.n ?? 0),
    nextCursor: page.nextCursor,
  };
}
export type ProductHistoryEntry = Awaited<ReturnType<typeof productHistory>>['items'][number];
