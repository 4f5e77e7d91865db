import type { ProgressData } from '../../lib/realtime/events';
import type { OperationOutcome } from './rows';

/** Progress rows are written at most this often; events are coalesced separately, by the hub. */
const PROGRESS_WRITE_MS = 500;

export interface ProgressUpdate {
  total?: number | null;
  current?: string | null;
  counts?: Record<string, number>;
  /** Seconds left as the job's own model says (the push's cost model); otherwise derived from the rate. */
  etaSeconds?: number | null;
  /** How the job does its work (a push's path: regular or bulk). */
  path?: string | null;
}

/**
 * The progress of one running job: done, total and counts, the rate and ETA derived from them,
 * and the row that holds them, written at most every PROGRESS_WRITE_MS however often the job reports.
 */
export class ProgressMeter {
  private readonly startedMs = Date.now();
  private done = 0;
  private total: number | null;
  private counts: Record<string, number> = {};
  private lastWrite = 0;
  private writeTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    total: number | null,
    private readonly write: (progress: Omit<OperationOutcome, 'error'>) => void,
  ) {
    this.total = total;
  }

  /** Records `done` (absolute) and returns the progress an event carries. */
  update(done: number, update: ProgressUpdate): ProgressData {
    this.done = done;
    if (update.total !== undefined) this.total = update.total;
    if (update.counts) this.counts = { ...this.counts, ...update.counts };
    this.scheduleWrite();
    const elapsed = (Date.now() - this.startedMs) / 1000;
    const rate = elapsed > 0 ? done / elapsed : null;
    const byRate = rate && this.total != null && rate > 0 ? Math.max(0, (this.total - done) / rate) : null;
    const etaSeconds = update.etaSeconds !== undefined ? update.etaSeconds : byRate;
    return {
      done,
      total: this.total,
      rate: rate === null ? null : Math.round(rate * 10) / 10,
      etaSeconds: etaSeconds === null ? null : Math.round(etaSeconds),
      current: update.current ?? null,
      ...(update.path ? { path: update.path } : {}),
    };
  }

  count(name: string, by: number): void {
    this.counts[name] = (this.counts[name] ?? 0) + by;
  }

  get currentCounts(): Record<string, number> {
    return this.counts;
  }

  /** Stops writing (the operation is settling) and returns the last figures, `counts` merged in. */
  close(counts: Record<string, number> = {}): Omit<OperationOutcome, 'error'> {
    this.closed = true;
    clearTimeout(this.writeTimer);
    this.counts = { ...this.counts, ...counts };
    return { done: this.done, total: this.total, counts: this.counts };
  }

  private scheduleWrite(): void {
    if (this.writeTimer || this.closed) return;
    const wait = Math.max(0, this.lastWrite + PROGRESS_WRITE_MS - Date.now());
    this.writeTimer = setTimeout(() => {
      this.writeTimer = undefined;
      this.lastWrite = Date.now();
      if (!this.closed) this.write({ done: this.done, total: this.total, counts: this.counts });
    }, wait);
    this.writeTimer.unref?.();
  }
}
