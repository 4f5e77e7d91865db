import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stores } from '../../drizzle/schema';
import { parseConfig } from '../../lib/env';
import type { Emulator } from '../../server/emulator';
import { getHealth } from '../../server/health';
import { createLogger } from '../../server/logger';
import { type App, installApp } from '../../server/registry';
import { type Runtime, startRuntime } from '../../server/runtime';
import { createServices, startServices } from '../../server/services';
import { defaultStore } from '../../server/stores/stores';
import { type OutageProxy, startOutageProxy } from '../helpers/outage-proxy';
import { type OwnPostgres, postgresBinDir, startOwnPostgres } from '../helpers/own-postgres';
import { batchOf, scrapeMetrics, stageApprovedPriceEdits, startEmulatorForTest, startPushBatch, sumOf, until } from './push-faults';

/**
 * A push under faults, end to end: the app's runtime and push engine on a Postgres of the test's
 * own, pushing to the emulator through a relay the test can cut. Shopify unreachable for 30 s:
 * the push waits, health says Shopify is unreachable, then everything is applied. Postgres
 * restarted in the middle of a push: the engine pauses, reconnects and completes. /metrics and
 * the health indicators move with it.
 */
const METRICS_TOKEN = 'fault-metrics-token-0123456789';
const OUTAGE_MS = 30_000;
const EDITS = 15;

let pg: OwnPostgres;
let emulator: Emulator;
let proxy: OutageProxy;
let runtime: Runtime;
let app: App;
let storeId: string;

