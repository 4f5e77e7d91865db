import { and, desc, eq, gt, inArray, or, type SQL, sql } from 'drizzle-orm';
import {
  type Batch,
  type BatchCounts,
  batches,
  type ScheduledOperation,
  type ScheduleResult,
  type ScheduleStatus,
  type StagedChange,
  scheduledOperations,
  stagedChanges,
} from '../../../drizzle/schema';
import { fieldSpec } from '../../../lib/sync/fields';
import type { Executor } from '../../db/client';
import { changeOfProduct } from '../../staging/plans';

/** One side of a schedule as the Upcoming page shows it: when, whether it ran, and the batch it made. */
export interface ScheduleStep {
  id: string;
  runAt: string;
  status: ScheduleStatus;
  result: ScheduleResult | null;
  cancelledBy: string | null;
  batch: { id: string; kind: string; status: string; counts: BatchCounts } | null;
}

/** A scheduled push, or a change window (its start, and its end when it has one). */
export interface ScheduleEntry extends ScheduleStep {
  kind: 'push' | 'window';
  storeId: string;
  priority: string | null;
  createdBy: string;
  createdAt: string;
  end: ScheduleStep | null;
  change: {
    id: string;
    status: string;
    entity: string;
    entityId: string;
    productId: string | null;
    title: string | null;
    fields: Array<{ name: string; label: string; from: unknown; to: unknown }>;
  } | null;
}

/** Finished schedules are listed this long after they ran. */
const RECENT_DAYS = 7;

/**
 * Schedules to list: waiting ones, and those finished in the last week, soonest first; `productId`
 * narrows to the windows of a product's changes. A window is one entry (its end is folded in).
 */
export async function listSchedules(db: Executor, filter: { storeId?: string; productId?: string }): Promise<ScheduleEntry[]> {
  const recent = sql`now() - ${`${RECENT_DAYS} days`}::interval`;
  const conditions: Array<SQL | undefined> = [
    or(inArray(scheduledOperations.status, ['scheduled', 'running']), gt(scheduledOperations.runAt, recent)),
    filter.storeId ? eq(scheduledOperations.storeId, filter.storeId) : undefined,
    filter.productId
      ? sql`exists (select 1 from staged_changes c
          where c.id = any(${scheduledOperations.changeIds}) and ${changeOfProduct(filter.productId)})`
      : undefined,
  ];
  const rows = await db
    .select()
    .from(scheduledOperations)
    .where(and(...conditions))
    .orderBy(desc(scheduledOperations.runAt))
    .limit(500);
  const changeIds = [...new Set(rows.flatMap((r) => r.changeIds))];
  const batchIds = [...new Set(rows.flatMap((r) => [r.batchId, r.result?.batchId]).filter((x): x is string => Boolean(x)))];
  const changes = changeIds.length ? await db.select().from(stagedChanges).where(inArray(stagedChanges.id, changeIds)) : [];
  const batchRows = batchIds.length ? await db.select().from(batches).where(inArray(batches.id, batchIds)) : [];
  const batchById = new Map(batchRows.map((b) => [b.id, b]));
  const changeById = new Map(changes.map((c) => [c.id, c]));
  const endOf = new Map(rows.filter((r) => r.kind === 'revert' && r.applyId).map((r) => [r.applyId!, r]));
  const entries = rows
    .filter((r) => r.kind !== 'revert' || !r.applyId || !rows.some((a) => a.id === r.applyId))
    .map((r) => entryOf(r, endOf.get(r.id) ?? null, changeById.get(r.changeIds[0]!) ?? null, batchById));
  const waiting = (e: ScheduleEntry) => e.status === 'scheduled' || e.status === 'running' || e.end?.status === 'scheduled';
  // Waiting first, soonest first; then what ran, latest first.
  return [...entries.filter(waiting).sort((a, b) => nextAt(a).localeCompare(nextAt(b))), ...entries.filter((e) => !waiting(e))];
}

function nextAt(e: ScheduleEntry): string {
  return e.status === 'scheduled' || !e.end ? e.runAt : e.end.runAt;
}

function stepOf(row: ScheduledOperation, batchById: Map<string, Batch>): ScheduleStep {
  const batch = row.result?.batchId ? batchById.get(row.result.batchId) : undefined;
  return {
    id: row.id,
    runAt: row.runAt.toISOString(),
    status: row.status,
    result: row.result,
    cancelledBy: row.cancelledBy,
    batch: batch ? { id: batch.id, kind: batch.kind, status: batch.status, counts: batch.counts } : null,
  };
}

function entryOf(
  row: ScheduledOperation,
  end: ScheduledOperation | null,
  change: StagedChange | null,
  batchById: Map<string, Batch>,
): ScheduleEntry {
  return {
    ...stepOf(row, batchById),
    kind: row.kind === 'push' ? 'push' : 'window',
    storeId: row.storeId,
    priority: row.priority,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    end: end ? stepOf(end, batchById) : null,
    change: change && {
      id: change.id,
      status: change.status,
      entity: change.entity,
      entityId: change.entityKey,
      productId: change.productKey ?? (change.entity === 'product' ? change.entityKey : null),
      title: change.title,
      fields: change.fields
        .filter((f) => !change.target || f.name in change.target)
        .map((f) => ({
          name: f.name,
          label: fieldSpec(change.entity, f.name)?.label ?? f.name,
          from: f.remote,
          to: change.target?.[f.name] ?? f.local,
        })),
    },
  };
}
