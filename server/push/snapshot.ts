import { randomUUID } from 'node:crypto';
import { and, eq, inArray, not, sql } from 'drizzle-orm';
import {
  batches,
  batchItems,
  type NewBatch,
  type NewBatchItem,
  newBatchCounts,
  type StagedChange,
  stagedChanges,
  stores,
} from '../../drizzle/schema';
import { AppError, notFound } from '../../lib/errors';
import { writePriority } from '../../lib/sync/classify';
import { fieldSpec, sameValue } from '../../lib/sync/fields';
import { type FieldValues, PRIORITIES, type Priority } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { forcedPath, type PathChooser, type PathEstimate } from './cost-model';
import { followerItems } from './create-items';
import { heldForWindow } from './plans';

/** Products in a batch above which it is of the BATCH priority class (DESIGN.md), whatever its path. */
export const DEFAULT_BULK_THRESHOLD = 500;

export interface SnapshotResult {
  batchId: string;
  items: number;
  products: number;
  priority: Priority;
  mode: 'regular' | 'bulk';
  /** The cost model's estimate the path was chosen by (absent when no chooser was given). */
  estimate?: PathEstimate;
}

/** How many products a batch's items touch (an item of a product's row counts for its product). */
export function productCount(items: ReadonlyArray<Pick<NewBatchItem, 'productKey' | 'entityKey'>>): number {
  return new Set(items.map((i) => i.productKey ?? i.entityKey)).size;
}

/** Writes a new batch and its items (500 to a statement), none of them settled yet. */
export async function insertBatch(tx: Executor, batch: Omit<NewBatch, 'counts'>, items: readonly NewBatchItem[]): Promise<void> {
  await tx.insert(batches).values({ ...batch, counts: newBatchCounts(items.length) });
  for (let i = 0; i < items.length; i += 500) await tx.insert(batchItems).values(items.slice(i, i + 500));
}

/** The path of a batch: the store's bulkThreshold setting forces it, else the cost model picks the faster. */
export function choosePath(
  items: ReadonlyArray<Pick<NewBatchItem, 'entity' | 'op' | 'productKey' | 'entityKey'>>,
  bulkThreshold: number | undefined,
  choose: PathChooser | undefined,
): { mode: 'regular' | 'bulk'; estimate?: PathEstimate } {
  const products = productCount(items);
  const forced = forcedPath(bulkThreshold, products);
  if (!choose) return { mode: forced ?? (products > DEFAULT_BULK_THRESHOLD ? 'bulk' : 'regular') };
  const estimate = choose(
    items.map((i) => ({ entity: i.entity, op: i.op ?? 'update', unit: i.productKey ?? i.entityKey })),
    forced,
  );
  return { mode: estimate.path, estimate };
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

/** The batch items a push of these approved changes writes, and the changes Shopify already holds (nothing to write). */
export function plannedItems(
  approved: StagedChange[],
  storeId: string,
  batchId: string,
): { items: NewBatchItem[]; nothingToWrite: string[] } {
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
      storeId,
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
  return { items, nothingToWrite };
}

/** The batch's priority class: the admin's choice, BATCH over the threshold, else its most urgent item's. */
export function batchPriority(items: NewBatchItem[], products: number, threshold: number | undefined, chosen?: Priority): Priority {
  return chosen ?? (products > (threshold ?? DEFAULT_BULK_THRESHOLD) ? 'batch' : highest(items.map((i) => i.priority!)));
}

/**
 * Snapshots every approved change of a store into a new push batch, in one transaction: items carry
 * before and target, the changes become `queued`. The caller enqueues the batch's job in the same
 * transaction so that a batch never exists without the job that runs it.
 */
export async function snapshotPushBatch(
  tx: Executor,
  input: {
    storeId: string;
    createdBy: string;
    priority?: Priority;
    bulkThreshold?: number;
    choose?: PathChooser;
    /** Only these changes (a change window's apply); otherwise every approved change not held for its window. */
    changeIds?: string[];
  },
): Promise<SnapshotResult> {
  const [store] = await tx.select().from(stores).where(eq(stores.id, input.storeId));
  if (!store) throw notFound('store', input.storeId);
  const approved = await tx
    .select()
    .from(stagedChanges)
    .where(
      and(
        eq(stagedChanges.storeId, input.storeId),
        eq(stagedChanges.status, 'approved'),
        input.changeIds ? inArray(stagedChanges.id, input.changeIds) : not(heldForWindow()),
      ),
    )
    .for('update');
  if (approved.length === 0) throw new AppError('conflict:nothing_approved', 'There are no approved changes to push');

  const batchId = randomUUID();
  const planned = plannedItems(approved, input.storeId, batchId);
  const { nothingToWrite } = planned;
  const items = [...planned.items, ...(await followerItems(tx, input.storeId, batchId, planned.items))];
  if (nothingToWrite.length) {
    // Decided values Shopify already holds: settled without a write.
    await tx.update(stagedChanges).set({ status: 'applied', updatedAt: sql`now()` }).where(inArray(stagedChanges.id, nothingToWrite));
  }
  if (items.length === 0) throw new AppError('conflict:nothing_to_write', 'Shopify already holds every approved value');

  const products = productCount(items);
  const setting = input.bulkThreshold ?? store.settings.bulkThreshold;
  const { mode, estimate } = choosePath(items, setting, input.choose);
  const priority = batchPriority(items, products, setting, input.priority);
  await insertBatch(
    tx,
    {
      id: batchId,
      storeId: input.storeId,
      kind: 'push',
      priority,
      priorityOverride: input.priority ?? null,
      mode,
      createdBy: input.createdBy,
    },
    items,
  );
  await tx
    .update(stagedChanges)
    .set({ status: 'queued', batchId, updatedAt: sql`now()` })
    .where(
      inArray(
        stagedChanges.id,
        planned.items.map((i) => i.stagedChangeId!),
      ),
    );
  return { batchId, items: items.length, products, priority, mode, estimate };
}
