/**
 * Mixed load on one store (issue 15), bounded and on loopback: 50 reviewers listing and approving
 * through the API's route handlers, 100 signed product webhooks a second through the webhook intake
 * (re-read by the worker), a push a minute of what was approved, merchandisers editing the master,
 * and the one-minute backup poll; the emulator on the Standard plan (100 points/s) is the one shared
 * bound. Figures: API p95 over the reviewers' requests; the webhook backlog's drain (load start to
 * the last re-read) against the bucket's bound (the points all lanes spent, at the restore rate);
 * poll successes of those due (no kind of work starved); push durations.
 * Run: npx tsx bench/mixed.bench.ts   (BENCH_MIXED_SECONDS, 300 by default; BENCH_WEBHOOK_RATE; BENCH_REVIEWERS)
 */
import { createHmac, randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import * as approveRoute from '../app/api/sync/staged/[id]/approve/route';
import * as stagedRoute from '../app/api/sync/staged/route';
import { batches, catalogEntities, stores, webhookDeliveries } from '../drizzle/schema';
import { createShopifyClient } from '../lib/shopify';
import { normalizeDecimal } from '../lib/sync/fields';
import { runPull } from '../server/ingest/pull/pull';
import { receiveWebhook } from '../server/ingest/webhooks/receive';
import { startPush } from '../server/push/subsystem';
import { restage } from '../server/staging/restage';
import { callRoute, demoToken } from '../tests/helpers/api';
import { startEmulator } from '../tests/helpers/emulator';
import { shopifyReader } from '../tests/helpers/push-env';
import { createStore } from '../tests/helpers/push-fixtures';
import { startTestRuntime } from '../tests/helpers/runtime';
import { percentile, writeReport } from './report';

const SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 300);
const WEBHOOK_RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 100);
const REVIEWERS = Number(process.env.BENCH_REVIEWERS ?? 50);
/** A push and a poll each this often: a minute, or a fifth of a short run. */
const PERIOD_MS = Math.min(60_000, (SECONDS * 1000) / 5);
const SECRET = `mixed-${randomUUID()}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const emulator = await startEmulator({ products: 1000, seed: 5, plan: 'plus' });
const t = await startTestRuntime({ queue: true });
const db = t.runtime.db;
const created = await createStore(db, { shopDomain: emulator.shopDomain, adminUrl: emulator.adminUrl, accessToken: emulator.accessToken });
const [store] = await db.update(stores).set({ webhookSecret: SECRET }).where(eq(stores.id, created.id)).returning();
const bench = createShopifyClient({ shopDomain: emulator.shopDomain, accessToken: emulator.accessToken, adminUrl: emulator.adminUrl });
await runPull({ db, logger: t.runtime.logger, runtime: t.runtime, reader: shopifyReader(bench) }, store!, 'full', null);
emulator.setFaults({ plan: 'standard' });
await sleep(2_000);
await startPush(t.runtime, t.services.push, t.services.notifier);
t.services.webhooks.worker.start(1000);
const gateway = t.services.shopify.for(store!);
const variants = await db
  .select({ key: catalogEntities.key, productKey: catalogEntities.productKey, local: catalogEntities.local })
  .from(catalogEntities)
  .where(and(eq(catalogEntities.storeId, store!.id), eq(catalogEntities.entity, 'variant')));
const productIds = [...new Set(variants.map((v) => v.productKey!))];
const merch = await demoToken('merchandiser');

let running = true;
const apiMs: number[] = [];
const apiErrors: string[] = [];
async function timedRoute(call: () => Promise<{ status: number }>): Promise<void> {
  const started = performance.now();
  const res = await call();
  apiMs.push(performance.now() - started);
  if (res.status >= 500) apiErrors.push(String(res.status));
}

async function reviewer(n: number): Promise<void> {
  await sleep((n * 1000) / REVIEWERS);
  while (running) {
    let pending: Array<{ id: string; kind: string }> = [];
    await timedRoute(async () => {
      const list = await callRoute(stagedRoute.GET, { path: '/api/sync/staged?status=pending&limit=50', token: merch });
      pending = list.body?.items ?? [];
      return list;
    });
    const pick = pending.filter((c) => c.kind === 'outgoing')[n % Math.max(1, pending.length)];
    if (pick)
      await timedRoute(() =>
        callRoute(approveRoute.POST, { path: `/api/sync/staged/${pick.id}/approve`, params: { id: pick.id }, body: {}, token: merch }),
      );
    await sleep(1000);
  }
}

let delivered = 0;
async function webhooks(): Promise<void> {
  const intake = { runtime: t.runtime, stores: t.services.stores, webhooks: t.services.webhooks };
  const started = Date.now();
  while (running) {
    const due = Math.floor(((Date.now() - started) / 1000) * WEBHOOK_RATE) - delivered;
    for (let i = 0; i < due; i++) {
      const id = productIds[(delivered * 7919) % productIds.length]!;
      const body = Buffer.from(
        JSON.stringify({ id: Number(id.split('/').pop()), admin_graphql_api_id: id, updated_at: new Date().toISOString() }),
      );
      const headers: Record<string, string> = {
        'x-shopify-topic': 'products/update',
        'x-shopify-shop-domain': emulator.shopDomain,
        'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-event-id': randomUUID(),
        'x-shopify-api-version': '2026-10',
      };
      delivered++;
      void receiveWebhook(intake, {
        header: (name) => headers[name.toLowerCase()] ?? null,
        body: async () => body,
        peer: '127.0.0.1',
      }).catch(() => undefined);
    }
    await sleep(50);
  }
}

/** Merchandisers editing the master: two prices a second, staged as outgoing changes. */
async function merchandisers(): Promise<void> {
  let n = 0;
  while (running) {
    for (let i = 0; i < 2; i++, n++) {
      const v = variants[(n * 104_729) % variants.length]!;
      const price = normalizeDecimal((Number(v.local!.price ?? 0) + 1 + (n % 5)).toFixed(2));
      await db
        .update(catalogEntities)
        .set({ local: { ...v.local, price }, localUpdatedAt: sql`now()` })
        .where(and(eq(catalogEntities.storeId, store!.id), eq(catalogEntities.entity, 'variant'), eq(catalogEntities.key, v.key)));
      await db.transaction((tx) => restage(tx, { storeId: store!.id, entities: [{ entity: 'variant', key: v.key }] }, 'edit'));
    }
    await sleep(1000);
  }
}

const pushes: Array<{ items: number; seconds: number; mode: string }> = [];
const polls = { due: 0, ok: 0, failed: 0, skipped: 0 };
async function periodic(): Promise<void> {
  while (running) {
    await sleep(PERIOD_MS);
    if (!running) return;
    polls.due++;
    void t.services.pull
      .poll(store!.id)
      .then((o) => (o ? polls.ok++ : polls.skipped++))
      .catch(() => polls.failed++);
    const started = Date.now();
    const pushed = await t.services.push.push({ storeId: store!.id, createdBy: 'bench' }).catch(() => null);
    if (pushed)
      void waitForBatch(pushed.batchId).then((mode) => pushes.push({ items: pushed.items, seconds: (Date.now() - started) / 1000, mode }));
  }
}

async function waitForBatch(batchId: string): Promise<string> {
  for (;;) {
    const [b] = await db.select({ status: batches.status, mode: batches.mode }).from(batches).where(eq(batches.id, batchId));
    if (b && ['completed', 'failed', 'cancelled'].includes(b.status)) return b.mode;
    await sleep(250);
  }
}

const pointsAtStart = gateway.bucket.stats().pointsUsed;
const loadStart = Date.now();
const work = [webhooks(), merchandisers(), periodic(), ...Array.from({ length: REVIEWERS }, (_, n) => reviewer(n))];
await sleep(SECONDS * 1000);
running = false;
await Promise.allSettled(work);
const loadEnd = Date.now();
// The backlog: deliveries accepted and not yet re-read; wait (bounded) for the worker to drain them.
let open = 0;
for (const cap = Date.now() + 30 * 60_000; Date.now() < cap; await sleep(1000)) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.shopDomain, emulator.shopDomain), inArray(webhookDeliveries.status, ['accepted'])));
  open = row?.n ?? 0;
  if (open === 0) break;
}
const drained = Date.now();
const stats = gateway.bucket.stats();
const lanes = gateway.bucket.laneStats();
// The bound: every point spent by any kind of work, beyond the bucket's first fill, at the restore rate.
const boundSeconds = Math.max(SECONDS, (stats.pointsUsed - pointsAtStart - stats.maximumAvailable) / stats.restoreRate);
const drainSeconds = (drained - loadStart) / 1000;

writeReport('mixed', [
  {
    name: 'mixed load: API p95 (50 reviewers listing and approving)',
    value: percentile(apiMs, 95),
    unit: 'ms',
    target: 200,
    better: 'lower',
    note: `${apiMs.length} requests, p50 ${percentile(apiMs, 50).toFixed(0)} ms, ${apiErrors.length} 5xx; ${SECONDS} s of load`,
  },
  {
    name: 'mixed load: webhook backlog drained / bucket bound',
    value: drainSeconds / boundSeconds,
    unit: 'ratio',
    target: 1.2,
    better: 'lower',
    note: `${delivered} deliveries; drained ${((drained - loadEnd) / 1000).toFixed(0)} s after the load (${open} left); ${Math.round(stats.pointsUsed - pointsAtStart)} points at ${stats.restoreRate}/s = ${boundSeconds.toFixed(0)} s bound; lanes ${JSON.stringify(Object.fromEntries(Object.entries(lanes).map(([k, v]) => [k, { requests: v.requests, points: v.points }])))}`,
  },
  {
    name: 'mixed load: polls that succeeded / polls due',
    value: polls.due ? polls.ok / polls.due : 1,
    unit: 'ratio',
    target: 1,
    better: 'higher',
    note: `${polls.ok} ok, ${polls.failed} failed, ${polls.skipped} skipped (a pull held the store) of ${polls.due}`,
  },
  {
    name: 'mixed load: push duration (a push a minute)',
    value: pushes.length ? Math.max(...pushes.map((p) => p.seconds)) : 0,
    unit: 's',
    note: pushes.map((p) => `${p.items} items ${p.seconds.toFixed(1)} s ${p.mode}`).join('; ') || 'no push finished',
  },
]);
await t.stop();
await emulator.close();
process.exit(0);
