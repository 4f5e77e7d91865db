import { and, asc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import { type Batch, type BatchCounts, type BatchItem, batches, batchItems } from '../../drizzle/schema';
import { csvText } from '../../lib/csv';
import { notFound } from '../../lib/errors';
import { ENTITY_LABELS } from '../../lib/sync/fields';
import type { BatchItemStatus, BatchKind, BatchStatus } from '../../lib/sync/model';
import { valueNamesOf } from '../catalog/references';
import type { Executor } from '../db/client';
import { keyset } from '../db/keyset';
import { queryRows } from '../db/rows';
import { batchTouches, entityLabels, itemStatusCounts, itemStatusCountsOf, sourceBatches } from './plans';

/** What a rollback rolled back, enough to name it ("Rollback of Push - 368 changes - 10:25"). */
export interface SourceBatchSummary {
  id: string;
  kind: BatchKind;
  total: number;
  createdAt: string;
}

/**
 * A batch as the API shows it. `counts` are counted from its items when given (the list and the
 * detail do): one source for the header, the list's columns and the rows.
 */
export function presentBatch(b: Batch, live?: { counts: BatchCounts; source?: SourceBatchSummary | null }) {
  return {
    id: b.id,
    storeId: b.storeId,
    kind: b.kind,
    status: b.status,
    priority: b.priorityOverride ?? b.priority,
    priorityOverridden: Boolean(b.priorityOverride),
    mode: b.mode,
    rollbackOf: b.rollbackOf,
    operationId: b.operationId,
    createdBy: b.createdBy,
    counts: live?.counts ?? b.counts,
    rollbackOfBatch: live?.source ?? null,
    error: b.error,
    createdAt: b.createdAt.toISOString(),
    startedAt: b.startedAt?.toISOString() ?? null,
    finishedAt: b.finishedAt?.toISOString() ?? null,
  };
}

/** Newest first. */
const batchPages = keyset({
  key: { column: batches.createdAt, type: 'timestamptz' },
  id: { column: batches.id, type: 'uuid' },
  direction: 'desc',
});
const itemPages = keyset({ id: { column: batchItems.id, type: 'uuid' }, direction: 'asc' });

export async function listBatches(
  db: Executor,
  q: { storeId?: string; kind?: BatchKind; status?: BatchStatus; q?: string; cursor?: string; limit: number },
) {
  const where: SQL[] = [];
  if (q.storeId) where.push(eq(batches.storeId, q.storeId));
  if (q.kind) where.push(eq(batches.kind, q.kind));
  if (q.status) where.push(eq(batches.status, q.status));
  if (q.q) where.push(batchTouches(q.q));
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(batches)
    .where(and(...where));
  const query = db
    .select({ ...getTableColumns(batches), cursorKey: batchPages.cursorKey })
    .from(batches)
    .$dynamic();
  const page = await batchPages.select(query, where, q, (b) => ({ key: b.cursorKey, id: b.id }));
  const ids = page.items.map((b) => b.id);
  const rows = ids.length ? await queryRows<{ batch_id: string; status: string; n: number }>(db, itemStatusCountsOf(ids)) : [];
  const sources = await sourcesOf(db, page.items);
  const items = page.items.map((b) =>
    presentBatch(b, {
      counts: countsOf(rows.filter((r) => r.batch_id === b.id)),
      source: b.rollbackOf ? sources.get(b.rollbackOf) : null,
    }),
  );
  return { items, total: Number(count?.n ?? 0), nextCursor: page.nextCursor };
}

async function sourcesOf(db: Executor, list: Batch[]): Promise<Map<string, SourceBatchSummary>> {
  const ids = [...new Set(list.map((b) => b.rollbackOf).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: string; kind: BatchKind; total: number; created_at: string | Date }>(db, sourceBatches(ids));
  return new Map(
    rows.map((r) => [r.id, { id: r.id, kind: r.kind, total: Number(r.total), createdAt: new Date(r.created_at).toISOString() }]),
  );
}

/** Display context of items: the product title and a label for the entity (variant title, location). */
export async function itemLabels(
  db: Executor,
  items: BatchItem[],
): Promise<Map<string, { productTitle: string | null; entityLabel: string }>> {
  const out = new Map<string, { productTitle: string | null; entityLabel: string }>();
  if (items.length === 0) return out;
  const storeId = items[0]!.storeId;
  const keys = [...new Set(items.flatMap((i) => [i.productKey ?? i.entityKey, i.entityKey]))];
  const rows = await queryRows<LabelRow>(db, entityLabels(storeId, keys));
  const byKey = new Map(rows.map((r) => [`${r.entity}|${r.key}`, r]));
  for (const item of items) {
    const product = byKey.get(`product|${item.productKey ?? item.entityKey}`);
    const own = byKey.get(`${item.entity}|${item.entityKey}`);
    out.set(item.id, {
      productTitle: product?.title ?? (item.target?.title as string | undefined) ?? null,
      entityLabel: `${ENTITY_LABELS[item.entity]}: ${entityDetail(item, own, product?.title)}`,
    });
  }
  return out;
}

interface LabelRow extends Record<string, unknown> {
  entity: string;
  key: string;
  title: string | null;
  meta: Record<string, unknown> | null;
  variant_title: string | null;
  location_name: string | null;
  collection_title: string | null;
}

/** What names an item within its product: the variant, the stock of a variant at a location, the collection, the image. */
function entityDetail(item: BatchItem, own: LabelRow | undefined, productTitle: string | null | undefined): string {
  const [first, second] = item.entityKey.split('|');
  switch (item.entity) {
    case 'variant':
      return (own?.meta?.title as string | undefined) ?? (item.target?.sku as string | undefined) ?? item.entityKey;
    case 'inventory_level':
      return `${own?.variant_title ?? 'item'} at ${own?.location_name ?? second}`;
    case 'membership':
      return own?.collection_title ?? first!;
    case 'media': {
      const position = item.target?.position ?? item.before?.position;
      return position === undefined || position === null ? 'an image' : `image #${position}`;
    }
    default:
      return productTitle ?? (item.target?.title as string | undefined) ?? item.entityKey;
  }
}

export function presentItem(
  item: BatchItem,
  label?: { productTitle: string | null; entityLabel: string },
  valueNames: Record<string, string> = {},
) {
  return {
    id: item.id,
    stagedChangeId: item.stagedChangeId,
    sourceItemId: item.sourceItemId,
    side: item.side,
    entity: item.entity,
    entityId: item.entityKey,
    productId: item.productKey,
    productTitle: label?.productTitle ?? null,
    entityLabel: label?.entityLabel ?? item.entityKey,
    op: item.op,
    priority: item.priority,
    status: item.status,
    before: item.before,
    target: item.target,
    after: item.after,
    observed: item.observed,
    /** Names of the categories and reference metafield targets in the item's documents, by GID: people read names, not ids. */
    valueNames,
    error: item.error,
    attempts: item.attempts,
    deadLetter: item.status === 'dead',
    startedAt: item.startedAt?.toISOString() ?? null,
    finishedAt: item.finishedAt?.toISOString() ?? null,
  };
}

/** A batch's counts, from its items: an item rolled back since was applied, and counts as rolled back too. */
export async function batchCounts(db: Executor, batchId: string): Promise<BatchCounts> {
  return countsOf(await queryRows<{ status: string; n: number }>(db, itemStatusCounts(batchId)));
}

function countsOf(rows: Array<{ status: string; n: number }>): BatchCounts {
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  return {
    total: rows.reduce((s, r) => s + Number(r.n), 0),
    applied: (by.applied ?? 0) + (by.rolled_back ?? 0),
    failed: by.failed ?? 0,
    drifted: by.drifted ?? 0,
    cancelled: by.cancelled ?? 0,
    dead: by.dead ?? 0,
    rolledBack: by.rolled_back ?? 0,
  };
}

/**
 * The counts of batches whose items a rollback just restored follow (their "rolled back" count).
 * The batch row is locked before its items are counted: two units settling at once then count one
 * after the other, the second seeing the first's items, so neither overwrites the other's count.
 */
export async function refreshCounts(db: Executor, batchIds: Iterable<string>): Promise<void> {
  for (const id of [...new Set(batchIds)].sort()) {
    await db.select({ id: batches.id }).from(batches).where(eq(batches.id, id)).for('update');
    await db
      .update(batches)
      .set({ counts: await batchCounts(db, id), updatedAt: sql`now()` })
      .where(eq(batches.id, id));
  }
}

export async function getBatch(db: Executor, id: string): Promise<Batch> {
  const [b] = await db.select().from(batches).where(eq(batches.id, id));
  if (!b) throw notFound('batch', id);
  return b;
}

export async function batchItemsPage(db: Executor, batchId: string, q: { status?: BatchItemStatus; cursor?: string; limit: number }) {
  const where: SQL[] = [eq(batchItems.batchId, batchId)];
  if (q.status) where.push(eq(batchItems.status, q.status));
  const page = await itemPages.select(db.select().from(batchItems).$dynamic(), where, q, (i) => ({ id: i.id }));
  const l = await itemLabels(db, page.items);
  const names = page.items.length
    ? await valueNamesOf(
        db,
        page.items[0]!.storeId,
        page.items.flatMap((i) => [i.before, i.target, i.after, i.observed]),
      )
    : {};
  return { items: page.items.map((i) => presentItem(i, l.get(i.id), names)), nextCursor: page.nextCursor };
}

export async function batchDetail(db: Executor, id: string, q: { status?: BatchItemStatus; cursor?: string; limit: number }) {
  const batch = await getBatch(db, id);
  const [items, counts, sources] = await Promise.all([batchItemsPage(db, id, q), batchCounts(db, id), sourcesOf(db, [batch])]);
  const deadLetters = await db
    .select({ id: batchItems.id })
    .from(batchItems)
    .where(and(eq(batchItems.batchId, id), eq(batchItems.status, 'dead')));
  const source = batch.rollbackOf ? sources.get(batch.rollbackOf) : null;
  return {
    ...presentBatch(batch, { counts, source }),
    items: items.items,
    nextCursor: items.nextCursor,
    deadLetters: deadLetters.map((d) => d.id),
  };
}

export async function batchItemsCsv(db: Executor, id: string, status?: BatchItemStatus): Promise<string> {
  await getBatch(db, id);
  const where: SQL[] = [eq(batchItems.batchId, id)];
  if (status) where.push(eq(batchItems.status, status));
  const rows = await db
    .select()
    .from(batchItems)
    .where(and(...where))
    .orderBy(asc(batchItems.id));
  const l = await itemLabels(db, rows);
  const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));
  const header = ['item_id', 'status', 'entity', 'entity_id', 'product_title', 'entity_label', 'op'];
  return csvText([
    [...header, 'before', 'target', 'shopify_now', 'error', 'attempts'],
    ...rows.map((r) => {
      const label = l.get(r.id);
      const cells = [r.id, r.status, r.entity, r.entityKey, label?.productTitle ?? '', label?.entityLabel ?? '', r.op];
      return [...cells, json(r.before), json(r.target), json(r.observed), r.error ?? '', r.attempts];
    }),
  ]);
}
