import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type BatchItem, batchItems, catalogEntities, stagedChanges } from '../../drizzle/schema';
import type { Db } from '../db/client';
import { queryRows } from '../db/rows';
import { bulkVariantIds, inUnit, nextUnit, type RankedBatch } from './plans';

/** Variant updates per bulkOperationRunMutation. */
const BULK_CHUNK = 5000;

/** Items the engine takes and settles together: one product's, or a bulk batch's variant updates. */
export interface Unit {
  batchId: string;
  /** Unique among the units in flight: the product key, or bulkKey(batchId). */
  key: string;
  items: BatchItem[];
  /** What the batch's progress names while the unit is written. */
  label: string;
}

export const bulkKey = (batchId: string) => `bulk:${batchId}`;

/** Takes the next product of the highest-ranked running batch that no unit in flight (`busy`) holds. */
export async function claimProduct(db: Db, running: RankedBatch[], busy: string[]): Promise<Unit | null> {
  if (running.length === 0) return null;
  const [next] = await queryRows<{ batch_id: string; pk: string }>(db, nextUnit(running, busy));
  if (!next) return null;
  const items = await take(db, and(eq(batchItems.batchId, next.batch_id), inUnit(next.pk))!);
  if (items.length === 0) return null;
  return { batchId: next.batch_id, key: next.pk, items, label: await productName(db, items[0]!, next.pk) };
}

/** What progress names a product unit by: its title (written now, or as the catalog knows it), never its Shopify id. */
async function productName(db: Db, item: BatchItem, productKey: string): Promise<string> {
  const written = item.entity === 'product' ? item.target?.title : undefined;
  if (typeof written === 'string' && written) return written;
  const [row] = await db
    .select({ local: catalogEntities.local, remote: catalogEntities.remote })
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, item.storeId), eq(catalogEntities.entity, 'product'), eq(catalogEntities.key, productKey)));
  const title = row?.local?.title ?? row?.remote?.title;
  return typeof title === 'string' && title ? title : 'a product';
}

/** Takes a bulk batch's queued variant updates, for one bulkOperationRunMutation. */
export async function claimBulk(db: Db, batchId: string): Promise<Unit | null> {
  const ids = await queryRows<{ id: string }>(db, bulkVariantIds(batchId, BULK_CHUNK));
  if (ids.length === 0) return null;
  const items = await take(
    db,
    inArray(
      batchItems.id,
      ids.map((r) => r.id),
    ),
  );
  if (items.length === 0) return null;
  return { batchId, key: bulkKey(batchId), items, label: `bulk operation (${items.length} variants)` };
}

/** Shutting down: items a unit took but did not write wait for whoever resumes the store. */
export async function releaseItems(db: Db, items: BatchItem[]): Promise<void> {
  await db
    .update(batchItems)
    .set({ status: 'queued' })
    .where(
      inArray(
        batchItems.id,
        items.map((i) => i.id),
      ),
    );
}

/** Marks the queued items `where` selects applying (one attempt more), and their staged changes with them. */
async function take(db: Db, where: SQL): Promise<BatchItem[]> {
  const items = await db
    .update(batchItems)
    .set({ status: 'applying', attempts: sql`${batchItems.attempts} + 1`, startedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(where, eq(batchItems.status, 'queued')))
    .returning();
  const changeIds = items.map((i) => i.stagedChangeId).filter((x): x is string => Boolean(x));
  for (let i = 0; i < changeIds.length; i += 1000) {
    await db
      .update(stagedChanges)
      .set({ status: 'applying', updatedAt: sql`now()` })
      .where(inArray(stagedChanges.id, changeIds.slice(i, i + 1000)));
  }
  return items;
}
