import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { batches, batchItems, events, stagedChanges, stores } from '../../drizzle/schema';
import { createShopifyClient } from '../../lib/shopify';
import { PushService } from '../../server/push/service';
import { shopifyPorts } from '../../server/push/subsystem';
import { approveChange } from '../../server/review/decisions';
import { makeLocalEdits, type PlannedEdits } from '../helpers/push-changes';
import { catalogSnapshot, type PushEnv, startPushEnv } from '../helpers/push-env';
import { stageAll } from '../helpers/push-fixtures';

const VARIANT_WRITE = 'mutation productVariantsBulkUpdate';

/** Shopify answers 503 to every variant write while reads still answer; counts the write's HTTP attempts. */
function failVariantWrites(): { attempts(): number } {
  const real = globalThis.fetch;
  let attempts = 0;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    if (typeof init?.body === 'string' && init.body.includes(VARIANT_WRITE)) {
      attempts++;
      return new Response('Service Unavailable', { status: 503 });
    }
    return real(input, init);
  });
  return { attempts: () => attempts };
}

/** Shopify does not answer variant writes at all (the connection is refused); reads still answer. */
function refuseVariantWrites(): { attempts(): number } {
  const real = globalThis.fetch;
  let attempts = 0;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    if (typeof init?.body === 'string' && init.body.includes(VARIANT_WRITE)) {
      attempts++;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    }
    return real(input, init);
  });
  return { attempts: () => attempts };
}

afterEach(() => vi.restoreAllMocks());

async function approvedPriceEdits(env: PushEnv, prices: number): Promise<PlannedEdits> {
  const db = env.t.runtime.db;
  const plan = await makeLocalEdits(db, env.store.id, { titles: 0, prices, inventory: 0, leaves: 0, joins: 0 });
  for (const c of await stageAll(db, env.store.id))
    if (c.status === 'pending' && c.kind === 'outgoing') await approveChange(db, c.id, {}, { id: 'test' });
  return plan;
}

async function itemsOf(env: PushEnv, batchId: string) {
  return env.t.runtime.db.select().from(batchItems).where(eq(batchItems.batchId, batchId));
}

describe('push units: one retry path for product and bulk units', () => {
  let env: PushEnv;
  beforeAll(async () => {
    env = await startPushEnv({ products: 40 });
  }, 120_000);
  afterAll(() => env?.stop());

  it('a unit whose write keeps failing: its write goes out once per unit attempt (3 in all, the client does not retry it), then its items are dead letters', async () => {
    const db = env.t.runtime.db;
    const plan = await approvedPriceEdits(env, 1);
    const before = { ...env.push.engine.stats };
    const writes = failVariantWrites();
    const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'test' });
    const batch = await env.waitForBatch(batchId);

    expect(batch.counts).toMatchObject({ total: 1, dead: 1, applied: 0 });
    expect(writes.attempts()).toBe(3);
    const [item] = await itemsOf(env, batchId);
    expect(item).toMatchObject({ status: 'dead', error: expect.stringMatching(/^Gave up after 3 attempts: .*HTTP 503/) });
    const [change] = await db.select().from(stagedChanges).where(eq(stagedChanges.id, item!.stagedChangeId!));
    expect(change!.status).toBe('failed');
    expect(env.push.engine.stats).toMatchObject({
      units: before.units + 1,
      retries: before.retries + 2,
      deadLetters: before.deadLetters + 1,
    });
    const snapshot = await catalogSnapshot(env.shopify);
    const variant = snapshot.get(plan.prices[0]!.productKey!)!.variants.find((v) => v.id === plan.prices[0]!.key)!;
    expect(Number(variant.price)).not.toBe(Number(plan.prices[0]!.local!.price) + 1);
  });

  it('a bulk batch goes through the bulk operation, settles drifted lines, and reports its progress', async () => {
    const db = env.t.runtime.db;
    await db
      .update(stores)
      .set({ settings: { bulkThreshold: 1 } })
      .where(eq(stores.id, env.store.id));
    const plan = await approvedPriceEdits(env, 20);
    const moved = plan.prices[0]!;
    const merchant = createShopifyClient({
      shopDomain: env.emulator.shopDomain,
      accessToken: env.emulator.merchantToken,
      adminUrl: env.emulator.adminUrl,
    });
    await merchant.updateVariants(moved.productKey!, [{ id: moved.key, price: '555.00' }]);

    const { batchId, operationId, mode } = await env.push.push({ storeId: env.store.id, createdBy: 'test' });
    expect(mode).toBe('bulk');
    const batch = await env.waitForBatch(batchId);
    await db.update(stores).set({ settings: {} }).where(eq(stores.id, env.store.id));
    // The variant the previous test left failed is pushed again with these.
    const total = batch.counts.total;
    expect(total).toBeGreaterThanOrEqual(20);
    expect(batch).toMatchObject({ status: 'completed', counts: expect.objectContaining({ applied: total - 1, drifted: 1 }) });
    const drifted = (await itemsOf(env, batchId)).find((i) => i.entityKey === moved.key);
    expect(drifted).toMatchObject({ status: 'drifted', observed: { price: '555.00' }, error: expect.stringMatching(/price/) });
    const snapshot = await catalogSnapshot(env.shopify);
    const prices = new Map([...snapshot.values()].flatMap((p) => p.variants.map((v) => [v.id, v.price] as const)));
    for (const r of plan.prices.slice(1)) expect(Number(prices.get(r.key))).toBe(Number(r.local!.price) + 1);
    const progress = await db
      .select()
      .from(events)
      .where(and(eq(events.operationId, operationId), eq(events.type, 'operation_progress')));
    expect(progress.map((e) => (e.data.progress as { current: string | null }).current)).toContain(`bulk operation (${total} variants)`);
  });
});

