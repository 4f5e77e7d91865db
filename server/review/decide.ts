import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { batches, catalogEntities, newBatchCounts, type StagedChange, stagedChanges } from '../../drizzle/schema';
import { AppError, isAppError, notFound } from '../../lib/errors';
import type { ApprovalPlan } from '../../lib/sync/classify';
import { OPEN_CHANGE_STATUSES } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { pgTextArray, queryRows } from '../db/rows';
import { retryTransient } from '../db/transient';
import { type RestageResult, restage } from '../staging/restage';
import {
  applyApproval,
  discardMasterEdit,
  type EntityState,
  followIntoMaster,
  followOptions,
  inventoryItemOf,
  keepMasterValue,
  type MasterItem,
  stateKey,
  stateOf,
} from './master';
import * as plans from './plans';
import { otherChangeOf } from './retry';

/** Who decided: a person, or an auto-approval rule acting for the system. */
export interface Decider {
  id: string;
  rule?: string | null;
}

/** A decision for every change of a request: approve with a plan per change, or reject with a reason. */
export type Decision = { action: 'approve'; plan(change: StagedChange): ApprovalPlan } | { action: 'reject'; reason?: string };

export interface DecisionResult {
  /** The changes decided, as they are now. */
  decided: StagedChange[];
  /**
   * Changes that could not take the decision, with the refusal (not pending, or failed for a
   * reject; a conflict to resolve; a bad value).
   */
  skipped: Array<{ id: string; error: AppError }>;
  /** The adopt batch recording the request's writes into the master, one per store decided in; none when the master was not written. */
  batchIds: string[];
  /** What restaging the rejected entities staged, per store (restores of Shopify to the master's value). */
  restaged: Array<{ storeId: string; result: RestageResult }>;
}

/** The refusal of a decision on a change no longer pending (one message, single or bulk). */
export const notPending = (status: string) => new AppError('conflict:change_not_pending', `This change is ${status}, not pending`);

const resolveConflict = () =>
  new AppError(
    'conflict:resolve_conflict',
    "A conflict is resolved, not rejected: keep the master's value, Shopify's, or give a custom value, and approve that",
  );

/**
 * Decides many changes in one transaction: the catalog rows they touch are locked first (in key
 * order, as staging locks them), then the changes (in id order), so concurrent requests queue
 * instead of deadlocking; a deadlock that happens anyway is retried once. Every write is one
 * set-based statement, and what the request writes into the master is one adopt batch with an item
 * per change (per store, for a filter spanning stores). A change that cannot take the decision is
 * skipped with the refusal.
 */
export async function decideChanges(db: Executor, ids: readonly string[], decision: Decision, by: Decider): Promise<DecisionResult> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { decided: [], skipped: [], batchIds: [], restaged: [] };
  return retryTransient(() => db.transaction((tx) => decideInTransaction(tx, unique, decision, by)));
}

async function decideInTransaction(tx: Executor, ids: string[], decision: Decision, by: Decider): Promise<DecisionResult> {
  const result: DecisionResult = { decided: [], skipped: [], batchIds: [], restaged: [] };
  const seen = await tx
    .select({ id: stagedChanges.id, storeId: stagedChanges.storeId })
    .from(stagedChanges)
    .where(sql`${stagedChanges.id} = any(${pgTextArray(ids)}::uuid[])`);
  for (const id of ids) if (!seen.some((c) => c.id === id)) result.skipped.push({ id, error: notFound('staged_change', id) });
  const stores = [...new Set(seen.map((c) => c.storeId))].sort();
  for (const storeId of stores) {
    const part = await decideInStore(
      tx,
      storeId,
      seen.filter((c) => c.storeId === storeId).map((c) => c.id),
      decision,
      by,
    );
    result.decided.push(...part.decided);
    result.skipped.push(...part.skipped);
    result.batchIds.push(...part.batchIds);
    result.restaged.push(...part.restaged);
  }
  return result;
}

