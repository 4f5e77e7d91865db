import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { batches, batchItems, catalogEntities, stagedChanges, type StagedChange } from '../../drizzle/schema';
import { AppError, isAppError, notFound } from '../../lib/errors';
import { type ApprovalPlan, type FieldResolution, planApproval } from '../../lib/sync/classify';
import { fieldSpec, sameValue } from '../../lib/sync/fields';
import { CHANGE_KINDS, CHANGE_STATUSES, ENTITY_TYPES, type FieldValues } from '../../lib/sync/model';
import type { Db, Executor } from '../db/client';

/** Who decided: a person, or an auto-approval rule acting for the system. */
export interface Decider {
  id: string;
  rule?: string | null;
}

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

export const rejectBody = z.object({ reason: z.string().trim().max(1000).optional() }).strict();

export const stagedFilter = z
  .object({
    status: z.enum(CHANGE_STATUSES).optional(),
    kind: z.enum(CHANGE_KINDS).optional(),
    entity: z.enum(ENTITY_TYPES).optional(),
    field: z.string().min(1).optional(),
    vendor: z.string().optional(),
    productType: z.string().optional(),
    q: z.string().trim().min(1).optional(),
    productId: z.string().min(1).optional(),
    storeId: z.string().uuid().optional(),
  })
  .strict();
export type StagedFilter = z.infer<typeof stagedFilter>;

export const bulkBody = z.union([
  z.object({ ids: z.array(z.string().uuid()).min(1).max(10_000), resolution: sideChoice.optional() }).strict(),
  z.object({ filter: stagedFilter, resolution: sideChoice.optional() }).strict(),
]);

async function loadChange(db: Executor, id: string, lock = true): Promise<StagedChange> {
  const q = db.select().from(stagedChanges).where(eq(stagedChanges.id, id));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound('staged_change', id);
  return row;
}

function toPlan(change: StagedChange, body: ApproveBody): ApprovalPlan {
  const resolution = typeof body.resolution === 'object' ? (body.resolution as Record<string, FieldResolution>) : undefined;
  const resolveAll = typeof body.resolution === 'string' ? body.resolution : undefined;
  return planApproval(change.entity, { kind: change.kind, op: change.op, fields: change.fields }, { fields: body.fields, resolution, resolveAll });
}

/**
 * Approves a pending change. The master side of the decision (adopting Shopify's value, a custom
 * value) is applied at once and recorded as an `adopt` batch; the Shopify side waits for a push.
 */
export async function approveChange(db: Executor, id: string, body: ApproveBody, by: Decider): Promise<StagedChange> {
  return db.transaction(async (tx) => {
    const change = await loadChange(tx, id);
    if (change.status !== 'pending') throw new AppError('conflict:change_not_pending', `This change is ${change.status}, not pending`);
    const plan = toPlan(change, body);
    let adoptBatchId: string | null = null;
    if (plan.master) adoptBatchId = await applyToMaster(tx, change, plan, by);
    const done = !plan.shopify;
    const [updated] = await tx
      .update(stagedChanges)
      .set({
        status: done ? 'applied' : 'approved',
        approvedFields: plan.fields,
        target: plan.target,
        decidedBy: by.id,
        decidedAt: sql`now()`,
        autoRule: by.rule ?? null,
        batchId: adoptBatchId,
        updatedAt: sql`now()`,
      })
      .where(eq(stagedChanges.id, id))
      .returning();
    return updated!;
  });
}

/** Writes the decision into the product master and records it as a completed adopt batch. */
async function applyToMaster(tx: Executor, change: StagedChange, plan: ApprovalPlan, by: Decider): Promise<string> {
  const master = plan.master!;
  const [row] = await tx
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, change.storeId), eq(catalogEntities.entity, change.entity), eq(catalogEntities.key, change.entityKey)))
    .for('update');
  const before: FieldValues | null = row?.local ? pick(row.local, Object.keys(master.values)) : null;
  let local: FieldValues | null;
  let base: FieldValues | null = row?.base ?? null;
  if (master.op === 'delete') {
    local = null;
    if (!row?.remote) base = null;
  } else {
    local = { ...(master.op === 'create' ? {} : row?.local ?? {}), ...master.values };
    base = { ...(base ?? {}) };
    for (const [name, value] of Object.entries(master.values)) {
      if (row?.remote && sameValue(fieldSpec(change.entity, name), value, row.remote[name])) base[name] = value;
    }
  }
  if (row) {
    await tx
      .update(catalogEntities)
      .set({ local, base, localUpdatedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(catalogEntities.storeId, change.storeId), eq(catalogEntities.entity, change.entity), eq(catalogEntities.key, change.entityKey)));
  } else {
    await tx.insert(catalogEntities).values({ storeId: change.storeId, entity: change.entity, key: change.entityKey, productKey: change.productKey, local, base, localUpdatedAt: new Date() });
  }
  const [batch] = await tx
    .insert(batches)
    .values({
      storeId: change.storeId,
      kind: 'adopt',
      status: 'completed',
      createdBy: by.id,
      counts: { total: 1, applied: 1, failed: 0, drifted: 0, cancelled: 0, dead: 0, rolledBack: 0 },
      startedAt: new Date(),
      finishedAt: new Date(),
    })
    .returning({ id: batches.id });
  const itemId = crypto.randomUUID();
  await tx.insert(batchItems).values({
    id: itemId,
    batchId: batch!.id,
    storeId: change.storeId,
    stagedChangeId: change.id,
    side: 'master',
    entity: change.entity,
    entityKey: change.entityKey,
    productKey: change.productKey,
    op: master.op,
    before,
    target: master.op === 'delete' ? null : master.values,
    after: master.op === 'delete' ? null : master.values,
    status: 'applied',
    idempotencyKey: `csd-${itemId}`,
    startedAt: new Date(),
    finishedAt: new Date(),
  });
  return batch!.id;
}

