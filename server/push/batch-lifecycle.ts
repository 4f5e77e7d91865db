import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Batch, batches, batchItems, stagedChanges } from '../../drizzle/schema';
import { OPEN_BATCH_STATUSES, PRIORITY_RANK, PUSHED_BATCH_KINDS } from '../../lib/sync/model';
import type { Db } from '../db/client';
import { queryOne } from '../db/rows';
import type { Logger } from '../logger';
import type { OperationHandle } from '../operations/handle';
import type { OperationService } from '../operations/service';
import { batchCounts } from './batch-queries';
import { type Conditions, type EstimateMeta, remainingSeconds } from './cost-model';
import { openItemCount, type RankedBatch, settledItemCount } from './plans';
import type { SettledStatus } from './settle';

/** Push and rollback batches an engine has still to run or finish; `storeId` narrows to one store. */
export function openPushBatches(storeId?: string) {
  return and(
    inArray(batches.status, OPEN_BATCH_STATUSES),
    inArray(batches.kind, PUSHED_BATCH_KINDS),
    storeId ? eq(batches.storeId, storeId) : undefined,
  );
}

interface ActiveBatch {
  batch: Batch;
  handle: OperationHandle;
  done: number;
  counts: Record<string, number>;
  cancelling: boolean;
  /** The cost model's estimate the batch was made with (its operation's meta), and when it was taken up. */
  estimate: EstimateMeta | null;
  startedMs: number;
}

export interface BatchLifecycleOptions {
  db: Db;
  logger: Logger;
  operations: OperationService;
  /** Called once a batch has settled (notifications, metrics). */
  onBatchFinished?(batch: Batch): Promise<void> | void;
}

/**
 * The batches an engine runs, from start to end: each is taken up with its operation (whose
 * handle carries its progress and cancel requests), reports its items as they settle, returns
 * what it had not taken to approved on cancel, and finishes once no item is left to settle.
 */
export class BatchLifecycle {
  private readonly active = new Map<string, ActiveBatch>();

  constructor(private readonly options: BatchLifecycleOptions) {}

  /** The store's running batches that units may still be taken from, ranked by priority, then age. */
  ranked(storeId: string): RankedBatch[] {
    return this.takingFrom(storeId).map((a) => ({
      id: a.batch.id,
      rank: PRIORITY_RANK[a.batch.priority] * 1e12 - a.batch.createdAt.getTime() / 1000,
      bulk: a.batch.mode === 'bulk',
    }));
  }

  /** Ids of the store's running bulk batches. */
  bulk(storeId: string): string[] {
    return this.takingFrom(storeId)
      .filter((a) => a.batch.mode === 'bulk')
      .map((a) => a.batch.id);
  }

  /** The batch's job logger, whose lines name its operation, store and batch. */
  logger(batchId: string): Logger {
    return this.active.get(batchId)?.handle.logger ?? this.options.logger.child({ batchId });
  }

  /**
   * Counts settled items into their batch's progress; `current` names what was written. The ETA
   * is the cost model's, for what is left on the batch's path with the bucket as `conditions` say.
   */
  record(batchId: string, statuses: SettledStatus[], current: string, conditions?: Conditions): void {
    const a = this.active.get(batchId);
    if (!a) return;
    for (const s of statuses) a.counts[s] = (a.counts[s] ?? 0) + 1;
    a.done += statuses.length;
    const total = a.batch.counts.total;
    const etaSeconds =
      a.estimate && conditions
        ? Math.round(remainingSeconds(a.estimate, { done: a.done, total, elapsedSeconds: (Date.now() - a.startedMs) / 1000 }, conditions))
        : undefined;
    a.handle.progress(a.done, {
      current,
      path: a.batch.mode,
      ...(etaSeconds === undefined ? {} : { etaSeconds }),
      counts: { ...a.counts, errors: (a.counts.failed ?? 0) + (a.counts.dead ?? 0) },
    });
  }

