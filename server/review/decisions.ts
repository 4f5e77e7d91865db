import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type StagedChange, stagedChanges } from '../../drizzle/schema';
import { AppError, notFound } from '../../lib/errors';
import { type FieldResolution, planApproval } from '../../lib/sync/classify';
import { type StagedFilter, stagedFilterSchema } from '../../lib/sync/staged-filter';
import type { Db, Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { stagedWhere } from '../staging/plans';
import { selectStaged } from '../staging/queries';
import { type Decider, type Decision, type DecisionResult, decideChanges, notPending } from './decide';
import * as reviewPlans from './plans';
import { otherChangeOf } from './retry';

export type { Decider, DecisionResult } from './decide';

const sideChoice = z.preprocess(
  (v) => (v === 'shopify' ? 'remote' : v === 'ours' || v === 'master' ? 'local' : v),
  z.enum(['local', 'remote']),
);
const fieldResolution = z.union([sideChoice, z.object({ value: z.unknown() }).strict()]);

export const approveBody = z
  .object({
    fields: z.array(z.string().min(1)).min(1, 'choose at least one field').optional(),
    /** One side for every field ("local"/"ours", "remote"/"shopify"), or a choice per field. */
    resolution: z.union([sideChoice, z.record(z.string(), fieldResolution)]).optional(),
  })
  .strict();
export type ApproveBody = z.infer<typeof approveBody>;

const reason = z.string().trim().max(1000).optional();
export const rejectBody = z.object({ reason }).strict();

const ids = z.array(z.uuid()).min(1).max(10_000);
export const bulkBody = z.union([
  z.object({ ids, resolution: sideChoice.optional() }).strict(),
  z.object({ filter: stagedFilterSchema, resolution: sideChoice.optional() }).strict(),
]);
export const bulkRejectBody = z.union([z.object({ ids, reason }).strict(), z.object({ filter: stagedFilterSchema, reason }).strict()]);

/** The decision of an approval: the body's fields and resolution, planned per change (lib/sync/classify). */
export function approval(body: ApproveBody): Decision {
  const resolution = typeof body.resolution === 'object' ? (body.resolution as Record<string, FieldResolution>) : undefined;
  const resolveAll = typeof body.resolution === 'string' ? body.resolution : undefined;
  return {
    action: 'approve',
    plan: (change) =>
      planApproval(
        change.entity,
        { kind: change.kind, op: change.op, fields: change.fields },
        { fields: body.fields, resolution, resolveAll },
      ),
  };
}

/** One change, its refusal thrown as the error it is (404, 409, 400). */
async function decideOne(
  db: Executor,
  id: string,
  decision: Decision,
  by: Decider,
): Promise<DecisionResult & { change: StagedChange; batchId: string | null }> {
  const result = await decideChanges(db, [id], decision, by);
  if (result.skipped.length) throw result.skipped[0]!.error;
  return { ...result, change: result.decided[0]!, batchId: result.batchIds[0] ?? null };
}

/**
 * Approves a pending change. The master side of the decision (adopting Shopify's value, a custom
 * value) is applied at once and recorded as an `adopt` batch; the Shopify side waits for a push.
 */
export async function approveChange(db: Executor, id: string, body: ApproveBody, by: Decider): Promise<StagedChange> {
  return (await decideOne(db, id, approval(body), by)).change;
}

/**
 * Rejects a pending change, or an outgoing one whose push failed (a conflict is resolved instead,
 * 409): an outgoing change's master edit is discarded (recorded as an adopt batch), an incoming
 * change leaves a restore of Shopify to the master's value for review. The answer carries what restaging staged, for the realtime event.
 */
export async function rejectDecision(db: Executor, id: string, reason: string | undefined, by: Decider) {
  return decideOne(db, id, { action: 'reject', reason }, by);
}

export async function rejectChange(db: Executor, id: string, reason: string | undefined, by: Decider): Promise<StagedChange> {
  return (await rejectDecision(db, id, reason, by)).change;
}

async function loadChange(db: Executor, id: string): Promise<StagedChange> {
  const [row] = await db.select().from(stagedChanges).where(eq(stagedChanges.id, id)).for('update');
  if (!row) throw notFound('staged_change', id);
  return row;
}

/** Takes an approval back while the change has not been taken into a push. */
export async function unapproveChange(db: Executor, id: string): Promise<StagedChange> {
  return db.transaction(async (tx) => {
    const change = await loadChange(tx, id);
    if (change.status !== 'approved') {
      throw new AppError(
        'conflict:change_not_approved',
        change.status === 'queued' || change.status === 'applying'
          ? 'This change is already being pushed; cancel the push or roll it back afterwards'
          : `This change is ${change.status}, not approved`,
      );
    }
    if (change.batchId) {
      throw new AppError('conflict:master_updated', 'The master was already updated by this decision; roll back its batch instead');
    }
    const newer = await otherChangeOf(tx, change, ['pending'], { sameKind: true });
    if (newer)
      throw new AppError('conflict:newer_change', 'A newer pending change exists for this entity; review that one instead', {
        id: newer.id,
      });
    const [updated] = await tx
      .update(stagedChanges)
      .set({
        status: 'pending',
        approvedFields: null,
        target: null,
        decidedBy: null,
        decidedAt: null,
        autoRule: null,
        updatedAt: sql`now()`,
      })
      .where(eq(stagedChanges.id, id))
      .returning();
    return updated!;
  });
}

export interface BulkResult {
  count: number;
  skipped: Array<{ id: string; reason: string; code: string }>;
  batchIds: string[];
}

/**
 * Applies one decision to many changes in one request: the ids given, or the changes the filter
 * lists (the review list's own WHERE, so "all N matching" are the N shown). Ones that cannot take
 * it (no longer pending, conflicts without a resolution) are listed as skipped, not fatal.
 */
export async function bulkDecide(
  db: Executor,
  selection: { ids: string[] } | { filter: StagedFilter },
  decision: Decision,
  by: Decider,
  already: ReadonlySet<string> = new Set(),
): Promise<BulkResult & Omit<DecisionResult, 'skipped'>> {
  const skipped: BulkResult['skipped'] = [];
  const chosen: string[] = [];
  if ('ids' in selection) chosen.push(...selection.ids);
  else {
    for (const change of await selectStaged(db, selection.filter)) {
      if (already.has(change.id)) continue;
      if (change.status === 'pending') chosen.push(change.id);
      else skipped.push({ id: change.id, reason: notPending(change.status).message, code: 'conflict:change_not_pending' });
    }
  }
  const result = await decideChanges(db, chosen, decision, by);
  for (const s of result.skipped) skipped.push({ id: s.id, reason: s.error.message, code: s.error.code });
  return { ...result, count: result.decided.length + already.size, skipped };
}

/**
 * POST /api/sync/staged/bulk-approve: by filter, with every field taken as proposed (no
 * resolution, or the master's side), the outgoing updates are approved by one UPDATE (their catalog
 * rows locked first, as decisions lock them); the rest of the selection (incoming changes, creates,
 * deletes, conflicts) is decided change by change, in the same transaction. `decided` lists every
 * change approved, by id and store.
 */
export async function bulkApprove(db: Db, body: z.infer<typeof bulkBody>, by: Decider) {
  return db.transaction(async (tx) => {
    const plain: Array<{ id: string; store_id: string }> = [];
    if ('filter' in body && (body.resolution === undefined || body.resolution === 'local')) {
      const where = stagedWhere(body.filter);
      await tx.execute(reviewPlans.setBulkStatementSettings);
      await tx.execute(reviewPlans.lockPlainOutgoing(where));
      plain.push(...(await queryRows<{ id: string; store_id: string }>(tx, reviewPlans.approvePlainOutgoing(where, by))));
    }
    const rest = await bulkDecide(
      tx,
      body,
      approval(body.resolution ? { resolution: body.resolution } : {}),
      by,
      new Set(plain.map((p) => p.id)),
    );
    const decided = [
      ...plain.map((p) => ({ id: p.id, storeId: p.store_id })),
      ...rest.decided.map((c) => ({ id: c.id, storeId: c.storeId })),
    ];
    return { ...rest, decided };
  });
}

/** What the audit log keeps of a bulk decision: the selection's size (or its filter), the outcome, the adopt batch. */
export function bulkAuditDetails(selection: { ids: string[] } | { filter: StagedFilter }, result: BulkResult): Record<string, unknown> {
  return {
    selection: 'ids' in selection ? { ids: selection.ids.length } : { filter: selection.filter },
    count: result.count,
    skipped: result.skipped.length,
    adoptBatchIds: result.batchIds,
  };
}
