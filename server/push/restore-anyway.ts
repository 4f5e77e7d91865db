import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { batches, batchItems, type NewBatchItem } from '../../drizzle/schema';
import { AppError, notFound } from '../../lib/errors';
import type { FieldValues } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { liveRollbacks, rollbackRefusal } from './rollback';
import { insertBatch, productCount, type SnapshotResult } from './snapshot';

/**
 * "Restore anyway": drifted items of a rollback are rolled back once more, now expecting what
 * Shopify (or the master) held when the drift was found (the item's `observed`) rather than what
 * the batch had written. An admin saw that value beside ours and confirmed it; if the entity has
 * moved again since, the new item drifts too, so a value nobody has seen is still never overwritten.
 * The new rollback names the original batch, so its items settle the original items as rolled back.
 */
export async function snapshotRestoreAnyway(
  tx: Executor,
  input: { rollbackBatchId: string; itemIds: string[]; createdBy: string },
): Promise<SnapshotResult & { sourceBatchId: string; storeId: string }> {
  const [rollback] = await tx.select().from(batches).where(eq(batches.id, input.rollbackBatchId));
  if (!rollback) throw notFound('batch', input.rollbackBatchId);
  if (rollback.kind !== 'rollback' || !rollback.rollbackOf) {
    throw new AppError('validation:not_a_rollback', 'Only drifted items of a rollback can be restored anyway');
  }
  const sourceBatchId = rollback.rollbackOf;
  // The original batch's row is the lock every rollback of it takes (snapshotRollbackBatch): one at a time.
  await tx.select({ id: batches.id }).from(batches).where(eq(batches.id, sourceBatchId)).for('update');
  const chosen = await tx
    .select()
    .from(batchItems)
    .where(and(eq(batchItems.batchId, rollback.id), inArray(batchItems.id, input.itemIds)));
  if (chosen.length < new Set(input.itemIds).size) {
    const missing = input.itemIds.filter((id) => !chosen.some((i) => i.id === id));
    throw new AppError('validation:unknown_items', `Not items of this rollback: ${missing.join(', ')}`, { itemIds: missing });
  }
  const notDrifted = chosen.filter((i) => i.status !== 'drifted' || !i.observed || !i.sourceItemId);
  if (notDrifted.length) {
    throw new AppError('conflict:not_drifted', 'Only drifted items with a value seen in Shopify can be restored anyway', {
      itemIds: notDrifted.map((i) => i.id),
    });
  }
  const sources = await tx
    .select()
    .from(batchItems)
    .where(
      inArray(
        batchItems.id,
        chosen.map((i) => i.sourceItemId!),
      ),
    );
  const live = await liveRollbacks(tx, sourceBatchId);
  const refused = sources.map((s) => ({ itemId: s.id, reason: rollbackRefusal(s, live) })).filter((r) => r.reason);
  if (refused.length) {
    throw new AppError('conflict:cannot_restore', `Cannot restore anyway: ${refused.map((r) => r.reason).join('; ')}`, { refused });
  }
  const batchId = randomUUID();
  const items: NewBatchItem[] = chosen.map((item) => {
    const id = randomUUID();
    const names = Object.keys(item.target ?? item.before ?? {});
    const seen = item.observed as FieldValues;
    return {
      id,
      batchId,
      storeId: item.storeId,
      sourceItemId: item.sourceItemId,
      side: item.side,
      entity: item.entity,
      entityKey: item.entityKey,
      productKey: item.productKey,
      op: item.op,
      priority: item.priority,
      before: Object.fromEntries(names.map((n) => [n, seen[n] ?? null])),
      target: item.target,
      idempotencyKey: `csd-${id}`,
    };
  });
  await insertBatch(
    tx,
    { id: batchId, storeId: rollback.storeId, kind: 'rollback', priority: 'high', rollbackOf: sourceBatchId, createdBy: input.createdBy },
    items,
  );
  const products = productCount(items);
  return { batchId, items: items.length, products, priority: 'high', mode: 'regular', sourceBatchId, storeId: rollback.storeId };
}
