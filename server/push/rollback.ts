import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import {
  type BatchItem,
  batches,
  batchItems,
  catalogEntities,
  type NewBatchItem,
  type StagedChange,
  stagedChanges,
  stores,
} from '../../drizzle/schema';
import { AppError, notFound } from '../../lib/errors';
import { writePriority } from '../../lib/sync/classify';
import { fieldSpec, sameValue } from '../../lib/sync/fields';
import type { ChangeOp, FieldValues, Priority } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { refreshCounts } from './batch-queries';
import type { PathChooser } from './cost-model';
import { changeOfItem, liveRollbackItems } from './plans';
import { choosePath, insertBatch, productCount, type SnapshotResult } from './snapshot';

/**
 * Field updates roll back; so do collection joins and leaves (a leave undoes a join), images added
 * or removed (a removed image is attached again: the file stays in Shopify, so it keeps its id),
 * metafield values set or removed, a product created in Shopify (deleted again, with its variants
 * and stock), and what an approval adopted into the master (a create there is removed again). A
 * delete in Shopify is not undone: a product made again would get new ids.
 */
export function rollbackable(item: { op: string; entity: string; side?: string }): boolean {
  if (item.op === 'update' || item.entity === 'membership' || item.entity === 'media' || item.entity === 'metafield') return true;
  return item.op === 'create' && (item.entity === 'product' || item.side === 'master');
}

export function inverseOp(op: ChangeOp): ChangeOp {
  return op === 'create' ? 'delete' : op === 'delete' ? 'create' : 'update';
}

/** Source item id -> the rollback batch still settling it. */
export async function liveRollbacks(db: Executor, sourceBatchId: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ source_item_id: string; batch_id: string }>(db, liveRollbackItems(sourceBatchId));
  return new Map(rows.map((r) => [r.source_item_id, r.batch_id]));
}

/** Why an item of a batch is not rolled back now; null when it is. */
export function rollbackRefusal(item: BatchItem, live: Map<string, string>): string | null {
  const running = live.get(item.id);
  if (running) return `being rolled back by batch ${running}`;
  if (item.status !== 'applied') return item.status === 'rolled_back' ? 'already rolled back' : `not applied (${item.status})`;
  if (!rollbackable(item)) return `a ${item.entity} ${item.op} is not rolled back automatically`;
  return null;
}

/**
 * A rollback batch: every chosen item that was applied gets an item writing its `before` back,
 * expecting Shopify to still hold what we wrote. The source batch's row is locked first, so
 * concurrent requests for one batch queue; an item a running rollback holds is left to it, and
 * a request left with nothing but such items answers 409 naming that rollback.
 */
export async function snapshotRollbackBatch(
  tx: Executor,
  input: { sourceBatchId: string; itemIds?: string[]; createdBy: string; priority?: Priority; choose?: PathChooser },
): Promise<SnapshotResult & { skipped: Array<{ itemId: string; reason: string }> }> {
  const [source] = await tx.select().from(batches).where(eq(batches.id, input.sourceBatchId)).for('update');
  if (!source) throw notFound('batch', input.sourceBatchId);
  const all = await tx.select().from(batchItems).where(eq(batchItems.batchId, source.id)).orderBy(asc(batchItems.id));
  const wanted = input.itemIds ? new Set(input.itemIds) : null;
  const chosen = wanted ? all.filter((i) => wanted.has(i.id)) : all;
  if (wanted && chosen.length < wanted.size) {
    const missing = [...wanted].filter((id) => !all.some((i) => i.id === id));
    throw new AppError('validation:unknown_items', `Not items of this batch: ${missing.join(', ')}`, { itemIds: missing });
  }
  const live = await liveRollbacks(tx, source.id);
  const skipped: Array<{ itemId: string; reason: string }> = [];
  const batchId = randomUUID();
  const items: NewBatchItem[] = [];
  for (const item of chosen) {
    const refusal = rollbackRefusal(item, live);
    if (refusal) {
      skipped.push({ itemId: item.id, reason: refusal });
      continue;
    }
    const id = randomUUID();
    items.push({
      id,
      batchId,
      storeId: source.storeId,
      sourceItemId: item.id,
      side: item.side,
      entity: item.entity,
      entityKey: item.entityKey,
      productKey: item.productKey,
      op: inverseOp(item.op),
      priority:
        item.entity === 'inventory_level' && writePriority(item.entity, item.after ?? item.target, item.before ?? {}) === 'critical'
          ? 'critical'
          : 'high',
      before: item.after ?? item.target,
      target: item.before,
      idempotencyKey: `csd-${id}`,
    });
  }
  if (items.length === 0) throw nothingToRollBack(source.id, chosen, live, skipped);
  const products = productCount(items);
  const priority = input.priority ?? 'high';
  // The path as for a push: Shopify's side by the cost model (the master side is settled in this transaction).
  const [store] = await tx.select().from(stores).where(eq(stores.id, source.storeId));
  const { mode, estimate } = choosePath(
    items.filter((i) => i.side === 'shopify'),
    store?.settings.bulkThreshold,
    input.choose,
  );
  await insertBatch(
    tx,
    {
      id: batchId,
      storeId: source.storeId,
      kind: 'rollback',
      priority,
      priorityOverride: input.priority ?? null,
      mode,
      rollbackOf: source.id,
      createdBy: input.createdBy,
    },
    items,
  );
  return { batchId, items: items.length, products, priority, mode, estimate, skipped };
}

