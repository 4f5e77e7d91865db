import { type RetryPolicy, withRetries } from '../../lib/retry';

/**
 * Postgres aborts one transaction of a deadlock (40P01) or of a serialization failure (40001):
 * nothing of it was written, and running it again usually succeeds. Decisions and rollbacks take
 * their locks in a fixed order, so a second failure in a row is a fault worth reporting.
 */
const TRANSIENT_CODES = new Set(['40P01', '40001']);

export const TRANSACTION_RETRY: RetryPolicy = { attempts: 2, baseMs: 20, capMs: 200 };

/** Whether an error (or one it wraps: drizzle wraps the driver's) is a deadlock or a serialization failure. */
export function isTransientDbError(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | null | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** Runs a whole transaction again, once, when Postgres aborted it as a deadlock victim or for serialization. */
export function retryTransient<T>(work: () => Promise<T>): Promise<T> {
  return withRetries(() => work(), TRANSACTION_RETRY, { retryable: isTransientDbError });
}
