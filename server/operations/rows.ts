import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Operation, operations } from '../../drizzle/schema';
import { OPEN_OPERATION_STATUSES, type OperationKind, type OperationStatus } from '../../lib/sync/model';
import type { Executor } from '../db/client';

/** Every read and write of the operations table: the service and its handles go through these. */

export interface StartOperationInput {
  kind: OperationKind;
  storeId?: string | null;
  title: string;
  startedBy: string;
  total?: number | null;
  meta?: Record<string, unknown>;
}

export type FinalOperationStatus = Exclude<OperationStatus, 'queued' | 'running'>;

/** What a finished operation records: its last progress, counts and error. */
export interface OperationOutcome {
  done: number;
  total: number | null;
  counts: Record<string, number>;
  error: string | null;
}

export async function insertOperation(db: Executor, input: StartOperationInput, status: 'queued' | 'running'): Promise<Operation> {
  const [op] = await db
    .insert(operations)
    .values({
      kind: input.kind,
      storeId: input.storeId ?? null,
      title: input.title,
      startedBy: input.startedBy,
      progressTotal: input.total ?? null,
      meta: input.meta ?? {},
      status,
      startedAt: status === 'running' ? new Date() : null,
    })
    .returning();
  return op!;
}

export async function selectOperation(db: Executor, id: string): Promise<Operation | undefined> {
  const [op] = await db.select().from(operations).where(eq(operations.id, id));
  return op;
}

/** Marks a queued (or interrupted running) operation running; undefined when it has ended. */
export async function claimOperation(db: Executor, id: string): Promise<Operation | undefined> {
  const [op] = await db
    .update(operations)
    .set({ status: 'running', startedAt: sql`coalesce(${operations.startedAt}, now())`, updatedAt: sql`now()` })
    .where(and(eq(operations.id, id), inArray(operations.status, OPEN_OPERATION_STATUSES)))
    .returning();
  return op;
}

/** The first request wins: its time stays, a later one only names who asked last. */
export async function recordCancelRequest(db: Executor, id: string, by: string): Promise<Operation> {
  const [op] = await db
    .update(operations)
    .set({ cancelRequestedAt: sql`coalesce(${operations.cancelRequestedAt}, now())`, cancelRequestedBy: by, updatedAt: sql`now()` })
    .where(eq(operations.id, id))
    .returning();
  return op!;
}

export async function cancelRequested(db: Executor, id: string): Promise<boolean> {
  const [row] = await db.select({ at: operations.cancelRequestedAt }).from(operations).where(eq(operations.id, id));
  return Boolean(row?.at);
}

/** Progress of a running operation; a settled one keeps what it finished with. */
export async function writeProgress(db: Executor, id: string, progress: Omit<OperationOutcome, 'error'>): Promise<void> {
  await db
    .update(operations)
    .set({ progressDone: progress.done, progressTotal: progress.total, counts: progress.counts, updatedAt: sql`now()` })
    .where(and(eq(operations.id, id), eq(operations.status, 'running')));
}

export async function writeOutcome(
  db: Executor,
  id: string,
  status: FinalOperationStatus,
  outcome: OperationOutcome,
): Promise<Operation | undefined> {
  const [op] = await db
    .update(operations)
    .set({
      status,
      progressDone: outcome.done,
      progressTotal: outcome.total,
      counts: outcome.counts,
      error: outcome.error,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(operations.id, id))
    .returning();
  return op;
}
