import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as healthRoute from '../../app/api/health/route';
import * as syncMetricsRoute from '../../app/api/sync/metrics/route';
import * as metricsRoute from '../../app/metrics/route';
import { batches, batchItems, type Store, stores, webhookDeliveries } from '../../drizzle/schema';
import { webhookCheckWords } from '../../lib/dashboard/webhook-words';
import type { ThrottleBucket, ThrottleStats } from '../../lib/shopify';
import { getSyncHealth } from '../../server/metrics/sync-health';
import { recordPollResult } from '../../server/stores/poll-health';
import { callRoute, demoToken } from '../helpers/api';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const TOKEN = 'metrics-token-for-health-tests-0123';
let t: TestRuntime;
let store: Store;
let storeId: string;
beforeAll(async () => {
  t = await startTestRuntime({ env: { METRICS_TOKEN: TOKEN } });
  [store] = (await t.runtime.db
    .insert(stores)
    .values({ shopDomain: 'health.myshopify.com', name: 'health', accessToken: 'x' })
    .returning()) as [Store];
  storeId = store.id;
});
afterAll(() => t?.stop());

async function deliveries(status: 'processed' | 'failed', n: number) {
  const received = new Date(Date.now() - 2000);
  await t.runtime.db.insert(webhookDeliveries).values(
    Array.from({ length: n }, () => ({
      storeId,
      shopDomain: 'health.myshopify.com',
      topic: 'products/update',
      eventId: randomUUID(),
      status,
      receivedAt: received,
      processedAt: status === 'processed' ? new Date(received.getTime() + 40) : null,
    })),
  );
}

async function pushedItems(outcomes: Array<'applied' | 'failed' | 'dead' | 'drifted'>) {
  const [batch] = await t.runtime.db.insert(batches).values({ storeId, kind: 'push', createdBy: 'test', status: 'completed' }).returning();
  await t.runtime.db.insert(batchItems).values(
    outcomes.map((status, i) => ({
      batchId: batch!.id,
      storeId,
      side: 'shopify' as const,
      entity: 'product' as const,
      entityKey: `gid://shopify/Product/${i}`,
      status,
      idempotencyKey: randomUUID(),
      finishedAt: new Date(),
    })),
  );
}

/** A request Shopify answered, as the client settles it on the store's bucket. */
async function answered(bucket: ThrottleBucket): Promise<void> {
  const status = { maximumAvailable: 1000, currentlyAvailable: 990, restoreRate: 50 };
  bucket.settle(await bucket.acquire(10), { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: status });
}