  /** Takes up new batches, applies cancel requests, and finishes batches with nothing left. */
  async sync(storeId: string): Promise<void> {
    const open = await this.options.db.select().from(batches).where(openPushBatches(storeId));
    for (const batch of open) if (!this.active.has(batch.id)) await this.takeUp(batch);
    for (const a of [...this.active.values()].filter((x) => x.batch.storeId === storeId)) {
      if (a.handle.cancelled && !a.cancelling) {
        a.cancelling = true;
        await this.returnToApproved(a.batch.id);
      }
      const left = await queryOne<{ n: number }>(this.options.db, openItemCount(a.batch.id));
      if ((left?.n ?? 0) === 0) await this.finish(a);
    }
  }

  private takingFrom(storeId: string): ActiveBatch[] {
    return [...this.active.values()].filter((a) => a.batch.storeId === storeId && !a.cancelling);
  }

  private async takeUp(batch: Batch): Promise<void> {
    const { db, operations } = this.options;
    let handle: OperationHandle;
    try {
      handle = await operations.resume(batch.operationId!);
    } catch (err) {
      // Its operation was cancelled (or settled) before any process took the batch up.
      this.options.logger.warn({ err, batchId: batch.id }, 'batch operation no longer open; cancelling the batch');
      await this.returnToApproved(batch.id);
      await db
        .update(batches)
        .set({ status: 'cancelled', counts: await batchCounts(db, batch.id), finishedAt: sql`now()`, updatedAt: sql`now()` })
        .where(eq(batches.id, batch.id));
      return;
    }
    // Every line this job logs names its operation, store and batch.
    handle.withBatch(batch.id);
    const done = (await queryOne<{ n: number }>(db, settledItemCount(batch.id)))?.n ?? 0;
    if (batch.status === 'queued')
      await db.update(batches).set({ status: 'running', startedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(batches.id, batch.id));
    const estimate = (handle.operation.meta as { estimate?: EstimateMeta }).estimate ?? null;
    this.active.set(batch.id, {
      batch: { ...batch, status: 'running' },
      handle,
      done,
      counts: {},
      cancelling: false,
      estimate,
      startedMs: Date.now(),
    });
    // Before the first item settles the ETA is the estimate the admin confirmed.
    handle.progress(done, {
      total: batch.counts.total,
      path: batch.mode,
      ...(estimate && done === 0 ? { etaSeconds: Math.round(estimate.seconds) } : {}),
    });
  }

  /** Cancel: items not taken yet go back to approved, so the next push takes them again. */
  private async returnToApproved(batchId: string): Promise<void> {
    await this.options.db.transaction(async (tx) => {
      const items = await tx
        .update(batchItems)
        .set({ status: 'cancelled', error: 'Cancelled before it was written', finishedAt: sql`now()`, updatedAt: sql`now()` })
        .where(and(eq(batchItems.batchId, batchId), eq(batchItems.status, 'queued')))
        .returning({ changeId: batchItems.stagedChangeId });
      const ids = items.map((i) => i.changeId).filter((x): x is string => Boolean(x));
      if (ids.length)
        await tx
          .update(stagedChanges)
          .set({ status: 'approved', batchId: null, updatedAt: sql`now()` })
          .where(inArray(stagedChanges.id, ids));
    });
  }

  private async finish(a: ActiveBatch): Promise<void> {
    const { db } = this.options;
    this.active.delete(a.batch.id);
    const counts = await batchCounts(db, a.batch.id);
    const status = a.cancelling ? 'cancelled' : 'completed';
    // The last progress names nothing in flight: "Now" is cleared, the ETA is zero.
    a.handle.progress(a.done, { current: null, path: a.batch.mode, etaSeconds: 0 });
    const [batch] = await db
      .update(batches)
      .set({ status, counts, finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(batches.id, a.batch.id))
      .returning();
    if (status === 'cancelled')
      await a.handle.markCancelled(`Cancelled: ${counts.applied} applied, ${counts.cancelled} returned to approved`);
    else
      await a.handle.complete({ ...counts }, `${counts.applied} applied, ${counts.failed + counts.dead} failed, ${counts.drifted} drifted`);
    await Promise.resolve(this.options.onBatchFinished?.(batch!)).catch((err) =>
      this.options.logger.warn({ err }, 'batch finished hook failed'),
    );
  }
}
