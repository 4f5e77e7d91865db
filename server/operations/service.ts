import { and, eq, isNull, sql } from 'drizzle-orm';
import { operations, type Operation } from '../../drizzle/schema';
import { AppError, notFound } from '../../lib/errors';
import { rooms, type ProgressData } from '../../lib/realtime/events';
import type { OperationKind, OperationStatus } from '../../lib/sync/model';
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/registry';
import type { RealtimeHub } from '../realtime/hub';

export interface StartOperationInput {
  kind: OperationKind;
  storeId?: string | null;
  title: string;
  startedBy: string;
  total?: number | null;
  meta?: Record<string, unknown>;
}

/** How often a running job looks for a cancel request made by another process. */
const CANCEL_POLL_MS = 1000;
/** Progress rows are written at most this often; events are coalesced separately. */
const PROGRESS_WRITE_MS = 500;

export class OperationCancelled extends Error {
  override name = 'OperationCancelled';
  constructor(readonly operationId: string) {
    super(`Operation ${operationId} was cancelled`);
  }
}

/**
 * The handle a job holds while it runs: progress, logs, completion, and the cancel signal.
 * Cancel requests arrive through the database (any process may ask) and abort `signal`.
 */
export class OperationHandle {
  private readonly controller = new AbortController();
  private readonly startedMs = Date.now();
  private done = 0;
  private total: number | null;
  private counts: Record<string, number> = {};
  private lastWrite = 0;
  private writeTimer?: NodeJS.Timeout;
  private cancelTimer?: NodeJS.Timeout;
  private finished = false;
  private jobLogger: Logger;

  constructor(
    readonly operation: Operation,
    private readonly service: OperationService,
  ) {
    this.jobLogger = service.childLogger(operation);
    this.total = operation.progressTotal ?? null;
    this.cancelTimer = setInterval(() => void this.pollCancel(), CANCEL_POLL_MS);
    this.cancelTimer.unref?.();
  }

  get id(): string {
    return this.operation.id;
  }

  /**
   * The job's structured logger: every line carries operationId, kind, storeId and batchId
   * (from meta.batchId, or set later with `withBatch`). Secrets are redacted by the root logger.
   */
  get logger(): Logger {
    return this.jobLogger;
  }

  /** Binds a batch id to the job's log lines once the job knows it. */
  withBatch(batchId: string): Logger {
    this.jobLogger = this.jobLogger.child({ batchId });
    return this.jobLogger;
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  throwIfCancelled(): void {
    if (this.cancelled) throw new OperationCancelled(this.id);
  }

  /** Reports progress; `done` is absolute. Rate and ETA are derived here. */
  progress(done: number, options: { total?: number | null; current?: string | null; counts?: Record<string, number> } = {}): void {
    this.done = done;
    if (options.total !== undefined) this.total = options.total;
    if (options.counts) this.counts = { ...this.counts, ...options.counts };
    const elapsed = (Date.now() - this.startedMs) / 1000;
    const rate = elapsed > 0 ? done / elapsed : null;
    const etaSeconds = rate && this.total != null && rate > 0 ? Math.max(0, (this.total - done) / rate) : null;
    const progress: ProgressData = {
      done,
      total: this.total,
      rate: rate === null ? null : Math.round(rate * 10) / 10,
      etaSeconds: etaSeconds === null ? null : Math.round(etaSeconds),
      current: options.current ?? null,
    };
    this.service.emitProgress(this.operation, progress, this.counts);
    this.scheduleWrite();
  }

  count(name: string, by = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + by;
  }

  get currentCounts(): Readonly<Record<string, number>> {
    return this.counts;
  }

  log(message: string, level: 'debug' | 'info' | 'warn' | 'error' = 'info', extra: Record<string, unknown> = {}): void {
    this.jobLogger[level](extra, message);
    void this.service.emitLog(this.operation, message, level, extra);
  }

  async complete(counts: Record<string, number> = {}, message?: string): Promise<Operation> {
    return this.finish('completed', { counts, message });
  }

  async fail(error: unknown): Promise<Operation> {
    const message = describeFailure(error);
    return this.finish('failed', { error: message, message });
  }

  async markCancelled(message = 'Cancelled'): Promise<Operation> {
    return this.finish('cancelled', { message });
  }

  /** Runs `work` and settles the operation from its outcome; cancellation is not a failure. */
  async run<T>(work: (handle: OperationHandle) => Promise<T & { counts?: Record<string, number>; message?: string }>): Promise<T> {
    try {
      const result = await work(this);
      if (this.cancelled) await this.markCancelled();
      else await this.complete(result?.counts ?? {}, result?.message);
      return result;
    } catch (err) {
      if (err instanceof OperationCancelled || this.cancelled) await this.markCancelled();
      else await this.fail(err);
      throw err;
    }
  }

  private async finish(
    status: Exclude<OperationStatus, 'queued' | 'running'>,
    options: { counts?: Record<string, number>; error?: string; message?: string },
  ): Promise<Operation> {
    if (this.finished) return this.operation;
    this.finished = true;
    clearInterval(this.cancelTimer);
    clearTimeout(this.writeTimer);
    this.counts = { ...this.counts, ...options.counts };
    return this.service.finish(this.operation, status, {
      done: this.done,
      total: this.total,
      counts: this.counts,
      error: options.error ?? null,
      message: options.message,
    });
  }

  private scheduleWrite(): void {
    if (this.writeTimer || this.finished) return;
    const wait = Math.max(0, this.lastWrite + PROGRESS_WRITE_MS - Date.now());
    this.writeTimer = setTimeout(() => {
      this.writeTimer = undefined;
      this.lastWrite = Date.now();
      if (this.finished) return;
      void this.service.writeProgress(this.id, this.done, this.total, this.counts);
    }, wait);
    this.writeTimer.unref?.();
  }

  private async pollCancel(): Promise<void> {
    if (this.finished || this.cancelled) return;
    try {
      if (await this.service.isCancelRequested(this.id)) this.abortLocally();
    } catch (err) {
      // The database is away (restart, network): ask again on the next tick rather than crash the process.
      this.jobLogger.debug({ err }, 'cancel check failed; retrying');
    }
  }

  /** Called by the service when the cancel request was made in this process. */
  abortLocally(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new OperationCancelled(this.id));
  }
}

