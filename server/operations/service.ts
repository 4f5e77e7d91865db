import type { Operation } from '../../drizzle/schema';
import { AppError, notFound } from '../../lib/errors';
import type { ProgressData } from '../../lib/realtime/events';
import type { OperationStatus } from '../../lib/sync/model';
import type { Db, Executor } from '../db/client';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/registry';
import type { RealtimeHub } from '../realtime/hub';
import { type LogLevel, OperationEvents } from './events';
import { OperationHandle, type OperationHost } from './handle';
import {
  cancelRequested,
  claimOperation,
  type FinalOperationStatus,
  insertOperation,
  type OperationOutcome,
  recordCancelRequest,
  type StartOperationInput,
  selectOperation,
  writeOutcome,
  writeProgress,
} from './rows';

/** Creates, reports, completes and cancels operations; every long job runs through it. */
export class OperationService implements OperationHost {
  private readonly running = new Map<string, OperationHandle>();
  private readonly events: OperationEvents;

  constructor(
    private readonly db: Db,
    hub: RealtimeHub,
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
  ) {
    this.events = new OperationEvents(hub, logger);
  }

  /** Creates a running operation and returns the handle its job reports through. */
  async start(input: StartOperationInput): Promise<OperationHandle> {
    const op = await insertOperation(this.db, input, 'running');
    await this.events.started(op);
    return this.track(op);
  }

  /**
   * Creates a queued operation for a job to take up later with `resume`. Given the caller's
   * transaction, the row commits (or not) with the caller's other writes; nothing is announced
   * until a job resumes it, so no one hears of an operation that never committed.
   */
  async enqueue(input: StartOperationInput, tx?: Executor): Promise<Operation> {
    return insertOperation(tx ?? this.db, input, 'queued');
  }

  /** A job picks up a queued (or interrupted running) operation and gets its handle. */
  async resume(id: string): Promise<OperationHandle> {
    const existing = this.running.get(id);
    if (existing) return existing;
    const op = await claimOperation(this.db, id);
    if (!op) throw new AppError('conflict:operation_finished', `Operation ${id} is not queued or running`);
    const handle = this.track(op);
    if (op.cancelRequestedAt) handle.abortLocally();
    else await this.events.started(op);
    return handle;
  }

  async get(id: string): Promise<Operation> {
    const op = await selectOperation(this.db, id);
    if (!op) throw notFound('operation', id);
    return op;
  }

  /** Records a cancel request; the job sees it within a second, in whichever process it runs. */
  async requestCancel(id: string, by: string): Promise<Operation> {
    const op = await this.get(id);
    if (op.status !== 'queued' && op.status !== 'running') {
      throw new AppError('conflict:operation_finished', `Operation ${id} is already ${op.status}`);
    }
    const updated = await recordCancelRequest(this.db, id, by);
    this.running.get(id)?.abortLocally();
    void this.publishLog(updated, `Cancel requested by ${by}`, 'warn');
    if (updated.status !== 'queued') return updated;
    // Nobody is working on it yet: settle it here.
    const outcome = { done: updated.progressDone, total: updated.progressTotal, counts: updated.counts, error: null };
    return this.finish(updated, 'cancelled', outcome, 'Cancelled before it started');
  }

  isCancelRequested(id: string): Promise<boolean> {
    return cancelRequested(this.db, id);
  }

  publishProgress(op: Operation, progress: ProgressData, counts: Record<string, number>): void {
    this.events.progress(op, progress, counts);
  }

  publishLog(op: Operation, message: string, level: LogLevel, extra: Record<string, unknown> = {}): Promise<void> {
    return this.events.log(op, message, level, extra);
  }

  async writeProgress(id: string, progress: Omit<OperationOutcome, 'error'>): Promise<void> {
    await writeProgress(this.db, id, progress).catch((err) => this.logger.warn({ err, operationId: id }, 'progress not written'));
  }

  async finish(op: Operation, status: FinalOperationStatus, outcome: OperationOutcome, message?: string): Promise<Operation> {
    this.running.delete(op.id);
    const final = (await writeOutcome(this.db, op.id, status, outcome)) ?? op;
    await this.events.finished(op, status, outcome, message);
    this.observeDuration(final, status);
    this.logger.info({ operationId: op.id, kind: op.kind, storeId: op.storeId, status, counts: outcome.counts }, 'operation finished');
    return final;
  }

  /** A logger whose every line names the operation, its store and batch (when the job has one). */
  childLogger(op: Operation): Logger {
    const batchId = typeof op.meta?.batchId === 'string' ? op.meta.batchId : undefined;
    return this.logger.child({ operationId: op.id, kind: op.kind, storeId: op.storeId ?? undefined, ...(batchId ? { batchId } : {}) });
  }

  private observeDuration(op: Operation, status: OperationStatus): void {
    if (!this.metrics) return;
    this.metrics.operations.inc({ kind: op.kind, status });
    if (!op.startedAt) return;
    const seconds = Math.max(0, ((op.finishedAt ?? new Date()).getTime() - op.startedAt.getTime()) / 1000);
    if (op.kind === 'pull') {
      const mode = typeof op.meta?.mode === 'string' ? op.meta.mode : 'unknown';
      this.metrics.pullDuration.observe({ mode, status }, seconds);
    } else if (op.kind === 'push' || op.kind === 'rollback') {
      this.metrics.pushDuration.observe({ kind: op.kind, status }, seconds);
    }
  }

  private track(op: Operation): OperationHandle {
    const handle = new OperationHandle(op, this);
    this.running.set(op.id, handle);
    return handle;
  }
}