function pick(doc: FieldValues, names: string[]): FieldValues {
  return Object.fromEntries(names.map((n) => [n, doc[n] ?? null]));
}

export async function rejectChange(db: Executor, id: string, reason: string | undefined, by: Decider): Promise<StagedChange> {
  return db.transaction(async (tx) => {
    const change = await loadChange(tx, id);
    if (change.status !== 'pending') throw new AppError('conflict:change_not_pending', `This change is ${change.status}, not pending`);
    const [updated] = await tx
      .update(stagedChanges)
      .set({ status: 'rejected', reason: reason ?? null, decidedBy: by.id, decidedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(stagedChanges.id, id))
      .returning();
    return updated!;
  });
}

/** Takes an approval back while the change has not been taken into a push. */
export async function unapproveChange(db: Executor, id: string): Promise<StagedChange> {
  return db.transaction(async (tx) => {
    const change = await loadChange(tx, id);
    if (change.status !== 'approved') {
      throw new AppError('conflict:change_not_approved', change.status === 'queued' || change.status === 'applying'
        ? 'This change is already being pushed; cancel the push or roll it back afterwards'
        : `This change is ${change.status}, not approved`);
    }
    if (change.batchId) {
      throw new AppError('conflict:master_updated', 'The master was already updated by this decision; roll back its batch instead');
    }
    const [newer] = await tx
      .select({ id: stagedChanges.id })
      .from(stagedChanges)
      .where(and(eq(stagedChanges.storeId, change.storeId), eq(stagedChanges.entity, change.entity), eq(stagedChanges.entityKey, change.entityKey), eq(stagedChanges.kind, change.kind), eq(stagedChanges.status, 'pending')));
    if (newer) throw new AppError('conflict:newer_change', 'A newer pending change exists for this entity; review that one instead', { id: newer.id });
    const [updated] = await tx
      .update(stagedChanges)
      .set({ status: 'pending', approvedFields: null, target: null, decidedBy: null, decidedAt: null, autoRule: null, updatedAt: sql`now()` })
      .where(eq(stagedChanges.id, id))
      .returning();
    return updated!;
  });
}

/** SQL conditions for the staged-change filter shared with GET /api/sync/staged. */
export function filterConditions(filter: StagedFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.storeId) where.push(eq(stagedChanges.storeId, filter.storeId));
  if (filter.status) where.push(eq(stagedChanges.status, filter.status));
  if (filter.kind) where.push(eq(stagedChanges.kind, filter.kind));
  if (filter.entity) where.push(eq(stagedChanges.entity, filter.entity));
  if (filter.vendor) where.push(eq(stagedChanges.vendor, filter.vendor));
  if (filter.productType) where.push(eq(stagedChanges.productType, filter.productType));
  if (filter.productId) where.push(sql`(${stagedChanges.productKey} = ${filter.productId} or ${stagedChanges.entityKey} = ${filter.productId})`);
  if (filter.field) where.push(sql`${stagedChanges.fields} @> ${JSON.stringify([{ name: filter.field }])}::jsonb`);
  if (filter.q) {
    const like = `%${filter.q.toLowerCase()}%`;
    where.push(sql`(lower(${stagedChanges.searchText}) like ${like} or lower(coalesce(${stagedChanges.title}, '')) like ${like})`);
  }
  return where;
}

export interface BulkResult {
  count: number;
  skipped: Array<{ id: string; reason: string }>;
}

/** Applies one decision to many pending changes; ones that cannot take it (conflicts) are listed, not fatal. */
export async function bulkDecide(
  db: Db,
  selection: { ids: string[] } | { filter: StagedFilter },
  decide: (id: string) => Promise<unknown>,
): Promise<BulkResult> {
  const ids =
    'ids' in selection
      ? selection.ids
      : (
          await db
            .select({ id: stagedChanges.id })
            .from(stagedChanges)
            .where(and(eq(stagedChanges.status, 'pending'), ...filterConditions({ ...selection.filter, status: undefined })))
        ).map((r) => r.id);
  const result: BulkResult = { count: 0, skipped: [] };
  for (const id of ids) {
    try {
      await decide(id);
      result.count++;
    } catch (err) {
      if (!isAppError(err) || err.status >= 500) throw err;
      result.skipped.push({ id, reason: err.message });
    }
  }
  return result;
}

export async function changesByIds(db: Db, ids: string[]): Promise<StagedChange[]> {
  if (!ids.length) return [];
  return db.select().from(stagedChanges).where(inArray(stagedChanges.id, ids));
}
