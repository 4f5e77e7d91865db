import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { Priority } from '../../lib/sync/model';
import { createdAt, tstz, updatedAt, uuidPk } from './columns';
import { storeRef } from './stores';

export const SCHEDULE_KINDS = ['push', 'apply', 'revert'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
export const SCHEDULE_STATUSES = ['scheduled', 'running', 'done', 'cancelled', 'failed'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

/** What a scheduled operation did: the batch it made, or why it made none. */
export interface ScheduleResult {
  batchId?: string;
  operationId?: string;
  items?: number;
  message?: string;
}

/**
 * Work to run at a time: a push of the approved changes, or one side of a change window (apply
 * its changes at the start, revert the apply's batch at the end). This table is the truth; the
 * pg-boss job sent for `runAt` only wakes it, so a job for a cancelled row does nothing and a row
 * whose job was lost is found again by the sweep at start.
 */
export const scheduledOperations = pgTable(
  'scheduled_operations',
  {
    id: uuidPk(),
    storeId: storeRef(),
    kind: text('kind').$type<ScheduleKind>().notNull(),
    runAt: tstz('run_at').notNull(),
    status: text('status').$type<ScheduleStatus>().notNull().default('scheduled'),
    /** The changes an apply pushes (a revert names the same ones, for the product page). */
    changeIds: uuid('change_ids').array().notNull().default([]),
    /** A revert's window: the apply it undoes; its batch is `batchId` once the apply has run. */
    applyId: uuid('apply_id'),
    batchId: uuid('batch_id'),
    priority: text('priority').$type<Priority | null>(),
    createdBy: text('created_by').notNull(),
    cancelledBy: text('cancelled_by'),
    result: jsonb('result').$type<ScheduleResult | null>(),
    createdAt: createdAt(),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('scheduled_operations_status_run_idx').on(t.status, t.runAt),
    index('scheduled_operations_store_idx').on(t.storeId, t.runAt),
  ],
);
export type ScheduledOperation = typeof scheduledOperations.$inferSelect;
export type NewScheduledOperation = typeof scheduledOperations.$inferInsert;