async function decideInStore(tx: Executor, storeId: string, ids: string[], decision: Decision, by: Decider): Promise<DecisionResult> {
  const result: DecisionResult = { decided: [], skipped: [], batchIds: [], restaged: [] };
  const idList = sql`${stagedChanges.id} = any(${pgTextArray(ids)}::uuid[])`;
  const states = await lockEntities(tx, storeId, await tx.select().from(stagedChanges).where(idList));
  const changes = await tx.select().from(stagedChanges).where(idList).orderBy(asc(stagedChanges.id)).for('update');

  const items: MasterItem[] = [];
  const followers: MasterItem[] = [];
  const rows: plans.DecisionRow[] = [];
  const adopted = new Set<string>();
  const rejectedIncoming: StagedChange[] = [];
  for (const change of changes) {
    try {
      if (change.status !== 'pending' && !(decision.action === 'reject' && change.status === 'failed')) throw notPending(change.status);
      if (change.status === 'failed') await refuseIfNewer(tx, change);
      const state = states.get(stateKey(change.entity, change.entityKey)) ?? newState(change, states);
      let item: MasterItem | null = null;
      if (decision.action === 'approve') {
        const plan = decision.plan(change);
        if (plan.master) item = applyApproval(state, change, plan);
        if (plan.master && change.op !== 'update') followers.push(...followIntoMaster(change, plan.master.op, productRows(change, states)));
        const options =
          plan.master?.op === 'create' && change.productKey
            ? followOptions(change, state, states.get(stateKey('product', change.productKey)))
            : null;
        if (options) followers.push(options);
        const status = plan.shopify ? 'approved' : 'applied';
        rows.push({ id: change.id, status, approved_fields: plan.fields, target: plan.target, reason: null, batch_id: null });
      } else {
        if (change.kind === 'conflict') throw resolveConflict();
        if (change.kind === 'outgoing') item = discardMasterEdit(state, change, productRows(change, states));
        else {
          keepMasterValue(state, change);
          rejectedIncoming.push(change);
        }
        rows.push({
          id: change.id,
          status: 'rejected',
          approved_fields: null,
          target: null,
          reason: decision.reason ?? null,
          batch_id: null,
        });
      }
      if (item) {
        items.push(item);
        adopted.add(change.id);
      }
    } catch (err) {
      if (!isAppError(err) || err.status >= 500) throw err;
      result.skipped.push({ id: change.id, error: err });
    }
  }
  if (rows.length === 0) return result;

  items.push(...followers.filter((f) => adopted.has(f.changeId)));
  const batchId = items.length ? await recordAdoptBatch(tx, storeId, items, by) : null;
  if (batchId) result.batchIds.push(batchId);
  for (const r of rows) if (adopted.has(r.id)) r.batch_id = batchId;
  await writeStates(tx, storeId, states);
  await tx.execute(plans.recordDecisions(by, rows));
  if (decision.action === 'reject') {
    const decided = new Set(rows.map((r) => r.id));
    const rejected = changes.filter((c) => decided.has(c.id));
    result.restaged = [{ storeId, result: await restageRejected(tx, storeId, rejected, rejectedIncoming) }];
  }
  result.decided = await tx
    .select()
    .from(stagedChanges)
    .where(sql`${stagedChanges.id} = any(${pgTextArray(rows.map((r) => r.id))}::uuid[])`);
  return result;
}

/**
 * A failed push is rejected like the pending change it was (its master edit discarded), unless a
 * newer open change of the item exists: that one holds the master's value now, decide it instead.
 */
async function refuseIfNewer(tx: Executor, change: StagedChange): Promise<void> {
  const newer = await otherChangeOf(tx, change, OPEN_CHANGE_STATUSES);
  if (newer) throw new AppError('conflict:newer_change', 'A newer change of this item is open; decide that one instead', { id: newer.id });
}