beforeAll(async () => {
  if (!postgresBinDir()) return;
  pg = await startOwnPostgres();
  const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
  await admin`create database csd`;
  await admin.end();
  emulator = await startEmulatorForTest({ products: 40 });
  proxy = await startOutageProxy({ port: Number(new URL(emulator.url).port) });
  const config = parseConfig({
    NODE_ENV: 'test',
    DEV_AUTH: 'true',
    DATABASE_URL: pg.url.replace(/\/postgres$/, '/csd'),
    SHOPIFY_SHOP: emulator.shopDomain,
    SHOPIFY_ACCESS_TOKEN: emulator.accessToken,
    SHOPIFY_ADMIN_URL: emulator.adminUrl.replace(new URL(emulator.url).origin, proxy.url),
    METRICS_TOKEN,
    LOG_LEVEL: 'silent',
  });
  runtime = await startRuntime(config, { logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  app = { runtime, services: createServices(runtime) };
  installApp(app);
  await startServices(runtime, app.services);
  storeId = (await defaultStore(runtime.db)).id;
}, 180_000);
// A failed outage test must not leave Shopify cut off for the next one.
afterEach(async () => {
  await proxy?.up();
});
afterAll(async () => {
  await runtime?.stop().catch(() => {});
  await proxy?.close();
  await emulator?.close();
  await pg?.destroy();
});

/** Pins the push's path through the store's setting (the cost model would pick one by itself). */
async function pinPath(path: 'regular' | 'bulk') {
  await runtime.db
    .update(stores)
    .set({ settings: { bulkThreshold: path === 'bulk' ? 0 : 1000 } })
    .where(eq(stores.id, storeId));
}

describe.skipIf(!postgresBinDir())('a push under faults', () => {
  it.each(['regular', 'bulk'] as const)(
    '%s path: waits while Shopify is unreachable for 30 s, says so, then applies everything; metrics and health follow',
    async (path) => {
      await pinPath(path);
      const edited = await stageApprovedPriceEdits(app, storeId, EDITS);
      expect(edited).toBe(EDITS);
      const before = await scrapeMetrics(METRICS_TOKEN);

      await proxy.down();
      const { batchId, operationId } = await startPushBatch(storeId);
      const cutAt = Date.now();
      const down = await until(
        async () => {
          const h = await getHealth(app);
          return h.sync?.shopify.healthy === false ? h : null;
        },
        'health to report Shopify unreachable',
        OUTAGE_MS,
      );
      expect(down.status).toBe('degraded');
      expect(down.sync!.shopify.detail).toMatch(/unreachable since .*operations are waiting/);
      expect((await runtime.operations.get(operationId)).status).toBe('running');
      const during = await scrapeMetrics(METRICS_TOKEN);
      expect(sumOf(during, 'csd_shopify_retries_total')).toBeGreaterThan(sumOf(before, 'csd_shopify_retries_total'));

      await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - cutAt))));
      expect((await runtime.operations.get(operationId)).status).toBe('running');
      expect((await batchOf(batchId)).status).not.toBe('completed');
      await proxy.up();

      const batch = await until(async () => {
        const b = await batchOf(batchId);
        return b.status === 'completed' || b.status === 'failed' ? b : null;
      }, 'the push to complete after the outage');
      expect(batch.mode).toBe(path);
      expect(batch.status).toBe('completed');
      expect(batch.counts).toMatchObject({ applied: EDITS, failed: 0, dead: 0, drifted: 0 });
      expect((await runtime.operations.get(operationId)).status).toBe('completed');

      const after = await scrapeMetrics(METRICS_TOKEN);
      expect(
        sumOf(after, 'csd_batch_items', { kind: 'push', status: 'applied' }) -
          sumOf(before, 'csd_batch_items', { kind: 'push', status: 'applied' }),
      ).toBe(EDITS);
      expect(sumOf(after, 'csd_push_duration_seconds_count', { kind: 'push', status: 'completed' })).toBe(
        sumOf(before, 'csd_push_duration_seconds_count', { kind: 'push', status: 'completed' }) + 1,
      );
      expect(sumOf(after, 'csd_shopify_cost_points_total')).toBeGreaterThan(sumOf(before, 'csd_shopify_cost_points_total'));
      const healthy = await until(async () => {
        const h = await getHealth(app);
        return h.sync?.shopify.healthy === true ? h : null;
      }, 'health to see Shopify answering again');
      expect(healthy.sync!.pushSuccess).toMatchObject({ healthy: true, value: 1 });
      expect(healthy.sync!.activity.healthy).toBe(true);
    },
  );

  it('pauses while Postgres restarts in the middle of a push, reconnects and completes', async () => {
    await pinPath('regular');
    const edited = await stageApprovedPriceEdits(app, storeId, EDITS);
    const logBefore = emulator.mutationLog().length;
    // The push is held at Shopify's door (relay cut) so that Postgres goes down with the batch
    // running and nothing settled; Shopify comes back while Postgres is still down, so writes can
    // land on Shopify while their outcome cannot be recorded: resume must not write them twice.
    await proxy.down();
    const { batchId, operationId } = await startPushBatch(storeId);
    await until(async () => (await runtime.operations.get(operationId)).status === 'running', 'the push to start');
    await new Promise((r) => setTimeout(r, 1000));
    const mid = await batchOf(batchId);
    expect(mid.status).toBe('running');
    expect(mid.counts.applied ?? 0).toBeLessThan(edited);
    await pg.stop();
    expect((await getHealth(app)).status).toBe('down');
    await proxy.up();
    await new Promise((r) => setTimeout(r, 3000));
    await pg.start();

    const batch = await until(async () => {
      const b = await batchOf(batchId);
      return b.status === 'completed' || b.status === 'failed' ? b : null;
    }, 'the push to complete after the restart');
    expect(batch.status).toBe('completed');
    expect(batch.counts).toMatchObject({ applied: edited, failed: 0, dead: 0 });
    expect((await runtime.operations.get(operationId)).status).toBe('completed');
    expect((await getHealth(app)).status).not.toBe('down');
    // Each variant was written once, restart or not.
    const writes = emulator
      .mutationLog()
      .slice(logBefore)
      .filter((m) => m.actor === 'app' && m.mutation === 'productVariantsBulkUpdate');
    const targets = writes.flatMap((m) => m.target);
    expect(new Set(targets).size).toBe(edited);
  });
});
