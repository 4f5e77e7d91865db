import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import {
  batches,
  type ScheduledOperation,
  type ScheduleResult,
  type ScheduleStatus,
  scheduledOperations,
  stagedChanges,
} from '../../../drizzle/schema';
import { AppError, isAppError, notFound } from '../../../lib/errors';
import { OPEN_BATCH_STATUSES, type Priority } from '../../../lib/sync/model';
import type { Executor } from '../../db/client';
import { transactionAdapter } from '../../queue/boss';
import { approveChange, unapproveChange } from '../../review/decisions';
import type { Runtime } from '../../runtime';
import type { PushService } from '../service';

export const SCHEDULE_QUEUE = 'schedule';

/** A revert whose apply batch is still settling (or whose apply has not run) looks again this much later. */
const RECHECK_MS = 3_000;
/** A row left `running` longer than this belonged to a process that stopped while starting it. */
const STALE_RUNNING_MS = 60_000;

export interface ScheduleServiceOptions {
  /** The scheduler's clock (tests shorten time with their own); the database holds UTC instants either way. */
  now?: () => Date;
}

/**
 * Scheduled pushes and change windows of this process. `scheduled_operations` is the truth; a
 * pg-boss job sent with `startAfter: runAt` (in the row's transaction) only wakes it: running a row
 * claims it first (`scheduled` -> `running`, one winner across processes), so a job for a cancelled
 * or finished row does nothing and a duplicate wake-up is harmless. At start every row still
 * `scheduled` is woken again, so one whose job was lost (or a queue-less process) still runs.
 */
export class ScheduleService {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  readonly now: () => Date;

