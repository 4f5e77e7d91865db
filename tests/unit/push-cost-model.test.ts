import { describe, expect, it } from 'vitest';
import { type CostItem, conditionsOf, estimatePaths, remainingSeconds, shapeOf } from '@/server/push/cost-model';

/** Drift reads as the emulator prices them: about 10 points per node of a unit's read, 3 per variant of a bulk run's. */
const readPoints = { unit: (ids: number) => 2 + 10 * ids, variants: (ids: number) => 3 * ids };
const standard = (available = 2000) => conditionsOf({ available, restoreRate: 100, latencyMs: 40 }, 40);
const prices = (products: number, extra = 0): CostItem[] => [
  ...Array.from({ length: products }, (_, i) => ({ entity: 'variant' as const, op: 'update', unit: `p${i}` })),
  ...Array.from({ length: extra }, (_, i) => ({ entity: 'variant' as const, op: 'update', unit: `p${i}` })),
];

describe('push cost model', () => {
  it('keeps a small push on the regular path: a few round trips beat the bulk run', () => {
    const e = estimatePaths(shapeOf(prices(1), readPoints), standard());
    expect(e.path).toBe('regular');
    expect(e.regularSeconds).toBeLessThan(1);
    expect(e.bulkSeconds).toBeGreaterThan(e.regularSeconds);
  });

  it('sends the demo push (368 prices on 362 products) through the bulk path, in seconds rather than minutes', () => {
    const shape = shapeOf(prices(362, 6), readPoints);
    expect(shape).toMatchObject({ items: 368, units: 362, bulk: { variants: 368, lines: 362, readRequests: 2 } });
    const e = estimatePaths(shape, standard());
    expect(e.path).toBe('bulk');
    // Regular: 362 x (read of 2 nodes + one mutation) = 11,946 points, 2,000 in the bucket, 100/s after.
    expect(e.regularSeconds).toBeGreaterThan(90);
    expect(e.seconds).toBeLessThan(20);
    expect(e.seconds).toBe(e.bulkSeconds);
  });

  it('counts the bucket as it is: an empty bucket makes the regular path slower, not the choice of a path with no variants', () => {
    const items: CostItem[] = Array.from({ length: 50 }, (_, i) => ({ entity: 'product', op: 'update', unit: `p${i}` }));
    const full = estimatePaths(shapeOf(items, readPoints), standard(2000));
    const empty = estimatePaths(shapeOf(items, readPoints), standard(0));
    expect(full.bulkSeconds).toBeNull();
    expect(full.path).toBe('regular');
    expect(empty.seconds).toBeGreaterThan(full.seconds);
    // 50 x (a read of one node + one mutation) at 100 points/s, and our settling: 0.5 s + 4 ms per item.
    expect(empty.seconds).toBeCloseTo((50 * (12 + 10)) / 100 + 0.5 + 50 * 0.004, 5);
  });

  it('counts down: less left is fewer seconds, none left is zero, never "done" while items are left', () => {
    const e = estimatePaths(shapeOf(prices(362, 6), readPoints), standard(0));
    const at = (done: number, elapsedSeconds: number) => remainingSeconds(e, { done, total: 368, elapsedSeconds }, standard(0));
    expect(Math.abs(at(0, 0) - e.seconds)).toBeLessThanOrEqual(0.5);
    expect(at(0, e.seconds / 2)).toBeLessThan(at(0, 0));
    expect(at(300, e.seconds * 3)).toBe(1);
    expect(at(368, 1)).toBe(0);
  });
});
