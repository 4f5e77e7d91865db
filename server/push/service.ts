import { eq } from 'drizzle-orm';
import { type Batch, batches } from '../../drizzle/schema';
import { batchName } from '../../lib/dashboard/batches';
import { PRIORITY_RANK, type Priority } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryOne } from '../db/rows';
import { retryTransient } from '../db/transient';
import { transactionAdapter } from '../queue/boss';
import type { Runtime } from '../runtime';
import { openPushBatches } from './batch-lifecycle';
import {
  BulkRunRates,
  conditionsOf,
  estimateFor,
  estimateMeta,
  estimatePaths,
  type PathChooser,
  type PathEstimate,
  shapeOf,
} from './cost-model';
import { type DriftHandler, LeaseHeldElsewhere, PushEngine } from './engine';
import { sourceBatches } from './plans';
import type { ShopifyPort } from './port';
import { snapshotRestoreAnyway } from './restore-anyway';
import { applyMasterSide, snapshotRollbackBatch } from './rollback';
import { previewRollback } from './rollback-preview';
import { type SnapshotResult, snapshotPushBatch } from './snapshot';

export const PUSH_QUEUE = 'push';

export interface PushServiceOptions {
  portFor(storeId: string): Promise<ShopifyPort>;
  leaseMs?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** How long a unit waits out Shopify not answering at all (OUTAGE_WAIT_MS by default). */
  outageWaitMs?: number;
  onBatchFinished?(batch: Batch): Promise<void> | void;
  /** Re-reads and restages what a push found drifted (ingest's, passed in by server/services.ts). */
  onDrift?: DriftHandler;
  /** Start draining in this process as soon as a batch is created (default true). */
  wakeOnCreate?: boolean;
}

/**
 * The push subsystem of one process: the engine, its pg-boss worker, and recovery at start.
 * Batches are found through the database, so a job is only a durable wake-up call: a restarted
 * process resumes every open batch even if the job that started it died with its process.
 */
export class PushService {
  readonly engine: PushEngine;
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private stopped = false;
  private readonly portFor: (storeId: string) => Promise<ShopifyPort>;
  private readonly wakeOnCreate: boolean;
  /** Each store's bulk runs as this process saw them: the cost model's bulk line rate. */
  readonly bulkRates = new BulkRunRates();

  constructor(
    private readonly runtime: Runtime,
    options: PushServiceOptions,
  ) {
    this.portFor = options.portFor;
    this.wakeOnCreate = options.wakeOnCreate ?? true;
    this.engine = new PushEngine({
      db: runtime.db,
      logger: runtime.logger.child({ component: 'push' }),
      operations: runtime.operations,
      holder: runtime.instanceId,
      portFor: options.portFor,
      leaseMs: options.leaseMs,
      maxAttempts: options.maxAttempts,
      backoffBaseMs: options.backoffBaseMs,
      backoffCapMs: options.backoffCapMs,
      outageWaitMs: options.outageWaitMs,
      onBatchFinished: options.onBatchFinished,
      onDrift: options.onDrift,
      bulkRates: this.bulkRates,
    });
  }

  /**
   * The cost model's chooser for a store, on its bucket as it is now (server/push/cost-model.ts):
   * the same estimate picks the path, is shown before the push and counts down during it.
   */
  async chooser(storeId: string): Promise<PathChooser> {
    const port = await this.portFor(storeId);
    const conditions = conditionsOf(port.throttle(), this.bulkRates.linesPerSecond(storeId));
    return (items, forced) => {
      const shape = shapeOf(items, port.readCosts());
      return forced ? estimateFor(forced, shape, conditions) : estimatePaths(shape, conditions);
    };
  }

