import type { Operation } from '../../drizzle/schema';
import type { ProgressData } from '../../lib/realtime/events';
import type { Logger } from '../logger';
import type { LogLevel } from './events';
import { ProgressMeter, type ProgressUpdate } from './progress';
import type { FinalOperationStatus, OperationOutcome } from './rows';

/** How often a running job looks for a cancel request made by another process. */
const CANCEL_POLL_MS = 1000;

export class OperationCancelled extends Error {
  override name = 'OperationCancelled';
  constructor(readonly operationId: string) {
    super(`Operation ${operationId} was cancelled`);
  }
}

/** What a handle needs from the service that made it. */
export interface OperationHost {
  childLogger(op: Operation): Logger;
  publishProgress(op: Operation, progress: ProgressData, counts: Record<string, number>): void;
  publishLog(op: Operation, message: string, level: LogLevel, extra?: Record<string, unknown>): Promise<void>;
  writeProgress(id: string, progress: Omit<OperationOutcome, 'error'>): Promise<void>;
  isCancelRequested(id: string): Promise<boolean>;
  finish(op: Operation, status: FinalOperationStatus, outcome: OperationOutcome, message?: string): Promise<Operation>;
}

/**
 * The handle a job holds while it runs: progress, logs, completion, and the cancel signal.
 * Cancel requests arrive through the database (any process may ask) and abort `signal`.
 */
export class OperationHandle {
  private readonly controller = new AbortController();
  private readonly meter: ProgressMeter;
  private readonly cancelTimer: NodeJS.Timeout;
  private finished = false;
  private jobLogger: Logger;

  constructor(
    readonly operation: Operation,
    private readonly host: OperationHost,
  ) {
    this.jobLogger = host.childLogger(operation);
    this.meter = new ProgressMeter(operation.progressTotal ?? null, (progress) => void host.writeProgress(operation.id, progress));
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
  progress(done: number, update: ProgressUpdate = {}): void {
    const progress = this.meter.update(done, update);
    this.host.publishProgress(this.operation, progress, this.meter.currentCounts);
  }

  count(name: string, by = 1): void {
    this.meter.count(name, by);
  }

  log(message: string, level: LogLevel = 'info', extra: Record<string, unknown> = {}): void {
    this.jobLogger[level](extra, message);
    void this.host.publishLog(this.operation, message, level, extra);
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

  /** Called by the service when the cancel request was made in this process. */
  abortLocally(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new OperationCancelled(this.id));
  }

  private async finish(
    status: FinalOperationStatus,
    options: { counts?: Record<string, number>; error?: string; message?: string },
  ): Promise<Operation> {
    if (this.finished) return this.operation;
    this.finished = true;
    clearInterval(this.cancelTimer);
    const figures = this.meter.close(options.counts);
    return this.host.finish(this.operation, status, { ...figures, error: options.error ?? null }, options.message);
  }

  private async pollCancel(): Promise<void> {
    if (this.finished || this.cancelled) return;
    try {
      if (await this.host.isCancelRequested(this.id)) this.abortLocally();
    } catch (err) {
      // The database is away (restart, network): ask again on the next tick rather than crash the process.
      this.jobLogger.debug({ err }, 'cancel check failed; retrying');
    }
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