const scrape = async () =>
  (await metricsRoute.GET(new Request('http://localhost/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }))).text();

describe('sync health indicators', () => {
  it('has no verdict without data, and says so', async () => {
    const health = await getSyncHealth(t.runtime.db);
    expect(health.eventSuccess).toMatchObject({ healthy: null, value: null, processed: 0, failed: 0 });
    expect(health.pushSuccess).toMatchObject({ healthy: null, value: null });
    expect(health.pollingFailures).toMatchObject({ healthy: true, value: 0 });
    expect(health.eventSuccess.detail).toMatch(/No webhook deliveries/);
    // A store new to syncing is not failing: no verdict, and the whole is not degraded by it.
    expect(health.activity).toMatchObject({ healthy: null, lastActivityAt: null, detail: 'No sync activity yet' });
    expect(health.status).toBe('healthy');
  });

  it("says the webhook check in the store card's words: topics registered again are all registered, an error fails", async () => {
    const missing = ['products/create', 'products/update', 'products/delete', 'inventory_levels/update', 'a', 'b', 'c'];
    const check = { checkedAt: new Date().toISOString(), missing, error: null };
    await t.runtime.db.update(stores).set({ webhookCheck: check }).where(eq(stores.id, storeId));
    let health = await getSyncHealth(t.runtime.db);
    expect(health.webhooks).toMatchObject({ healthy: true, value: 0 });
    expect(health.webhooks.detail).toBe(`health.myshopify.com: ${webhookCheckWords(check).text}`);
    expect(health.webhooks.detail).toContain('All registered');
    await t.runtime.db
      .update(stores)
      .set({ webhookCheck: { ...check, error: 'HTTP 401' } })
      .where(eq(stores.id, storeId));
    health = await getSyncHealth(t.runtime.db);
    expect(health.webhooks).toMatchObject({ healthy: false, value: 1 });
    expect(health.webhooks.detail).toBe('health.myshopify.com: Could not be checked or registered again: HTTP 401');
    await t.runtime.db.update(stores).set({ webhookCheck: null }).where(eq(stores.id, storeId));
  });

  it('counts a push as sync activity in a store that never pulled; a decision (adopt batch) is not', async () => {
    await t.runtime.db.insert(batches).values({ storeId, kind: 'adopt', createdBy: 'test', status: 'completed' });
    expect((await getSyncHealth(t.runtime.db)).activity.healthy).toBeNull();
    const [push] = await t.runtime.db.insert(batches).values({ storeId, kind: 'push', createdBy: 'test', status: 'completed' }).returning();
    const health = await getSyncHealth(t.runtime.db);
    expect(health.activity).toMatchObject({ healthy: true, lastActivityAt: push!.updatedAt.toISOString() });
    expect(health.activity.detail).toMatch(/^Active: last activity/);
    expect(health.status).toBe('healthy');
  });

  it('judges event success at 95% and push success at 90%', async () => {
    await deliveries('processed', 95);
    await deliveries('failed', 5);
    await pushedItems([...Array<'applied'>(9).fill('applied'), 'failed', 'drifted']);
    let health = await getSyncHealth(t.runtime.db);
    expect(health.eventSuccess).toMatchObject({ healthy: true, value: 0.95, processed: 95, failed: 5 });
    expect(health.pushSuccess).toMatchObject({ healthy: true, value: 0.9, applied: 9, failed: 1 });
    expect(health.status).toBe('healthy');

    await deliveries('failed', 1);
    await pushedItems(['dead']);
    health = await getSyncHealth(t.runtime.db);
    expect(health.eventSuccess.healthy).toBe(false);
    expect(health.eventSuccess.value).toBeCloseTo(95 / 101, 5);
    expect(health.pushSuccess.healthy).toBe(false);
    expect(health.pushSuccess.value).toBeCloseTo(9 / 11, 5);
    expect(health.status).toBe('degraded');
  });

  it('counts polling failures in a row until a poll succeeds', async () => {
    for (let i = 0; i < 4; i++) await recordPollResult(t.runtime.db, storeId, { ok: false, error: 'connect ECONNREFUSED' });
    expect((await getSyncHealth(t.runtime.db)).pollingFailures).toMatchObject({ healthy: true, value: 4 });
    await recordPollResult(t.runtime.db, storeId, { ok: false, error: 'connect ECONNREFUSED' });
    const failing = await getSyncHealth(t.runtime.db);
    expect(failing.pollingFailures).toMatchObject({ healthy: false, value: 5 });
    expect(failing.pollingFailures.detail).toMatch(/5 polling failures in a row/);
    await recordPollResult(t.runtime.db, storeId, { ok: true });
    expect((await getSyncHealth(t.runtime.db)).pollingFailures).toMatchObject({ healthy: true, value: 0 });
  });

  it('sees activity within the last 5 minutes, and its absence', async () => {
    const now = await getSyncHealth(t.runtime.db);
    expect(now.activity.healthy).toBe(true);
    const later = await getSyncHealth(t.runtime.db, { now: new Date(Date.now() + 6 * 60_000) });
    expect(later.activity.healthy).toBe(false);
    expect(later.activity.detail).toMatch(/No sync activity for 6 minutes/);
  });

  it('says when Shopify stops answering, and when it answers again', async () => {
    const { bucket } = t.services.shopify.for(store);
    // Two requests lost on the way (connection refused) and retried, none answered.
    bucket.noteRetry();
    bucket.noteRetry();
    const down = await callRoute(healthRoute.GET, { token: await demoToken('support') });
    expect(down.body.sync.shopify).toMatchObject({ healthy: false, value: 1 });
    expect(down.body.sync.shopify.detail).toMatch(/unreachable since .*2 failed attempts in a row.*resume/);
    expect(down.body.status).toBe('degraded');
    await answered(bucket);
    const up = await callRoute(healthRoute.GET, { token: await demoToken('support') });
    expect(up.body.sync.shopify).toMatchObject({ healthy: true, value: 0 });
  });

  it("tells from a store's bucket whether Shopify answers: retries without answers mean it does not", async () => {
    const { shopify } = t.services;
    const [other] = (await t.runtime.db
      .insert(stores)
      .values({ shopDomain: 'health-other.myshopify.com', name: 'other', accessToken: 'y' })
      .returning()) as [Store];
    const { bucket } = shopify.for(other);
    const state = () => shopify.reachability().find((r) => r.storeId === other.id);
    expect(state()).toBeUndefined();
    for (let i = 0; i < 3; i++) bucket.noteRetry();
    expect(state()).toMatchObject({ reachable: false, consecutiveFailures: 3 });
    const since = state()!.failingSince;
    for (let i = 0; i < 2; i++) bucket.noteRetry();
    expect(state()).toMatchObject({ reachable: false, consecutiveFailures: 5, failingSince: since });
    expect((await getSyncHealth(t.runtime.db, { reachability: shopify.reachability() })).shopify.healthy).toBe(false);
    await answered(bucket);
    expect(state()).toMatchObject({ reachable: true, consecutiveFailures: 0, failingSince: null });
  });

  it('GET /api/sync/metrics reports the indicators and the counts behind them to any role', async () => {
    const res = await callRoute(syncMetricsRoute.GET, { token: await demoToken('support'), path: '/api/sync/metrics?windowMinutes=30' });
    expect(res.status).toBe(200);
    expect(res.body.health.windowMinutes).toBe(30);
    expect(res.body.health.eventSuccess.processed).toBe(95);
    expect(res.body.batchItems).toMatchObject({ applied: 9, failed: 1, dead: 1, drifted: 1 });
    const bad = await callRoute(syncMetricsRoute.GET, { token: await demoToken('support'), path: '/api/sync/metrics?windowMinutes=0' });
    expect(bad.status).toBe(400);
    expect((await callRoute(syncMetricsRoute.GET, {})).status).toBe(401);
  });
});

describe("GET /metrics from stored state and the stores' buckets", () => {
  it('reports items by outcome, webhook results and latency, throttle use, and durations', async () => {
    let points = 100;
    let throttled = 1;
    const stats = (): ThrottleStats => ({
      pointsUsed: points,
      pointsPerSecond: 25,
      sustainedPointsPerSecond: null,
      restoreRate: 50,
      maximumAvailable: 1000,
      currentlyAvailable: 900,
      throttledCount: throttled,
      retryCount: 3,
      requests: 10,
      answers: 10,
      waitedMs: 0,
      latencyMs: null,
    });
    // The gateways' figures as a store's bucket would report them after this much traffic.
    const buckets = vi.spyOn(t.services.shopify, 'buckets').mockImplementation(() => [{ storeId, stats: stats() }]);
    const pull = await t.runtime.operations.start({ kind: 'pull', storeId, title: 'p', startedBy: 'test', meta: { mode: 'full' } });
    await pull.complete();
    const push = await t.runtime.operations.start({ kind: 'push', storeId, title: 'p', startedBy: 'test' });
    await push.fail(new Error('boom'));

    let text = await scrape();
    const line = (re: RegExp) => text.split('\n').find((l) => re.test(l));
    expect(line(/^csd_batch_items\{kind="push",status="applied"/)).toMatch(/ 9$/);
    expect(line(/^csd_batch_items\{kind="push",status="dead"/)).toMatch(/ 1$/);
    expect(line(/^csd_webhook_deliveries_recent\{status="processed"/)).toMatch(/ 95$/);
    expect(line(/^csd_webhook_deliveries_recent\{status="failed"/)).toMatch(/ 6$/);
    expect(
      Number(
        line(/^csd_webhook_processing_seconds\{quantile="0.5"/)!
          .split(' ')
          .pop(),
      ),
    ).toBeCloseTo(0.04, 3);
    expect(line(/^csd_shopify_points_per_second\{store="/)).toMatch(/ 25$/);
    expect(line(/^csd_shopify_throttle_utilization\{store="/)).toMatch(/ 0.5$/);
    expect(line(/^csd_shopify_restore_rate\{store="/)).toMatch(/ 50$/);
    expect(line(/^csd_shopify_throttled_total\{store="/)).toMatch(/ 1$/);
    expect(line(/^csd_shopify_retries_total\{store="/)).toMatch(/ 3$/);
    expect(line(/^csd_pull_duration_seconds_count\{.*mode="full",status="completed"/)).toMatch(/ 1$/);
    expect(line(/^csd_push_duration_seconds_count\{.*kind="push",status="failed"/)).toMatch(/ 1$/);

    points = 160;
    throttled = 4;
    text = await scrape();
    expect(line(/^csd_shopify_throttled_total\{store="/)).toMatch(/ 4$/);
    expect(line(/^csd_shopify_cost_points_total\{store="/)).toMatch(/ 160$/);
    // The store's gateway gone (no bucket in this process): its figures go with it.
    buckets.mockImplementation(() => []);
    text = await scrape();
    expect(line(/^csd_shopify_points_per_second\{store="/)).toBeUndefined();
    buckets.mockRestore();
  });
});