  async start(): Promise<void> {
    const boss = this.runtime.queue;
    if (boss) {
      await boss.createQueue(PUSH_QUEUE);
      await boss.work<{ storeId: string }>(PUSH_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
        await this.run(job!.data.storeId);
      });
    }
    const open = await this.runtime.db.selectDistinct({ storeId: batches.storeId }).from(batches).where(openPushBatches());
    for (const { storeId } of open) this.wake(storeId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.retryTimers.values()) clearTimeout(t);
    await this.engine.stop();
  }

  /** Drains the store now, or keeps trying while another process holds its lease. */
  wake(storeId: string): void {
    if (this.stopped || this.retryTimers.has(storeId)) return;
    this.engine.kick(storeId).catch((err) => {
      if (!(err instanceof LeaseHeldElsewhere)) this.runtime.logger.error({ err, storeId }, 'push drain failed');
      if (this.stopped) return;
      const timer = setTimeout(
        () => {
          this.retryTimers.delete(storeId);
          void this.stillOpen(storeId).then((open) => open && this.wake(storeId));
        },
        Math.max(250, this.engine.leaseMs / 3),
      );
      timer.unref?.();
      this.retryTimers.set(storeId, timer);
    });
  }

  private async run(storeId: string): Promise<void> {
    try {
      await this.engine.kick(storeId);
    } catch (err) {
      // Another process pushes this store and takes our batch with it; nothing to retry here.
      if (err instanceof LeaseHeldElsewhere) return;
      throw err;
    }
  }

  private async stillOpen(storeId: string): Promise<boolean> {
    const [row] = await this.runtime.db.select({ id: batches.id }).from(batches).where(openPushBatches(storeId)).limit(1);
    return Boolean(row);
  }

  /** The job of a batch, sent inside the caller's transaction: the batch and its wake-up commit together. */
  private async enqueue(tx: Executor, storeId: string, priority: Priority): Promise<void> {
    const boss = this.runtime.queue;
    if (!boss) return;
    await boss.send(
      PUSH_QUEUE,
      { storeId },
      { priority: PRIORITY_RANK[priority], retryLimit: 5, retryDelay: 2, db: transactionAdapter(tx) },
    );
  }

  async push(input: {
    storeId: string;
    createdBy: string;
    priority?: Priority;
    /** Only these approved changes (a change window's apply); by default every approved change not held for a window. */
    changeIds?: string[];
  }): Promise<{ batchId: string; operationId: string; items: number; mode: string; etaSeconds: number | null }> {
    const choose = await this.chooser(input.storeId);
    const result = await this.runtime.db.transaction(async (tx) => {
      const snap = await snapshotPushBatch(tx, { ...input, choose });
      const opId = await this.createOperation(
        tx,
        'push',
        input.storeId,
        input.createdBy,
        snap.items,
        `Push of ${snap.items} change${snap.items === 1 ? '' : 's'} (${snap.products} product${snap.products === 1 ? '' : 's'})`,
        snap.batchId,
        snap.estimate,
      );
      await this.enqueue(tx, input.storeId, snap.priority);
      const etaSeconds = snap.estimate ? Math.round(snap.estimate.seconds) : null;
      return { batchId: snap.batchId, operationId: opId, items: snap.items, mode: snap.mode, etaSeconds };
    });
    if (this.wakeOnCreate) this.wake(input.storeId);
    return result;
  }

  /** Rolls a batch (or chosen items) back: restores what its items held before it, unless the entity moved since. */
  async rollback(input: { batchId: string; itemIds?: string[]; createdBy: string; priority?: Priority }) {
    const [source] = await this.runtime.db.select({ storeId: batches.storeId }).from(batches).where(eq(batches.id, input.batchId));
    const choose = source ? await this.chooser(source.storeId) : undefined;
    const undone = source ? await queryOne<{ kind: string; total: number }>(this.runtime.db, sourceBatches([input.batchId])) : undefined;
    return this.startRollback(input.createdBy, async (tx) => {
      const snap = await snapshotRollbackBatch(tx, {
        sourceBatchId: input.batchId,
        itemIds: input.itemIds,
        createdBy: input.createdBy,
        priority: input.priority,
        choose,
      });
      // Named as the batch list names it, without the time the operation shows beside its title.
      const title = batchName({
        kind: 'rollback',
        counts: { total: snap.items },
        rollbackOfBatch: undone && { kind: undone.kind, total: Number(undone.total) },
      });
      return { ...snap, sourceBatchId: input.batchId, title };
    });
  }

  /** Drifted items of a rollback, restored over what Shopify holds now (restore-anyway.ts); an admin's decision. */
  async restoreAnyway(input: { rollbackBatchId: string; itemIds: string[]; createdBy: string }) {
    return this.startRollback(input.createdBy, async (tx) => {
      const snap = await snapshotRestoreAnyway(tx, input);
      return { ...snap, title: `Restore anyway (${snap.items} drifted item${snap.items === 1 ? '' : 's'})`, skipped: [] };
    });
  }

  /**
   * A rollback batch, its master side applied and its operation and job created, in one
   * transaction, retried once if Postgres picks it as a deadlock victim; concurrent requests for
   * one batch queue on its row, and one finding its items taken by a running rollback answers 409 naming it.
   */
  private async startRollback(
    createdBy: string,
    snapshot: (
      tx: Executor,
    ) => Promise<SnapshotResult & { sourceBatchId: string; title: string; skipped: Array<{ itemId: string; reason: string }> }>,
  ) {
    const result = await retryTransient(() =>
      this.runtime.db.transaction(async (tx) => {
        const snap = await snapshot(tx);
        const [batch] = await tx.select().from(batches).where(eq(batches.id, snap.batchId));
        await applyMasterSide(tx, snap.batchId, snap.sourceBatchId);
        const opId = await this.createOperation(
          tx,
          'rollback',
          batch!.storeId,
          createdBy,
          snap.items,
          snap.title,
          snap.batchId,
          snap.estimate,
        );
        await this.enqueue(tx, batch!.storeId, snap.priority);
        return { batchId: snap.batchId, operationId: opId, storeId: batch!.storeId, items: snap.items, skipped: snap.skipped };
      }),
    );
    if (this.wakeOnCreate) this.wake(result.storeId);
    return result;
  }

  /** What a rollback would do, without doing it (rollback-preview.ts). */
  previewRollback(batchId: string, itemIds?: string[]) {
    return previewRollback(this.runtime.db, this.portFor, batchId, itemIds);
  }

  /** The batch's operation, created in the batch's transaction: a batch never exists without it. */
  private async createOperation(
    tx: Executor,
    kind: 'push' | 'rollback',
    storeId: string,
    by: string,
    total: number,
    title: string,
    batchId: string,
    estimate?: PathEstimate,
  ): Promise<string> {
    const meta = { batchId, ...(estimate ? { path: estimate.path, estimate: estimateMeta(estimate) } : {}) };
    const op = await this.runtime.operations.enqueue({ kind, storeId, title, startedBy: by, total, meta }, tx);
    await tx.update(batches).set({ operationId: op.id }).where(eq(batches.id, batchId));
    return op.id;
  }
}
