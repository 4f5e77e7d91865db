import { backOff } from 'exponential-backoff';

/**
 * How often and how patiently to retry: exponential backoff with full jitter. The wait before
 * retry n is a random time between 0 and min(capMs, baseMs * 2^(n-1)), so callers that fail
 * together do not come back together.
 */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  baseMs: number;
  capMs: number;
}

export interface RetryOptions {
  /** Whether a failure is worth another attempt; any other failure is thrown at once. */
  retryable(err: unknown): boolean;
  /**
   * Stops retrying: a wait in progress ends at once with the last failure, and no attempt starts
   * after it. An attempt under way is never abandoned (it may be writing); it runs to its end.
   */
  signal?: AbortSignal;
  /** Called before each wait, with the failure and the number of the attempt that failed (stats, logs). */
  onRetry?(err: unknown, failedAttempt: number): void;
}

/**
 * Runs `work` until it succeeds, fails with an error not worth retrying, or the policy's attempts
 * are spent; throws the last failure as it was. A caller tells "spent" from "stopped" by its signal.
 */
export function withRetries<T>(work: (attempt: number) => Promise<T>, policy: RetryPolicy, options: RetryOptions): Promise<T> {
  const { signal } = options;
  let attempt = 0;
  let lastError: unknown;
  let waiting = false;
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      if (waiting) reject(lastError);
    };
    signal?.addEventListener('abort', stop, { once: true });
    backOff(
      () => {
        waiting = false;
        // Reached only after a stop that came during a wait: the promise is settled already.
        if (signal?.aborted && attempt > 0) return Promise.reject(lastError);
        attempt += 1;
        return work(attempt);
      },
      {
        numOfAttempts: policy.attempts,
        startingDelay: policy.baseMs,
        timeMultiple: 2,
        maxDelay: policy.capMs,
        jitter: 'full',
        delayFirstAttempt: false,
        retry: (err: unknown, failed: number) => {
          lastError = err;
          const again = failed < policy.attempts && !signal?.aborted && options.retryable(err);
          if (again) {
            options.onRetry?.(err, failed);
            waiting = true;
          }
          return again;
        },
      },
    )
      .then(resolve, reject)
      .finally(() => signal?.removeEventListener('abort', stop));
  });
}

/**
 * The wait before retry `retry` (1 for the first) when the retry is scheduled rather than awaited,
 * e.g. a job sent to run later: the curve withRetries follows. Null once the attempts are spent.
 */
export function retryDelay(policy: RetryPolicy, retry: number): number | null {
  if (retry >= policy.attempts) return null;
  return Math.random() * Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1));
}