describe('push units on shutdown', () => {
  let env: PushEnv;
  beforeAll(async () => {
    // Long unit waits: a stop is likely to find the unit waiting for its next attempt.
    env = await startPushEnv({ products: 10, backoffBaseMs: 60_000, backoffCapMs: 60_000 });
  }, 120_000);
  afterAll(() => env?.stop());

  it('a stop during retries ends the wait at once and leaves the items queued; the next process applies them', async () => {
    const db = env.t.runtime.db;
    await approvedPriceEdits(env, 1);
    failVariantWrites();
    const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'test' });
    const deadline = Date.now() + 30_000;
    while (env.push.engine.stats.retries === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(env.push.engine.stats.retries).toBe(1);

    const stopping = Date.now();
    await env.push.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);
    const [item] = await itemsOf(env, batchId);
    expect(item!.status).toBe('queued');
    expect(env.push.engine.stats.deadLetters).toBe(0);
    const [open] = await db.select().from(batches).where(eq(batches.id, batchId));
    expect(open!.status).toBe('running');

    vi.restoreAllMocks();
    const next = new PushService(env.t.runtime, { portFor: shopifyPorts(env.t.services.shopify) });
    await next.start();
    try {
      const batch = await env.waitForBatch(batchId);
      expect(batch).toMatchObject({ status: 'completed', counts: expect.objectContaining({ total: 1, applied: 1 }) });
    } finally {
      await next.stop();
    }
  });
});

describe('push units through an outage: Shopify not answering at all', () => {
  let env: PushEnv;
  beforeAll(async () => {
    env = await startPushEnv({ products: 10, outageWaitMs: 3_000 });
  }, 120_000);
  afterAll(() => env?.stop());

  it('waits out an outage shorter than its patience and applies, without spending the attempts an answer would', async () => {
    await approvedPriceEdits(env, 1);
    const writes = refuseVariantWrites();
    const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'test' });
    // Longer than one round of 3 unit attempts (one write each), shorter than the patience.
    while (writes.attempts() <= 3) await new Promise((r) => setTimeout(r, 20));
    vi.restoreAllMocks();
    const batch = await env.waitForBatch(batchId);
    expect(batch.counts).toMatchObject({ total: 1, applied: 1, dead: 0 });
  });

  it('past its patience the items are dead letters that say how long Shopify did not answer', async () => {
    await approvedPriceEdits(env, 1);
    const before = { ...env.push.engine.stats };
    const writes = refuseVariantWrites();
    const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'test' });
    const batch = await env.waitForBatch(batchId);
    expect(batch.counts).toMatchObject({ total: 1, dead: 1, applied: 0 });
    expect(writes.attempts()).toBeGreaterThanOrEqual(6);
    const [item] = await itemsOf(env, batchId);
    expect(item).toMatchObject({
      status: 'dead',
      error: expect.stringMatching(/^Shopify did not answer for \d+ s; Gave up after \d+ attempts: /),
    });
    expect(env.push.engine.stats.deadLetters).toBe(before.deadLetters + 1);
  });
});
