import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveChange } from '../../server/review/decisions';
import { makeLocalEdits } from '../helpers/push-changes';
import { type PushEnv, startPushEnv } from '../helpers/push-env';
import { stageAll } from '../helpers/push-fixtures';
import { PRODUCTS_LOAD_PAGE as PAGE, productsLoadQuery } from '../helpers/shopify-reads';

/** PAGE requests ~180 points: sixty of them are well over a minute of the Standard plan's budget. */
const BACKLOG = 60;

/**
 * One scheduler per store's Shopify budget (the gateway's bucket): with a backlog of webhook
 * re-reads queued for more than a minute of points, a person's push still finishes in seconds and
 * the poll still succeeds, because each kind of work is served by its share, not behind the others.
 */
describe("a store's Shopify budget under a webhook backlog", () => {
  let env: PushEnv;
  beforeAll(async () => {
    env = await startPushEnv({ products: 60, plan: 'plus' });
    env.emulator.setFaults({ plan: 'standard' });
  }, 120_000);
  afterAll(() => env?.stop());

  it('a push progresses and the poll succeeds while the re-reads wait their turn', async () => {
    const db = env.t.runtime.db;
    await makeLocalEdits(db, env.store.id, { titles: 0, prices: 8, inventory: 0, leaves: 0, joins: 0 });
    for (const c of await stageAll(db, env.store.id))
      if (c.status === 'pending' && c.kind === 'outgoing') await approveChange(db, c.id, {}, { id: 'test' });

    const gateway = env.t.services.shopify.for(env.store);
    const webhook = gateway.client('webhook');
    // The backlog: re-reads queued on the webhook lane, far more than the bucket holds.
    const backlog = Array.from({ length: BACKLOG }, () => webhook.request(productsLoadQuery, PAGE).catch(() => null));
    await new Promise((r) => setTimeout(r, 500));
    expect(gateway.bucket.laneStats().webhook?.waiting).toBeGreaterThan(BACKLOG / 2);

    const started = Date.now();
    const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'test' });
    const polled = env.t.services.pull.poll(env.store.id);
    const batch = await env.waitForBatch(batchId, 30_000);
    const pushSeconds = (Date.now() - started) / 1000;
    expect(batch.status).toBe('completed');
    expect(batch.counts).toMatchObject({ applied: 8, failed: 0, dead: 0 });
    // The push finished while most of the backlog was still waiting: it was not behind it.
    const lanes = gateway.bucket.laneStats();
    expect(lanes.webhook!.waiting, JSON.stringify({ lanes, pushSeconds })).toBeGreaterThan(BACKLOG / 4);
    expect(pushSeconds).toBeLessThan(30);

    const outcome = await polled;
    expect(outcome).not.toBeNull();
    expect(gateway.bucket.laneStats().poll?.requests).toBeGreaterThan(0);
    expect(gateway.bucket.laneStats().webhook!.waiting).toBeGreaterThan(0);
    // The backlog drains on its own afterwards; the test does not wait for it.
    void Promise.allSettled(backlog);
  }, 90_000);
});