/** Locks the rows the changes touch (and, for a product's create or delete, the product's rows), in (entity, key) order. */
async function lockEntities(tx: Executor, storeId: string, changes: StagedChange[]): Promise<Map<string, EntityState>> {
  const states = new Map<string, EntityState>();
  if (changes.length === 0) return states;
  const refs = changes.map((c) => ({ entity: c.entity, key: c.entityKey }));
  const products = changes
    .filter((c) => (c.entity === 'product' || c.entity === 'variant') && c.op !== 'update')
    .map((c) => (c.entity === 'product' ? c.entityKey : c.productKey))
    .filter((k): k is string => Boolean(k));
  const rows = await tx
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, storeId), plans.entitiesOrProducts(refs, products)))
    .orderBy(asc(catalogEntities.entity), asc(catalogEntities.key))
    .for('update');
  for (const row of rows) states.set(stateKey(row.entity, row.key), stateOf(row));
  return states;
}

/** An entity the catalog has no row for (a change staged before its row was removed): written as a new row. */
function newState(change: StagedChange, states: Map<string, EntityState>): EntityState {
  const state: EntityState = {
    entity: change.entity,
    key: change.entityKey,
    productKey: change.productKey,
    local: null,
    base: null,
    remote: null,
    edited: false,
    moved: false,
  };
  states.set(stateKey(change.entity, change.entityKey), state);
  return state;
}

/** A product's other rows, which follow its create or delete; a variant's levels, which follow its. */
function productRows(change: StagedChange, states: Map<string, EntityState>): EntityState[] {
  if (change.op === 'update') return [];
  if (change.entity === 'variant') {
    const itemId = inventoryItemOf(states.get(stateKey('variant', change.entityKey)));
    return [...states.values()].filter(
      (s) => s.entity === 'inventory_level' && s.productKey === change.productKey && itemId && s.key.startsWith(`${itemId}|`),
    );
  }
  if (change.entity !== 'product') return [];
  return [...states.values()].filter((s) => s.productKey === change.entityKey && s.entity !== 'product');
}

async function recordAdoptBatch(tx: Executor, storeId: string, items: MasterItem[], by: Decider): Promise<string> {
  const n = items.length;
  const [batch] = await tx
    .insert(batches)
    .values({
      storeId,
      kind: 'adopt',
      status: 'completed',
      createdBy: by.rule ? `${by.id}: ${by.rule}` : by.id,
      counts: newBatchCounts(n, n),
      startedAt: new Date(),
      finishedAt: new Date(),
    })
    .returning({ id: batches.id });
  const rows: plans.AdoptItemRow[] = items.map((i) => ({
    id: randomUUID(),
    staged_change_id: i.changeId,
    entity: i.entity,
    entity_key: i.key,
    product_key: i.productKey,
    op: i.op,
    before: i.before,
    target: i.target,
  }));
  await tx.execute(plans.insertAdoptItems(batch!.id, storeId, rows));
  return batch!.id;
}

async function writeStates(tx: Executor, storeId: string, states: Map<string, EntityState>): Promise<void> {
  const written = [...states.values()].filter((s) => s.edited || s.moved);
  if (written.length === 0) return;
  await tx.execute(
    plans.writeMaster(
      storeId,
      written.map((s) => ({ entity: s.entity, key: s.key, product_key: s.productKey, local: s.local, base: s.base, edited: s.edited })),
    ),
  );
}

/**
 * Rejected entities are classified again: a rejected incoming change's entity now proposes the
 * restore of Shopify to the master's value (marked, and linked to the rejection); a discarded
 * master edit leaves nothing, and rows gone from both sides leave the catalog.
 */
async function restageRejected(
  tx: Executor,
  storeId: string,
  rejected: StagedChange[],
  rejectedIncoming: StagedChange[],
): Promise<RestageResult> {
  const entities = rejected.map((c) => ({ entity: c.entity, key: c.entityKey }));
  const productKeys = rejected.filter((c) => c.entity === 'product' && c.op !== 'update').map((c) => c.entityKey);
  const result = await restage(tx, { storeId, entities, productKeys }, 'review');
  if (rejectedIncoming.length) {
    const marks = rejectedIncoming.map((c) => ({ entity: c.entity, key: c.entityKey, rejected_id: c.id }));
    await queryRows(tx, plans.markRestores(storeId, marks));
  }
  return result;
}
