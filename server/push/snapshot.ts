import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { batches, batchItems, catalogEntities, stagedChanges, stores, type NewBatchItem, type StagedChange } from '../../drizzle/schema';
import { AppError, notFound } from '../../lib/errors';
import { writePriority } from '../../lib/sync/classify';
import { fieldSpec, sameValue } from '../../lib/sync/fields';
import { type FieldValues, PRIORITIES, type Priority } from '../../lib/sync/model';
import type { Executor } from '../db/client';

/** Products in a batch above which it goes through bulkOperationRunMutation. */
export const DEFAULT_BULK_THRESHOLD = 500;

export interface SnapshotResult {
  batchId: string;
  items: number;
  products: number;
  priority: Priority;
  mode: 'regular' | 'bulk';
}

export function highest(priorities: Iterable<Priority>): Priority {
  let best: Priority = 'batch';
  let any = false;
  for (const p of priorities) {
    any = true;
    if (PRIORITIES.indexOf(p) < PRIORITIES.indexOf(best)) best = p;
  }
  return any ? best : 'normal';
}

/** The Shopify half of an approved change: what Shopify held (before) and what we write (target). */
export function shopifyWrite(change: StagedChange): { before: FieldValues | null; target: FieldValues | null } | null {
  const target = change.target ?? {};
  if (change.op === 'create') {
    const localExists = change.fields.some((f) => f.local !== null);
    const remoteExists = change.fields.some((f) => f.remote !== null);
    if (!localExists || remoteExists) return null;
    return { before: null, target: Object.fromEntries(change.fields.map((f) => [f.name, target[f.name] ?? f.local])) };
  }
  if (change.op === 'delete') {
    const localExists = change.fields.some((f) => f.local !== null);
    if (localExists) return null;
    return { before: Object.fromEntries(change.fields.map((f) => [f.name, f.remote])), target: null };
  }
  const before: FieldValues = {};
  const write: FieldValues = {};
  for (const f of change.fields) {
    if (!(f.name in target)) continue;
    if (sameValue(fieldSpec(change.entity, f.name), target[f.name], f.remote)) continue;
    before[f.name] = f.remote;
    write[f.name] = target[f.name];
  }
  return Object.keys(write).length ? { before, target: write } : null;
}

/**
 * Snapshots every approved change of a store into a new push batch, in one transaction: items carry
 * before and target, the changes become `queued`. The caller enqueues the batch's job in the same
 * transaction so that a batch never exists without the job that runs it.
 */
export async function snapshotPushBatch(
  tx: Executor,
  input: { storeId: string; createdBy: string; priority?: Priority; bulkThreshold?: number },
): Promise<SnapshotResult> {
  const [store] = await tx.select().from(stores).where(eq(stores.id, input.storeId));
  if (!store) throw notFound('store', input.storeId);
  const approved = await tx
    .select()
    .from(stagedChanges)
    .where(and(eq(stagedChanges.storeId, input.storeId), eq(stagedChanges.status, 'approved')))
    .for('update');
  if (approved.length === 0) throw new AppError('conflict:nothing_approved', 'There are no approved changes to push');

  const batchId = randomUUID();
  const items: NewBatchItem[] = [];
  const nothingToWrite: string[] = [];
  for (const change of approved) {
    const write = shopifyWrite(change);
    if (!write) {
      nothingToWrite.push(change.id);
      continue;
    }
    const id = randomUUID();
    items.push({
      id,
      batchId,
      storeId: input.storeId,
      stagedChangeId: change.id,
      side: 'shopify',
      entity: change.entity,
      entityKey: change.entityKey,
      productKey: change.productKey ?? (change.entity === 'product' ? change.entityKey : null),
      op: change.op,
      priority: writePriority(change.entity, write.before, write.target ?? {}),
      before: write.before,
      target: write.target,
      idempotencyKey: `csd-${id}`,
    });
  }
  if (nothingToWrite.length) {
    // Decided values Shopify already holds: settled without a write.
    await tx.update(stagedChanges).set({ status: 'applied', updatedAt: sql`now()` }).where(inArray(stagedChanges.id, nothingToWrite));
  }
  if (items.length === 0) throw new AppError('conflict:nothing_to_write', 'Shopify already holds every approved value');

  const products = new Set(items.map((i) => i.productKey ?? i.entityKey)).size;
  const threshold = input.bulkThreshold ?? store.settings.bulkThreshold ?? DEFAULT_BULK_THRESHOLD;
  const mode = products > threshold ? 'bulk' : 'regular';
  const priority = input.priority ?? (mode === 'bulk' ? 'batch' : highest(items.map((i) => i.priority!)));
  await tx.insert(batches).values({
    id: batchId,
    storeId: input.storeId,
    kind: 'push',
    priority,
    priorityOverride: input.priority ?? null,
    mode,
    createdBy: input.createdBy,
    counts: { total: items.length, applied: 0, failed: 0, drifted: 0, cancelled: 0, dead: 0, rolledBack: 0 },
  });
  for (let i = 0; i < items.length; i += 500) await tx.insert(batchItems).values(items.slice(i, i + 500));
  await tx
    .update(stagedChanges)
    .set({ status: 'queued', batchId, updatedAt: sql`now()` })
    .where(inArray(stagedChanges.id, items.map((i) => i.stagedChangeId!)));
  return { batchId, items: items.length, products, priority, mode };
}