function nothingToRollBack(sourceId: string, chosen: BatchItem[], live: Map<string, string>, skipped: unknown[]): AppError {
  const running = [...new Set(chosen.map((i) => live.get(i.id)).filter((id): id is string => Boolean(id)))];
  if (running.length) {
    return new AppError(
      'conflict:rollback_running',
      `Batch ${sourceId} is being rolled back by batch ${running[0]}; follow that rollback, or roll back again once it has finished`,
      { rollbackBatchId: running[0], rollbackBatchIds: running, skipped },
    );
  }
  return new AppError('conflict:nothing_to_roll_back', 'No applied items to roll back', { skipped });
}

/**
 * Master-side items of a rollback are settled at once, in the transaction that creates it: the
 * master is ours, no Shopify call. The source items and their changes become rolled back, and the
 * source batch's counts follow.
 */
export async function applyMasterSide(tx: Executor, batchId: string, sourceBatchId: string): Promise<void> {
  const items = await tx
    .select()
    .from(batchItems)
    .where(and(eq(batchItems.batchId, batchId), eq(batchItems.side, 'master')))
    .orderBy(asc(batchItems.entity), asc(batchItems.entityKey));
  for (const item of items) {
    const res = await applyMasterItem(tx, item);
    await tx
      .update(batchItems)
      .set({
        status: res.status,
        after: res.status === 'applied' ? item.target : null,
        observed: res.observed ?? null,
        error: res.status === 'drifted' ? 'The master was edited since; left as it is' : null,
        finishedAt: sql`now()`,
      })
      .where(eq(batchItems.id, item.id));
    if (res.status === 'applied' && item.sourceItemId) {
      await tx.update(batchItems).set({ status: 'rolled_back', updatedAt: sql`now()` }).where(eq(batchItems.id, item.sourceItemId));
      await tx.update(stagedChanges).set({ status: 'rolled_back', updatedAt: sql`now()` }).where(changeOfItem(item.sourceItemId));
    }
  }
  if (items.length) await refreshCounts(tx, [sourceBatchId]);
}

/**
 * Restores one master document to the item's target (a create re-adds it, a delete removes it),
 * unless someone edited it since the batch: then the item is drifted and the master left alone.
 */
export async function applyMasterItem(
  tx: Executor,
  item: Pick<BatchItem, 'storeId' | 'entity' | 'entityKey' | 'productKey' | 'op' | 'before' | 'target'> & {
    entity: StagedChange['entity'];
  },
): Promise<{ status: 'applied' | 'drifted'; observed?: FieldValues }> {
  const where = and(
    eq(catalogEntities.storeId, item.storeId),
    eq(catalogEntities.entity, item.entity),
    eq(catalogEntities.key, item.entityKey),
  );
  const [row] = await tx.select().from(catalogEntities).where(where).for('update');
  const local = row?.local ?? null;
  const names = Object.keys(item.target ?? item.before ?? {});
  const current = Object.fromEntries(names.map((n) => [n, local?.[n] ?? null]));
  const expected = item.before;
  const moved =
    item.op === 'create'
      ? local !== null
      : local === null || names.some((n) => !sameValue(fieldSpec(item.entity, n), current[n], expected?.[n]));
  if (moved) return { status: 'drifted', observed: current };
  const next = item.op === 'delete' ? null : { ...(local ?? {}), ...item.target };
  if (row) await tx.update(catalogEntities).set({ local: next, localUpdatedAt: sql`now()`, updatedAt: sql`now()` }).where(where);
  else {
    await tx.insert(catalogEntities).values({
      storeId: item.storeId,
      entity: item.entity,
      key: item.entityKey,
      productKey: item.productKey,
      local: next,
      localUpdatedAt: new Date(),
    });
  }
  return { status: 'applied' };
}
