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
    expect(estimateQueryCost('query q($n: Int!) { products(first: $n) { edges { node { id variants(first: 5) { edges { node { id } } } } } } }', { n: 2 })).toBe(2 + 2 * (1 + 2 + 5));
  });

  it('prices a mutation at 10', () => {
    expect(estimateQueryCost('mutation { productDelete(input: {id: "x"}) { deletedProductId } }')).toBe(10);
  });
});

describe('sharedThrottleBucket', () => {
  it('gives every client of one store and token the same bucket, and another token its own', async () => {
    const { createStoreClient, sharedThrottleBucket } = await import('@/lib/shopify');
    const a = createStoreClient({ shopDomain: 'shared.myshopify.com', accessToken: 'token-a', adminUrl: 'http://127.0.0.1:1' });
    const b = createStoreClient({ shopDomain: 'shared.myshopify.com', accessToken: 'token-a' });
    expect(a.bucket).toBe(b.bucket);
    expect(a.bucket).toBe(sharedThrottleBucket('shared.myshopify.com', 'token-a'));
    expect(sharedThrottleBucket('shared.myshopify.com', 'token-b')).not.toBe(a.bucket);
    expect(a.endpoint).toBe('http://127.0.0.1:1/admin/api/2026-10/graphql.json');
    expect(b.endpoint).toBe('https://shared.myshopify.com/admin/api/2026-10/graphql.json');
  });
});