/**
 * A rollback batch: every chosen item that was applied gets an item writing its `before` back,
 * expecting Shopify to still hold what we wrote. Master-side items are restored in the master.
 */
export async function snapshotRollbackBatch(
  tx: Executor,
  input: { sourceBatchId: string; itemIds?: string[]; createdBy: string; priority?: Priority },
): Promise<SnapshotResult & { skipped: Array<{ itemId: string; reason: string }> }> {
  const [source] = await tx.select().from(batches).where(eq(batches.id, input.sourceBatchId));
  if (!source) throw notFound('batch', input.sourceBatchId);
  const all = await tx.select().from(batchItems).where(eq(batchItems.batchId, source.id)).for('update');
  const chosen = input.itemIds ? all.filter((i) => input.itemIds!.includes(i.id)) : all;
  if (input.itemIds) {
    const missing = input.itemIds.filter((id) => !all.some((i) => i.id === id));
    if (missing.length) throw new AppError('validation:unknown_items', `Not items of this batch: ${missing.join(', ')}`, { itemIds: missing });
  }
  const skipped: Array<{ itemId: string; reason: string }> = [];
  const batchId = randomUUID();
  const items: NewBatchItem[] = [];
  for (const item of chosen) {
    if (item.status !== 'applied') {
      skipped.push({ itemId: item.id, reason: item.status === 'rolled_back' ? 'already rolled back' : `not applied (${item.status})` });
      continue;
    }
    if (!rollbackable(item)) {
      skipped.push({ itemId: item.id, reason: `a ${item.entity} ${item.op} is not rolled back automatically` });
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
      priority: item.entity === 'inventory_level' && writePriority(item.entity, item.after ?? item.target, item.before ?? {}) === 'critical' ? 'critical' : 'high',
      before: item.after ?? item.target,
      target: item.before,
      idempotencyKey: `csd-${id}`,
    });
  }
  if (items.length === 0) throw new AppError('conflict:nothing_to_roll_back', 'No applied items to roll back', { skipped });
  const products = new Set(items.map((i) => i.productKey ?? i.entityKey)).size;
  const priority = input.priority ?? 'high';
  await tx.insert(batches).values({
    id: batchId,
    storeId: source.storeId,
    kind: 'rollback',
    priority,
    priorityOverride: input.priority ?? null,
    rollbackOf: source.id,
    createdBy: input.createdBy,
    counts: { total: items.length, applied: 0, failed: 0, drifted: 0, cancelled: 0, dead: 0, rolledBack: 0 },
  });
  for (let i = 0; i < items.length; i += 500) await tx.insert(batchItems).values(items.slice(i, i + 500));
  return { batchId, items: items.length, products, priority, mode: 'regular', skipped };
}

/** Field updates roll back; so do collection joins and leaves (a leave undoes a join). */
export function rollbackable(item: { op: string; entity: string }): boolean {
  return item.op === 'update' || item.entity === 'membership';
}

function inverseOp(op: NewBatchItem['op']): NewBatchItem['op'] {
  return op === 'create' ? 'delete' : op === 'delete' ? 'create' : 'update';
}

/** Master-side rollback items are applied right away: the master is ours, no Shopify call. */
export async function applyMasterItem(tx: Executor, item: { storeId: string; entity: StagedChange['entity']; entityKey: string; before: FieldValues | null; target: FieldValues | null }): Promise<{ status: 'applied' | 'drifted'; observed?: FieldValues }> {
  const [row] = await tx
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, item.storeId), eq(catalogEntities.entity, item.entity), eq(catalogEntities.key, item.entityKey)))
    .for('update');
  const names = Object.keys(item.target ?? {});
  const local = row?.local ?? {};
  const current = Object.fromEntries(names.map((n) => [n, local[n] ?? null]));
  const moved = names.some((n) => !sameValue(fieldSpec(item.entity, n), current[n], item.before?.[n]));
  if (moved) return { status: 'drifted', observed: current };
  await tx
    .update(catalogEntities)
    .set({ local: { ...local, ...item.target }, localUpdatedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(catalogEntities.storeId, item.storeId), eq(catalogEntities.entity, item.entity), eq(catalogEntities.key, item.entityKey)));
  return { status: 'applied' };
}