  constructor(
    private readonly runtime: Runtime,
    private readonly push: PushService,
    options: ScheduleServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async start(): Promise<void> {
    const boss = this.runtime.queue;
    if (boss) {
      await boss.createQueue(SCHEDULE_QUEUE);
      await boss.work<{ id: string }>(SCHEDULE_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        await this.run(job!.data.id);
      });
    }
    await this.sweep();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Wakes what is due or lost: every `scheduled` row gets a wake-up, and rows a stopped process left `running` are settled. */
  async sweep(): Promise<void> {
    const db = this.runtime.db;
    const stale = await db
      .select()
      .from(scheduledOperations)
      .where(
        and(
          eq(scheduledOperations.status, 'running'),
          lt(scheduledOperations.startedAt, new Date(this.now().getTime() - STALE_RUNNING_MS)),
        ),
      );
    for (const row of stale) await this.recover(row);
    const waiting = await db.select().from(scheduledOperations).where(eq(scheduledOperations.status, 'scheduled'));
    for (const row of waiting) await this.wake(db, row.id, row.runAt);
  }

  /**
   * The job that wakes a row at `runAt`, in the caller's transaction when one is given (the row and
   * its wake-up commit together). Without the queue, a timer in this process stands in for it.
   */
  async wake(tx: Executor, id: string, runAt: Date): Promise<void> {
    const boss = this.runtime.queue;
    if (boss) {
      await boss.send(SCHEDULE_QUEUE, { id }, { startAfter: runAt, retryLimit: 3, retryDelay: 5, db: transactionAdapter(tx) });
      return;
    }
    if (this.stopped) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        void this.run(id).catch((err) => this.runtime.logger.error({ err, scheduleId: id }, 'scheduled operation failed'));
      },
      Math.max(0, runAt.getTime() - this.now().getTime()),
    );
    timer.unref?.();
    this.timers.add(timer);
  }

  /** Runs a row if it is due and still scheduled; anything else (cancelled, done, another process's) is left alone. */
  async run(id: string): Promise<void> {
    const db = this.runtime.db;
    const [claimed] = await db
      .update(scheduledOperations)
      .set({ status: 'running', startedAt: this.now(), updatedAt: sql`now()` })
      .where(and(eq(scheduledOperations.id, id), eq(scheduledOperations.status, 'scheduled'), lt(scheduledOperations.runAt, this.dueBy())))
      .returning();
    if (!claimed) {
      // Woken early (a clock ahead of the job's): wake again at its time.
      const [row] = await db.select().from(scheduledOperations).where(eq(scheduledOperations.id, id));
      if (row?.status === 'scheduled') await this.wake(db, id, row.runAt);
      return;
    }
    const log = this.runtime.logger.child({ component: 'schedule', scheduleId: id, kind: claimed.kind });
    try {
      if (claimed.kind === 'revert') return await this.revert(claimed);
      const result = await this.push.push({
        storeId: claimed.storeId,
        createdBy: claimed.createdBy,
        priority: claimed.priority ?? undefined,
        changeIds: claimed.kind === 'apply' ? claimed.changeIds : undefined,
      });
      const done = { batchId: result.batchId, operationId: result.operationId, items: result.items };
      await db.transaction(async (tx) => {
        await this.settle(tx, id, 'done', done);
        if (claimed.kind === 'apply') {
          await tx
            .update(scheduledOperations)
            .set({ batchId: result.batchId, updatedAt: sql`now()` })
            .where(eq(scheduledOperations.applyId, id));
        }
      });
      log.info({ batchId: result.batchId }, 'scheduled operation started its batch');
    } catch (err) {
      if (!isAppError(err)) log.error({ err }, 'scheduled operation failed');
      const message = isAppError(err) ? err.message : 'Internal error: see the server log';
      await db.transaction(async (tx) => {
        await this.settle(tx, id, 'failed', { message });
        // Nothing was applied: the window's end has nothing to revert.
        if (claimed.kind === 'apply') await this.cancelRevertOf(tx, id, 'system', 'The start did not apply; nothing to revert');
      });
    }
  }

  /** The end of a window: the apply's batch rolled back (both sides, with the drift check), once it has settled. */
  private async revert(row: ScheduledOperation): Promise<void> {
    const db = this.runtime.db;
    const [batch] = row.batchId ? await db.select().from(batches).where(eq(batches.id, row.batchId)) : [];
    if (!batch || (OPEN_BATCH_STATUSES as readonly string[]).includes(batch.status)) {
      // The apply has not run or its batch is still being written: look again shortly.
      await db
        .update(scheduledOperations)
        .set({ status: 'scheduled', startedAt: null, updatedAt: sql`now()` })
        .where(eq(scheduledOperations.id, row.id));
      await this.wake(db, row.id, new Date(this.now().getTime() + RECHECK_MS));
      return;
    }
    try {
      const result = await this.push.rollback({ batchId: batch.id, createdBy: row.createdBy, priority: row.priority ?? undefined });
      await this.settle(db, row.id, 'done', { batchId: result.batchId, operationId: result.operationId, items: result.items });
    } catch (err) {
      if (!isAppError(err)) this.runtime.logger.error({ err, scheduleId: row.id }, 'scheduled revert failed');
      await this.settle(db, row.id, 'failed', { message: isAppError(err) ? err.message : 'Internal error: see the server log' });
    }
  }

  private async settle(tx: Executor, id: string, status: ScheduleStatus, result: ScheduleResult): Promise<void> {
    await tx
      .update(scheduledOperations)
      .set({ status, result, finishedAt: this.now(), updatedAt: sql`now()` })
      .where(eq(scheduledOperations.id, id));
  }

  private async cancelRevertOf(tx: Executor, applyId: string, by: string, message: string): Promise<void> {
    await tx
      .update(scheduledOperations)
      .set({ status: 'cancelled', cancelledBy: by, result: { message }, finishedAt: this.now(), updatedAt: sql`now()` })
      .where(and(eq(scheduledOperations.applyId, applyId), eq(scheduledOperations.status, 'scheduled')));
  }

  /**
   * A row a stopped process left `running`: its batch is found where it can be (an apply's changes
   * name it; a revert's rollback points at the apply's batch) and the row is done, or scheduled
   * again when nothing was made. A push cannot be told apart from later pushes, so it is failed, saying so.
   */
  private async recover(row: ScheduledOperation): Promise<void> {
    const db = this.runtime.db;
    let batchId: string | null = null;
    if (row.kind === 'apply') {
      const [change] = await db
        .select({ batchId: stagedChanges.batchId })
        .from(stagedChanges)
        .where(and(inArray(stagedChanges.id, row.changeIds), sql`${stagedChanges.status} <> 'approved'`))
        .limit(1);
      batchId = change?.batchId ?? null;
    } else if (row.kind === 'revert' && row.batchId) {
      const [rollback] = await db
        .select({ id: batches.id })
        .from(batches)
        .where(and(eq(batches.rollbackOf, row.batchId), eq(batches.kind, 'rollback')))
        .limit(1);
      batchId = rollback?.id ?? null;
    }
    if (batchId) return this.settle(db, row.id, 'done', { batchId });
    if (row.kind === 'push') {
      return this.settle(db, row.id, 'failed', {
        message: 'The server stopped while starting this push; see Batches for whether it ran',
      });
    }
    await db
      .update(scheduledOperations)
      .set({ status: 'scheduled', startedAt: null, updatedAt: sql`now()` })
      .where(eq(scheduledOperations.id, row.id));
  }

  /** Rows due by now: a little slack, as pg-boss may wake a job a moment before its clock reads `runAt`. */
  private dueBy(): Date {
    return new Date(this.now().getTime() + 500);
  }

  /** A push of the store's approved changes at `runAt`, by an admin. */
  async schedulePush(input: { storeId: string; runAt: Date; priority?: Priority; createdBy: string }): Promise<ScheduledOperation> {
    this.mustBeFuture(input.runAt, 'runAt');
    return this.runtime.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(scheduledOperations)
        .values({ storeId: input.storeId, kind: 'push', runAt: input.runAt, priority: input.priority ?? null, createdBy: input.createdBy })
        .returning();
      await this.wake(tx, row!.id, row!.runAt);
      return row!;
    });
  }

  /**
   * Approves an outgoing change for a window: pushed as a batch at `startAt`, that batch rolled
   * back at `endAt` (when given). Until its start an ordinary push leaves it (heldForWindow).
   */
  async scheduleWindow(input: { changeId: string; startAt: Date; endAt?: Date; by: string }): Promise<ScheduledOperation[]> {
    this.mustBeFuture(input.startAt, 'startAt');
    if (input.endAt && input.endAt.getTime() <= input.startAt.getTime()) {
      throw new AppError('validation:window', 'The end must be after the start', [{ path: 'endAt', message: 'must be after startAt' }]);
    }
    return this.runtime.db.transaction(async (tx) => {
      const [change] = await tx.select().from(stagedChanges).where(eq(stagedChanges.id, input.changeId)).for('update');
      if (!change) throw notFound('staged_change', input.changeId);
      if (change.kind !== 'outgoing') {
        throw new AppError('conflict:not_outgoing', 'Only a master edit going to Shopify can have a start and an end');
      }
      const held = await tx
        .select({ id: scheduledOperations.id })
        .from(scheduledOperations)
        .where(
          and(sql`${input.changeId}::uuid = any(${scheduledOperations.changeIds})`, inArray(scheduledOperations.status, ['scheduled'])),
        );
      if (held.length) throw new AppError('conflict:already_scheduled', 'This change is already scheduled; cancel that first');
      if (change.status === 'pending') await approveChange(tx, change.id, {}, { id: input.by });
      else if (change.status !== 'approved' || change.batchId) {
        throw new AppError(
          'conflict:change_not_pending',
          `This change is ${change.status}; only a pending or approved change can be scheduled`,
        );
      }
      const common = { storeId: change.storeId, changeIds: [change.id], createdBy: input.by };
      const [apply] = await tx
        .insert(scheduledOperations)
        .values({ ...common, kind: 'apply', runAt: input.startAt })
        .returning();
      const rows = [apply!];
      if (input.endAt) {
        const [revert] = await tx
          .insert(scheduledOperations)
          .values({ ...common, kind: 'revert', runAt: input.endAt, applyId: apply!.id })
          .returning();
        rows.push(revert!);
      }
      for (const r of rows) await this.wake(tx, r.id, r.runAt);
      return rows;
    });
  }

  /**
   * Cancels a row not started yet. Cancelling a window's start cancels its end too and takes the
   * approval back (the change is pending again: the master still holds the edit); cancelling only
   * the end leaves what the start applied in place.
   */
  async cancel(id: string, by: string, may: (kind: ScheduledOperation['kind']) => void): Promise<ScheduledOperation> {
    return this.runtime.db.transaction(async (tx) => {
      const [row] = await tx.select().from(scheduledOperations).where(eq(scheduledOperations.id, id)).for('update');
      if (!row) throw notFound('schedule', id);
      may(row.kind);
      if (row.status !== 'scheduled')
        throw new AppError('conflict:schedule_not_waiting', `This schedule is ${row.status}; only a waiting one can be cancelled`);
      const [cancelled] = await tx
        .update(scheduledOperations)
        .set({ status: 'cancelled', cancelledBy: by, finishedAt: this.now(), updatedAt: sql`now()` })
        .where(eq(scheduledOperations.id, id))
        .returning();
      if (row.kind === 'apply') {
        await this.cancelRevertOf(tx, id, by, 'Its start was cancelled');
        const [change] = await tx.select().from(stagedChanges).where(inArray(stagedChanges.id, row.changeIds));
        if (change?.status === 'approved' && !change.batchId) await unapproveChange(tx, change.id);
      }
      return cancelled!;
    });
  }

  private mustBeFuture(at: Date, path: string): void {
    if (at.getTime() <= this.now().getTime()) {
      throw new AppError('validation:in_the_past', `${path} must be in the future`, [{ path, message: 'is not in the future' }]);
    }
  }
}

/** Starts the schedule worker of this process and wakes what was left scheduled; stopped with the runtime. */
export async function startSchedules(runtime: Runtime, schedules: ScheduleService): Promise<void> {
  runtime.onStop('schedules', () => schedules.stop());
  await schedules.start();
}
