import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { estimateQueryCost } from '@/lib/shopify/estimate';
import { ThrottleBucket } from '@/lib/shopify/throttle';

const status = (currentlyAvailable: number) => ({ maximumAvailable: 2000, currentlyAvailable, restoreRate: 100 });

describe('ThrottleBucket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('grants a request at once while its cost is available', async () => {
    const bucket = new ThrottleBucket({ maximumAvailable: 1000, restoreRate: 50 });
    await expect(bucket.acquire(400)).resolves.toBe(400);
    expect(bucket.stats().currentlyAvailable).toBe(600);
  });

  it('holds a request until the bucket has restored its cost, first come first served', async () => {
    const bucket = new ThrottleBucket({ maximumAvailable: 100, restoreRate: 10 });
    await bucket.acquire(100);
    const order: string[] = [];
    const big = bucket.acquire(50).then(() => order.push('big'));
    const small = bucket.acquire(1).then(() => order.push('small'));
    await vi.advanceTimersByTimeAsync(4000);
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(1100);
    await big;
    await small;
    expect(order).toEqual(['big', 'small']);
    expect(bucket.stats().waitedMs).toBeGreaterThan(0);
  });

  it('shares the points between lanes by weight: a push request overtakes a webhook backlog, and the poll is served too', async () => {
    const bucket = new ThrottleBucket({ maximumAvailable: 100, restoreRate: 100, shares: { push: 4, webhook: 2, poll: 2 } });
    await bucket.acquire(100, 'webhook');
    const order: string[] = [];
    const backlog = Array.from({ length: 20 }, (_, i) => bucket.acquire(50, 'webhook').then(() => order.push(`webhook${i}`)));
    const push = bucket.acquire(50, 'push').then(() => order.push('push'));
    const poll = bucket.acquire(50, 'poll').then(() => order.push('poll'));
    await vi.advanceTimersByTimeAsync(20_000);
    await Promise.all([...backlog, push, poll]);
    // The push was queued after twenty re-reads, yet goes first (or right after the one already due).
    expect(order.indexOf('push')).toBeLessThanOrEqual(1);
    expect(order.indexOf('poll')).toBeLessThanOrEqual(2);
    const lanes = bucket.laneStats();
    expect(lanes.webhook).toMatchObject({ requests: 21, waiting: 0 });
    expect(lanes.push).toMatchObject({ requests: 1, points: 50 });
  });

  it('gives each waiting lane points in proportion to its weight', async () => {
    const bucket = new ThrottleBucket({ maximumAvailable: 10, restoreRate: 100, shares: { push: 3, webhook: 1 } });
    await bucket.acquire(10, 'push');
    const order: string[] = [];
    const all = [
      ...Array.from({ length: 40 }, () => bucket.acquire(10, 'webhook').then(() => order.push('w'))),
      ...Array.from({ length: 40 }, () => bucket.acquire(10, 'push').then(() => order.push('p'))),
    ];
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(all);
    const first = order.slice(0, 40);
    expect(first.filter((x) => x === 'p').length).toBeGreaterThanOrEqual(28);
    expect(first.filter((x) => x === 'w').length).toBeGreaterThanOrEqual(8);
  });

  it('refunds the difference between requested and actual cost and adopts the server view', async () => {
    const bucket = new ThrottleBucket();
    const taken = await bucket.acquire(300);
    bucket.settle(taken, { requestedQueryCost: 300, actualQueryCost: 40, throttleStatus: status(1960) });
    const s = bucket.stats();
    expect(s.maximumAvailable).toBe(2000);
    expect(s.restoreRate).toBe(100);
    expect(s.currentlyAvailable).toBe(1960);
    expect(s.pointsUsed).toBe(40);
    expect(s.requests).toBe(1);
  });

  it('keeps the points of requests still in flight deducted when calibrating on the first answer', async () => {
    const bucket = new ThrottleBucket();
    const a = await bucket.acquire(100);
    await bucket.acquire(200);
    bucket.settle(a, { requestedQueryCost: 100, actualQueryCost: 100, throttleStatus: status(1900) });
    expect(bucket.stats().currentlyAvailable).toBe(1700);
  });

  it('never believes it holds more than Shopify reports (another client shares the token)', async () => {
    const bucket = new ThrottleBucket();
    bucket.settle(await bucket.acquire(10), { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: status(1990) });
    bucket.settle(await bucket.acquire(10), { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: status(500) });
    expect(bucket.stats().currentlyAvailable).toBe(500);
  });

  it('after a THROTTLED answer refunds the points and waits for what Shopify says is missing', async () => {
    const bucket = new ThrottleBucket();
    bucket.settle(await bucket.acquire(10), { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: status(1990) });
    const taken = await bucket.acquire(500);
    bucket.throttled(taken, status(200));
    expect(bucket.stats().throttledCount).toBe(1);
    let granted = false;
    const next = bucket.acquire(500).then(() => (granted = true));
    await vi.advanceTimersByTimeAsync(2900);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    await next;
    expect(granted).toBe(true);
  });

  it('reports the points per second charged', async () => {
    const bucket = new ThrottleBucket();
    for (let i = 0; i < 10; i += 1) {
      bucket.settle(await bucket.acquire(50), { requestedQueryCost: 50, actualQueryCost: 50, throttleStatus: status(1000) });
      await vi.advanceTimersByTimeAsync(500);
    }
    const s = bucket.stats();
    expect(s.pointsUsed).toBe(500);
    expect(s.pointsPerSecond).toBeGreaterThan(90);
    expect(s.pointsPerSecond).toBeLessThan(115);
  });
});

describe('estimateQueryCost', () => {
  it('prices connections as 2 + first x the cost of a node', () => {
    expect(estimateQueryCost('{ products(first: 10) { edges { node { id title } } } }')).toBe(12);
    expect(
      estimateQueryCost(
        'query q($n: Int!) { products(first: $n) { edges { node { id variants(first: 5) { edges { node { id } } } } } } }',
        { n: 2 },
      ),
    ).toBe(2 + 2 * (1 + 2 + 5));
  });

  it('prices a mutation at 10', () => {
    expect(estimateQueryCost('mutation { productDelete(input: {id: "x"}) { deletedProductId } }')).toBe(10);
  });
});