/** Creates, reports, completes and cancels operations; every long job runs through it. */
export class OperationService {
  private readonly running = new Map<string, OperationHandle>();

  constructor(
    private readonly db: Db,
    private readonly hub: RealtimeHub,
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
  ) {}

  roomsOf(op: Pick<Operation, 'id' | 'storeId'>): string[] {
    return op.storeId ? [rooms.operation(op.id), rooms.store(op.storeId)] : [rooms.operation(op.id), rooms.global];
  }

  /** Creates a running operation and returns the handle its job reports through. */
  async start(input: StartOperationInput): Promise<OperationHandle> {
    const [op] = await this.db
      .insert(operations)
      .values({
        kind: input.kind,
        storeId: input.storeId ?? null,
        title: input.title,
        startedBy: input.startedBy,
        progressTotal: input.total ?? null,
        meta: input.meta ?? {},
        status: 'running',
        startedAt: new Date(),
      })
      .returning();
    await this.hub.publish('operation_start', this.roomsOf(op!), this.describe(op!, 'Started'), op!.id);
    return this.track(op!);
  }

  /** Creates a queued operation for a job to claim later with `resume`. */
  async enqueue(input: StartOperationInput): Promise<Operation> {
    const [op] = await this.db
      .insert(operations)
      .values({
        kind: input.kind,
        storeId: input.storeId ?? null,
        title: input.title,
        startedBy: input.startedBy,
        progressTotal: input.total ?? null,
        meta: input.meta ?? {},
        status: 'queued',
      })
      .returning();
    await this.hub.publish('operation_start', this.roomsOf(op!), this.describe(op!, 'Queued'), op!.id);
    return op!;
  }

  /** A job picks up a queued (or interrupted running) operation and gets its handle. */
  async resume(id: string): Promise<OperationHandle> {
    const existing = this.running.get(id);
    if (existing) return existing;
    const [op] = await this.db
      .update(operations)
      .set({ status: 'running', startedAt: sql`coalesce(${operations.startedAt}, now())`, updatedAt: sql`now()` })
      .where(and(eq(operations.id, id), sql`${operations.status} in ('queued','running')`))
      .returning();
    if (!op) throw new AppError('conflict:operation_finished', `Operation ${id} is not queued or running`);
    if (op.cancelRequestedAt) {
      const handle = this.track(op);
      handle.abortLocally();
      return handle;
    }
    await this.hub.publish('operation_start', this.roomsOf(op), this.describe(op, 'Started'), op.id);
    return this.track(op);
  }

  async get(id: string): Promise<Operation> {
    const [op] = await this.db.select().from(operations).where(eq(operations.id, id));
    if (!op) throw notFound('operation', id);
    return op;
  }

  /** Records a cancel request; the job sees it within a second, in whichever process it runs. */
  async requestCancel(id: string, by: string): Promise<Operation> {
    const op = await this.get(id);
    if (op.status !== 'queued' && op.status !== 'running') {
      throw new AppError('conflict:operation_finished', `Operation ${id} is already ${op.status}`);
    }
    const [updated] = await this.db
      .update(operations)
      .set({ cancelRequestedAt: sql`coalesce(${operations.cancelRequestedAt}, now())`, cancelRequestedBy: by, updatedAt: sql`now()` })
      .where(eq(operations.id, id))
      .returning();
    this.running.get(id)?.abortLocally();
    void this.emitLog(updated!, `Cancel requested by ${by}`, 'warn');
    if (updated!.status === 'queued') {
      // Nobody is working on it yet: settle it here.
      return this.finish(updated!, 'cancelled', { done: updated!.progressDone, total: updated!.progressTotal, counts: updated!.counts, error: null, message: 'Cancelled before it started' });
    }
    return updated!;
  }

