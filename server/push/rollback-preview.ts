import { asc, eq } from 'drizzle-orm';
import { type BatchItem, batchItems } from '../../drizzle/schema';
import type { FieldValues } from '../../lib/sync/model';
import { valueNamesOf } from '../catalog/references';
import type { Executor } from '../db/client';
import { judge } from './apply';
import { getBatch, itemLabels } from './batch-queries';
import type { ShopifyPort } from './port';
import { inverseOp, liveRollbacks, rollbackRefusal } from './rollback';

interface PreviewLine {
  itemId: string;
  entity: string;
  entityId: string;
  productTitle: string | null;
  entityLabel: string;
}

export interface RollbackPreview {
  batchId: string;
  restore: Array<PreviewLine & { from: unknown; to: unknown }>;
  skipped: Array<PreviewLine & { reason: string; observed?: unknown }>;
  /** Names of the categories and reference metafield targets in the values shown, by GID. */
  valueNames?: Record<string, string>;
}

async function withNames(db: Executor, storeId: string, preview: RollbackPreview): Promise<RollbackPreview> {
  const docs = [...preview.restore.flatMap((r) => [r.from, r.to]), ...preview.skipped.map((r) => r.observed)];
  return { ...preview, valueNames: await valueNamesOf(db, storeId, docs) };
}

/**
 * What a rollback would do, without doing it: per applied item, whether Shopify (or the master)
 * still holds what the batch wrote (restored) or has moved since (skipped as drifted), named by
 * product and variant. Shopify's side is re-read in one batched read of every entity
 * (port.readEntities), not product by product.
 */
export async function previewRollback(
  db: Executor,
  portFor: (storeId: string) => Promise<ShopifyPort>,
  batchId: string,
  itemIds?: string[],
): Promise<RollbackPreview> {
  const source = await getBatch(db, batchId);
  const all = await db.select().from(batchItems).where(eq(batchItems.batchId, batchId)).orderBy(asc(batchItems.id));
  const wanted = itemIds ? new Set(itemIds) : null;
  const chosen = wanted ? all.filter((i) => wanted.has(i.id)) : all;
  const [live, labels] = await Promise.all([liveRollbacks(db, batchId), itemLabels(db, chosen)]);
  const line = (i: BatchItem): PreviewLine => ({
    itemId: i.id,
    entity: i.entity,
    entityId: i.entityKey,
    productTitle: labels.get(i.id)?.productTitle ?? null,
    entityLabel: labels.get(i.id)?.entityLabel ?? i.entityKey,
  });
  const preview: RollbackPreview = { batchId, restore: [], skipped: [] };
  const shopifyItems: BatchItem[] = [];
  for (const i of chosen) {
    const reason = rollbackRefusal(i, live);
    if (reason) preview.skipped.push({ ...line(i), reason });
    else if (i.side === 'master') preview.restore.push({ ...line(i), from: i.after ?? i.target, to: i.before });
    else shopifyItems.push(i);
  }
  if (shopifyItems.length === 0) return withNames(db, source.storeId, preview);

  const port = await portFor(source.storeId);
  const current = await port.readEntities(shopifyItems.map((i) => ({ entity: i.entity, key: i.entityKey })));
  for (const item of shopifyItems) {
    const now = current.get(item.entityKey) ?? null;
    const asRollback = { ...item, op: inverseOp(item.op), before: item.after ?? item.target, target: item.before };
    if (judge(asRollback, now) === 'drifted') {
      preview.skipped.push({
        ...line(item),
        reason: 'Shopify no longer holds the pushed value',
        observed: now ? pickFields(now, Object.keys(item.before ?? {})) : null,
      });
    } else {
      preview.restore.push({ ...line(item), from: asRollback.before, to: asRollback.target });
    }
  }
  return withNames(db, source.storeId, preview);
}

function pickFields(doc: FieldValues, names: string[]): FieldValues {
  return Object.fromEntries(names.map((n) => [n, doc[n] ?? null]));
}
