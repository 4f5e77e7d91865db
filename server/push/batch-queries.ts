import { stringify } from 'csv-stringify/sync';
import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import { batches, batchItems, type Batch, type BatchItem } from '../../drizzle/schema';
import { AppError, notFound } from '../../lib/errors';
import { ENTITY_LABELS } from '../../lib/sync/fields';
import type { BatchItemStatus, BatchKind, BatchStatus } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';

export function presentBatch(b: Batch) {
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
    counts: b.counts,
    error: b.error,
    createdAt: b.createdAt.toISOString(),
    startedAt: b.startedAt?.toISOString() ?? null,
    finishedAt: b.finishedAt?.toISOString() ?? null,
  };
}

const cursorOf = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
function parseCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime())) throw new AppError('validation:cursor', 'The cursor is not valid; start from the first page');
  return { at: date, id };
}

export async function listBatches(db: Executor, q: { storeId?: string; kind?: BatchKind; status?: BatchStatus; cursor?: string; limit: number }) {
  const where: SQL[] = [];
  if (q.storeId) where.push(eq(batches.storeId, q.storeId));
  if (q.kind) where.push(eq(batches.kind, q.kind));
  if (q.status) where.push(eq(batches.status, q.status));
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(batches).where(and(...where));
  if (q.cursor) {
    const c = parseCursor(q.cursor);
    where.push(or(lt(batches.createdAt, c.at), and(eq(batches.createdAt, c.at), lt(batches.id, c.id)))!);
  }
  const rows = await db.select().from(batches).where(and(...where)).orderBy(desc(batches.createdAt), desc(batches.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(presentBatch), total: Number(count?.n ?? 0), nextCursor: rows.length > q.limit && last ? cursorOf(last.createdAt, last.id) : null };
}

/** Display context of items: the product title and a label for the entity (variant title, location). */
async function labels(db: Executor, items: BatchItem[]): Promise<Map<string, { productTitle: string | null; entityLabel: string }>> {
  const out = new Map<string, { productTitle: string | null; entityLabel: string }>();
  if (items.length === 0) return out;
  const storeId = items[0]!.storeId;
  const keys = [...new Set(items.flatMap((i) => [i.productKey ?? i.entityKey, i.entityKey]))];
  const rows = await queryRows<{ entity: string; key: string; title: string | null; meta: Record<string, unknown> | null }>(
    db,
    sql`select entity, key, coalesce(local->>'title', remote->>'title', base->>'title') as title, meta from catalog_entities
        where store_id = ${storeId} and key in (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})`,
  );
  const byKey = new Map(rows.map((r) => [`${r.entity}|${r.key}`, r]));
  for (const item of items) {
    const product = byKey.get(`product|${item.productKey ?? item.entityKey}`);
    const own = byKey.get(`${item.entity}|${item.entityKey}`);
    const meta = (own?.meta ?? {}) as Record<string, unknown>;
    const detail =
      item.entity === 'variant'
        ? (meta.title as string | undefined) ?? (item.target?.sku as string | undefined) ?? item.entityKey
        : item.entity === 'inventory_level'
          ? `${(meta.variantTitle as string | undefined) ?? (meta.sku as string | undefined) ?? 'item'} at ${(meta.locationName as string | undefined) ?? item.entityKey.split('|')[1]}`
          : item.entity === 'membership'
            ? (meta.collectionTitle as string | undefined) ?? item.entityKey.split('|')[0]!
            : (product?.title ?? (item.target?.title as string | undefined) ?? item.entityKey);
    out.set(item.id, {
      productTitle: product?.title ?? (item.target?.title as string | undefined) ?? null,
      entityLabel: `${ENTITY_LABELS[item.entity]}: ${detail}`,
    });
  }
  return out;
}

export function presentItem(item: BatchItem, label?: { productTitle: string | null; entityLabel: string }) {
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
    error: item.error,
    attempts: item.attempts,
    deadLetter: item.status === 'dead',
    startedAt: item.startedAt?.toISOString() ?? null,
    finishedAt: item.finishedAt?.toISOString() ?? null,
  };
}

export async function getBatch(db: Executor, id: string): Promise<Batch> {
  const [b] = await db.select().from(batches).where(eq(batches.id, id));
  if (!b) throw notFound('batch', id);
  return b;
}

export async function batchItemsPage(db: Executor, batchId: string, q: { status?: BatchItemStatus; cursor?: string; limit: number }) {
  const where: SQL[] = [eq(batchItems.batchId, batchId)];
  if (q.status) where.push(eq(batchItems.status, q.status));
  if (q.cursor) where.push(gt(batchItems.id, q.cursor));
  const rows = await db.select().from(batchItems).where(and(...where)).orderBy(asc(batchItems.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const l = await labels(db, page);
  return { items: page.map((i) => presentItem(i, l.get(i.id))), nextCursor: rows.length > q.limit ? page.at(-1)!.id : null };
}

export async function batchDetail(db: Executor, id: string, q: { status?: BatchItemStatus; cursor?: string; limit: number }) {
  const batch = await getBatch(db, id);
  const items = await batchItemsPage(db, id, q);
  const deadLetters = await db.select({ id: batchItems.id }).from(batchItems).where(and(eq(batchItems.batchId, id), eq(batchItems.status, 'dead')));
  return { ...presentBatch(batch), items: items.items, nextCursor: items.nextCursor, deadLetters: deadLetters.map((d) => d.id) };
}

export async function batchItemsCsv(db: Executor, id: string, status?: BatchItemStatus): Promise<string> {
  await getBatch(db, id);
  const where: SQL[] = [eq(batchItems.batchId, id)];
  if (status) where.push(eq(batchItems.status, status));
  const rows = await db.select().from(batchItems).where(and(...where)).orderBy(asc(batchItems.id));
  const l = await labels(db, rows);
  const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));
  return stringify(
    rows.map((r) => {
      const label = l.get(r.id);
      return [r.id, r.status, r.entity, r.entityKey, label?.productTitle ?? '', label?.entityLabel ?? '', r.op, json(r.before), json(r.target), json(r.observed), r.error ?? '', r.attempts];
    }),
    { header: true, columns: ['item_id', 'status', 'entity', 'entity_id', 'product_title', 'entity_label', 'op', 'before', 'target', 'shopify_now', 'error', 'attempts'] },
  );
}
