import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as healthRoute from '../../app/api/health/route';
import * as metricsRoute from '../../app/api/sync/metrics/route';
import { startServices } from '../../server/services';
import { listStores } from '../../server/stores/stores';
import { callRoute, demoToken } from '../helpers/api';
import { type Emulator, startEmulator } from '../helpers/emulator';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * GET /api/health tells anyone only whether the service is up; the detail (database kind, auth
 * mode, stores and their shop domains, version) is for signed-in users. The detail includes the
 * webhook subscription check: a subscription Shopify dropped is registered again and shown.
 */
let t: TestRuntime;
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ products: 3, seed: 5 });
  t = await startTestRuntime({
    queue: true,
    env: {
      SHOPIFY_SHOP: emulator.shopDomain,
      SHOPIFY_ACCESS_TOKEN: emulator.accessToken,
      SHOPIFY_ADMIN_URL: emulator.adminUrl,
      SHOPIFY_WEBHOOK_SECRET: emulator.webhookSecret,
      PUBLIC_URL: 'http://desk.example',
    },
  });
  await startServices(t.runtime, t.services);
});
afterAll(async () => {
  await t?.stop();
  await emulator?.close();
});

describe('public health', () => {
  it('answers {status} alone without a session, or with a token that does not verify', async () => {
    for (const token of [null, 'not-a-token']) {
      const res = await callRoute(healthRoute.GET, { path: '/api/health', token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: expect.stringMatching(/^(ok|degraded)$/) });
      expect(JSON.stringify(res.body)).not.toMatch(/pglite|postgres|demo|supabase|myshopify|version/i);
    }
  });

  it('answers the detail to a signed-in user, without secrets', async () => {
    const res = await callRoute(healthRoute.GET, { path: '/api/health', token: await demoToken('support') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ database: { reachable: true }, auth: { mode: 'demo' }, sync: expect.any(Object) });
    expect(JSON.stringify(res.body)).not.toContain(emulator.accessToken);
    expect(JSON.stringify(res.body)).not.toContain(emulator.webhookSecret);
  });
});

describe('webhook subscription check', () => {
  it('finds a subscription Shopify dropped, registers it again and shows it on the health indicators', async () => {
    const subscriptions = () => [...emulator.state.webhookSubscriptions.values()];
    await t.services.webhooks.subscriptions.idle();
    const [store] = await listStores(t.runtime.db);
    await t.services.webhooks.subscriptions.check(store!);
    const dropped = subscriptions().find((s) => s.topic === 'PRODUCTS_UPDATE')!;
    expect(dropped, JSON.stringify(subscriptions())).toBeTruthy();
    emulator.state.webhookSubscriptions.delete(dropped.id);

    const outcome = await t.services.webhooks.subscriptions.check(store!);
    expect(outcome).toMatchObject({ missing: ['products/update'], error: null });
    expect(subscriptions().filter((s) => s.topic === 'PRODUCTS_UPDATE')).toHaveLength(1);

    const token = await demoToken('admin');
    const health = await callRoute(healthRoute.GET, { path: '/api/health', token });
    expect(health.body.sync.webhooks).toMatchObject({ healthy: true, value: 0, detail: expect.stringMatching(/products\/update/) });
    const metrics = await callRoute(metricsRoute.GET, { token });
    expect(metrics.body.health.webhooks.stores).toEqual([
      expect.objectContaining({ shopDomain: emulator.shopDomain, missing: ['products/update'], error: null }),
    ]);
  });

  it('says so when the check cannot reach Shopify', async () => {
    const [store] = await listStores(t.runtime.db);
    emulator.setFaults({ errorRate: 1 });
    try {
      const outcome = await t.services.webhooks.subscriptions.check(store!);
      expect(outcome.error).toEqual(expect.any(String));
    } finally {
      emulator.setFaults({ errorRate: 0 });
    }
    const health = await callRoute(healthRoute.GET, { path: '/api/health', token: await demoToken('admin') });
    expect(health.body.sync.webhooks).toMatchObject({ healthy: false, value: 1 });
    expect(health.body.status).toBe('degraded');
  });
});