  async isCancelRequested(id: string): Promise<boolean> {
    const [row] = await this.db.select({ at: operations.cancelRequestedAt }).from(operations).where(eq(operations.id, id));
    return Boolean(row?.at);
  }

  /** Operations left running by a process that died: the job that resumes them decides; others fail. */
  async failOrphans(kinds: OperationKind[], reason: string): Promise<number> {
    if (kinds.length === 0) return 0;
    const rows = await this.db
      .update(operations)
      .set({ status: 'failed', error: reason, finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(sql`${operations.status} in ('queued','running')`, sql`${operations.kind} in ${kinds}`, isNull(operations.finishedAt)))
      .returning({ id: operations.id });
    return rows.length;
  }

  emitProgress(op: Operation, progress: ProgressData, counts: Record<string, number>): void {
    this.hub.coalesce(op.id, 'operation_progress', this.roomsOf(op), {
      operation_id: op.id,
      store_id: op.storeId ?? undefined,
      kind: op.kind,
      status: 'running',
      progress,
      counts,
    });
  }

  async emitLog(op: Operation, message: string, level: 'debug' | 'info' | 'warn' | 'error', extra: Record<string, unknown> = {}) {
    await this.hub.flush(op.id);
    await this.hub
      .publish('operation_log', this.roomsOf(op), { operation_id: op.id, store_id: op.storeId ?? undefined, kind: op.kind, message, level, ...extra }, op.id)
      .catch((err) => this.logger.warn({ err, operationId: op.id }, 'operation log not published'));
  }

  async writeProgress(id: string, done: number, total: number | null, counts: Record<string, number>): Promise<void> {
    await this.db
      .update(operations)
      .set({ progressDone: done, progressTotal: total, counts, updatedAt: sql`now()` })
      .where(and(eq(operations.id, id), eq(operations.status, 'running')))
      .catch((err) => this.logger.warn({ err, operationId: id }, 'progress not written'));
  }

  async finish(
    op: Operation,
    status: Exclude<OperationStatus, 'queued' | 'running'>,
    result: { done: number; total: number | null; counts: Record<string, number>; error: string | null; message?: string },
  ): Promise<Operation> {
    this.running.delete(op.id);
    const [updated] = await this.db
      .update(operations)
      .set({
        status,
        progressDone: result.done,
        progressTotal: result.total,
        counts: result.counts,
        error: result.error,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(operations.id, op.id))
      .returning();
    const final = updated ?? op;
    await this.hub.flush(op.id);
    const roomList = this.roomsOf(final);
    const base = { operation_id: op.id, store_id: op.storeId ?? undefined, kind: op.kind, counts: result.counts };
    if (status === 'failed') {
      await this.hub.publish('error', roomList, { ...base, status, message: result.error ?? 'Operation failed' }, op.id);
    }
    await this.hub.publish(
      'operation_complete',
      roomList,
      { ...base, status, progress: { done: result.done, total: result.total }, message: result.message ?? defaultMessage(status) },
      op.id,
    );
    this.hub.forget(op.id);
    this.observeDuration(final, status);
    this.logger.info({ operationId: op.id, kind: op.kind, storeId: op.storeId, status, counts: result.counts }, 'operation finished');
    return final;
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

  /** A logger whose every line names the operation, its store and batch (when the job has one). */
  childLogger(op: Operation): Logger {
    const batchId = typeof op.meta?.batchId === 'string' ? op.meta.batchId : undefined;
    return this.logger.child({ operationId: op.id, kind: op.kind, storeId: op.storeId ?? undefined, ...(batchId ? { batchId } : {}) });
  }

  /** Handles of operations running in this process (for graceful shutdown). */
  get active(): OperationHandle[] {
    return [...this.running.values()];
  }

  private track(op: Operation): OperationHandle {
    const handle = new OperationHandle(op, this);
    this.running.set(op.id, handle);
    return handle;
  }

  private describe(op: Operation, message: string) {
    return {
      operation_id: op.id,
      store_id: op.storeId ?? undefined,
      kind: op.kind,
      status: op.status,
      message: `${message}: ${op.title}`,
      progress: { done: op.progressDone, total: op.progressTotal },
      started_by: op.startedBy,
    };
  }
}

/**
 * The message an operation records when it fails. A query error's own text holds the statement and
 * its parameters (catalog data, never useful to a reader); the database's reason is in its cause.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message.startsWith('Failed query:') && error.cause instanceof Error) return `Database error: ${error.cause.message}`;
  return error.message;
}

function defaultMessage(status: OperationStatus): string {
  return status === 'completed' ? 'Completed' : status === 'cancelled' ? 'Cancelled' : 'Failed';
}
