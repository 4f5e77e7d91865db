import { describe, expect, it } from 'vitest';
import type { BatchItem, StagedChange } from '../../drizzle/schema';
import { retryDelay } from '../../lib/retry';
import { judge } from '../../server/push/apply';
import { shopifyWrite } from '../../server/push/snapshot';
import { ruleCondition, ruleMatches } from '../../server/review/auto-approval';

const item = (over: Partial<BatchItem>): BatchItem =>
  ({ entity: 'variant', op: 'update', before: { price: '10.00' }, target: { price: '12.00' }, ...over }) as BatchItem;

describe('drift check verdicts', () => {
  it('writes when Shopify still holds before, is done when it holds the target, drifted otherwise', () => {
    expect(judge(item({}), { price: '10.0' })).toBe('write');
    expect(judge(item({}), { price: '12' })).toBe('done');
    expect(judge(item({}), { price: '11.00' })).toBe('drifted');
    expect(judge(item({}), null)).toBe('drifted');
  });

  it('joins and leaves are judged by presence', () => {
    expect(judge(item({ entity: 'membership', op: 'create', before: null, target: { member: true } }), null)).toBe('write');
    expect(judge(item({ entity: 'membership', op: 'create', before: null, target: { member: true } }), { member: true })).toBe('done');
    expect(judge(item({ entity: 'membership', op: 'delete', before: { member: true }, target: null }), null)).toBe('done');
  });
});

describe('full jitter', () => {
  it('waits between 0 and min(cap, base * 2^attempt)', () => {
    const fullJitter = (attempt: number, baseMs: number, capMs: number) => retryDelay({ attempts: 10, baseMs, capMs }, attempt + 1)!;
    for (let i = 0; i < 200; i++) {
      const w = fullJitter(3, 100, 500);
      expect(w).toBeGreaterThanOrEqual(0);
      expect(w).toBeLessThanOrEqual(500);
    }
    const spread = new Set(Array.from({ length: 50 }, () => Math.round(fullJitter(2, 1000, 60_000))));
    expect(spread.size).toBeGreaterThan(10);
  });
});

describe('auto-approval rule matching', () => {
  const change = (over: Partial<StagedChange>) =>
    ({
      status: 'pending',
      kind: 'outgoing',
      op: 'update',
      entity: 'inventory_level',
      fields: [{ name: 'available', base: 1, local: 4, remote: 1 }],
      magnitude: { quantityDelta: 3 },
      ...over,
    }) as StagedChange;
  it('matches inventory-only changes within the delta, never conflicts or creates', () => {
    const rule = { entity: 'inventory_level' as const, maxQuantityDelta: 5 };
    expect(ruleMatches(rule, change({}))).toBe(true);
    expect(ruleMatches(rule, change({ magnitude: { quantityDelta: -6 } }))).toBe(false);
    expect(ruleMatches(rule, change({ kind: 'conflict' }))).toBe(false);
    expect(ruleMatches(rule, change({ op: 'create' }))).toBe(false);
    expect(ruleMatches({ ...rule, kinds: ['incoming'] }, change({}))).toBe(false);
  });
  it('price under X% only when every changed field is allowed', () => {
    const rule = { entity: 'variant' as const, fields: ['price'], maxPricePercent: 10 };
    const c = change({
      entity: 'variant',
      fields: [{ name: 'price', base: '10', local: '10.5', remote: '10' }],
      magnitude: { pricePercent: 5 },
    });
    expect(ruleMatches(rule, c)).toBe(true);
    expect(ruleMatches(rule, { ...c, magnitude: { pricePercent: 10 } })).toBe(false);
    expect(ruleMatches(rule, { ...c, fields: [...c.fields, { name: 'sku', base: 'a', local: 'b', remote: 'a' }] })).toBe(false);
  });
  it('refuses a size condition the entity does not have: no price percentage for stock, no quantity for prices', () => {
    expect(ruleCondition.safeParse({ entity: 'inventory_level', maxPricePercent: 10 }).error?.issues[0]?.message).toBe(
      'a price change percentage applies to variants only',
    );
    expect(ruleCondition.safeParse({ entity: 'variant', maxQuantityDelta: 3 }).error?.issues[0]?.message).toBe(
      'a quantity range applies to inventory levels only',
    );
    expect(ruleCondition.safeParse({ entity: 'inventory_level', maxQuantityDelta: 3 }).success).toBe(true);
    expect(ruleCondition.safeParse({ maxPricePercent: 10 }).success).toBe(true);
  });
});

describe('the Shopify half of a decision', () => {
  it("writes only the decided fields that differ from what Shopify holds, with Shopify's value as before", () => {
    const c = {
      op: 'update',
      entity: 'variant',
      fields: [
        { name: 'price', base: '9.00', local: '11.00', remote: '12.00' },
        { name: 'sku', base: 'a', local: 'b', remote: 'a' },
      ],
      target: { price: '12.00', sku: 'b' },
    } as unknown as StagedChange;
    expect(shopifyWrite(c)).toEqual({ before: { sku: 'a' }, target: { sku: 'b' } });
  });
});
