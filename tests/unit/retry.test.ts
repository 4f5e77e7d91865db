import { describe, expect, it } from 'vitest';
import { retryDelay, withRetries } from '../../lib/retry';

class Flaky extends Error {
  retryable = true;
}

const retryable = (err: unknown) => err instanceof Flaky;
const quick = { attempts: 4, baseMs: 1, capMs: 5 };

describe('withRetries', () => {
  it('retries failures worth retrying until one attempt succeeds, telling each retry', async () => {
    const seen: number[] = [];
    const retries: number[] = [];
    const result = await withRetries(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new Flaky(`attempt ${attempt}`);
        return 'ok';
      },
      quick,
      { retryable, onRetry: (_err, failed) => retries.push(failed) },
    );
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
    expect(retries).toEqual([1, 2]);
  });

  it('throws the last failure once the attempts are spent', async () => {
    let calls = 0;
    const run = withRetries(
      async (attempt) => {
        calls++;
        throw new Flaky(`attempt ${attempt}`);
      },
      quick,
      { retryable },
    );
    await expect(run).rejects.toThrow('attempt 4');
    expect(calls).toBe(4);
  });

  it('throws a failure not worth retrying at once', async () => {
    let calls = 0;
    const run = withRetries(
      async () => {
        calls++;
        throw new Error('bad input');
      },
      quick,
      { retryable },
    );
    await expect(run).rejects.toThrow('bad input');
    expect(calls).toBe(1);
  });

  it('a stop during a wait ends it at once with the last failure, and no attempt starts after it', async () => {
    const controller = new AbortController();
    let calls = 0;
    const started = Date.now();
    const run = withRetries(
      async () => {
        calls++;
        throw new Flaky(`attempt ${calls}`);
      },
      { attempts: 5, baseMs: 10_000, capMs: 10_000 },
      // The first wait is a random time up to 10 s: stop as soon as it begins.
      { retryable, signal: controller.signal, onRetry: () => setTimeout(() => controller.abort(), 5) },
    );
    await expect(run).rejects.toThrow('attempt 1');
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(1);
  });

  it('an attempt under way when the stop comes runs to its end, and is not retried', async () => {
    const controller = new AbortController();
    let calls = 0;
    let finished = false;
    const run = withRetries(
      async () => {
        calls++;
        controller.abort();
        await new Promise((r) => setTimeout(r, 30));
        finished = true;
        throw new Flaky('lost answer');
      },
      quick,
      { retryable, signal: controller.signal },
    );
    await expect(run).rejects.toThrow('lost answer');
    expect(finished).toBe(true);
    expect(calls).toBe(1);
  });
});

describe('retryDelay', () => {
  it('follows the same curve for scheduled retries and is null once the attempts are spent', () => {
    const policy = { attempts: 3, baseMs: 100, capMs: 150 };
    for (let i = 0; i < 100; i++) {
      expect(retryDelay(policy, 1)).toBeLessThanOrEqual(100);
      expect(retryDelay(policy, 2)).toBeLessThanOrEqual(150);
    }
    expect(retryDelay(policy, 3)).toBeNull();
  });
});
