/**
 * 10,000 variant price changes pushed to the emulator on the Standard plan (100 points/s):
 * the regular path's sustained cost points per second against the restore rate, the bulk path's
 * total time, and the THROTTLED answers callers saw (the client waits them out, so 0).
 * Run: npx tsx bench/push.bench.ts   (BENCH_VARIANTS, BENCH_REGULAR_SECONDS to change the size)
 */
import { and, eq, sql } from 'drizzle-orm';
import { batches, batchItems, catalogEntities, stagedChanges, stores } from '../drizzle/schema';
import { createShopifyClient } from '../lib/shopify';
import { normalizeDecimal } from '../lib/sync/fields';
import { runPull } from '../server/ingest/pull/pull';
import { startPush } from '../server/push/subsystem';
import { approveChange } from '../server/review/decisions';
import { startEmulator } from '../tests/helpers/emulator';
import { shopifyReader } from '../tests/helpers/push-env';
import { createStore, stageAll } from '../tests/helpers/push-fixtures';
import { startTestRuntime } from '../tests/helpers/runtime';
import { runBench } from './harness';
import { approvePriceChanges, pushAndRollBack } from './push-demo';
import { type Figure, writeReport } from './report';

const VARIANTS = Number(process.env.BENCH_VARIANTS ?? 10_000);
const REGULAR_SECONDS = Number(process.env.BENCH_REGULAR_SECONDS ?? 90);
/** `demo` runs only the demo-shaped push and rollback figures. */
const ONLY = process.env.BENCH_PUSH_ONLY ?? '';

/**
 * The demo's push (368 price changes on 362 products) and a rollback of 711 items against the push
 * of the same, each on a fresh Standard plan store with the path the cost model chooses.
 */
async function demoFigures(): Promise<Figure[]> {
  const emulator = await startEmulator({ products: 1000, seed: 11, plan: 'standard' });
  const t = await startTestRuntime({ queue: true });
  const db = t.runtime.db;
  const store = await createStore(db, { shopDomain: emulator.shopDomain, adminUrl: emulator.adminUrl, accessToken: emulator.accessToken });
  const shopify = createShopifyClient({ shopDomain: emulator.shopDomain, accessToken: emulator.accessToken, adminUrl: emulator.adminUrl });
  await runPull({ db, logger: t.runtime.logger, runtime: t.runtime, reader: shopifyReader(shopify) }, store, 'full', null);
  const { push } = t.services;
  await startPush(t.runtime, push, t.services.notifier);
  // The pull drew from the bench's own client: the store's bucket starts full, as after a quiet minute.
  await approvePriceChanges(db, store, 362, 368, 1);
  const demo = await pushAndRollBack(db, push, store);
  await sleep(20_000); // the bucket refills (2,000 points at 100/s)
  await approvePriceChanges(db, store, 700, 711, 2);
  const big = await pushAndRollBack(db, push, store);
  await t.stop();
  await emulator.close();
  const describe = (b: typeof demo.pushed) =>
    `${b.applied}/${b.total} applied, ${b.mode} path, ${b.status}; the model's estimate ${b.estimate === null ? 'none' : `${b.estimate.toFixed(1)} s`}`;
  return [
    {
      name: 'demo push: 368 price changes on 362 products',
      value: demo.pushed.seconds,
      unit: 's',
      target: 20,
      better: 'lower',
      ...modelBound(demo.pushed),
      note: describe(demo.pushed),
    },
    {
      name: 'demo push rolled back',
      value: demo.rolledBack.seconds,
      unit: 's',
      ...modelBound(demo.rolledBack),
      note: describe(demo.rolledBack),
    },
    {
      name: 'rollback of 711 items',
      value: big.rolledBack.seconds,
      unit: 's',
      better: 'lower',
      ratioTarget: 1.2,
      bound: { value: big.pushed.seconds, what: 'the push of the same 711 items', measured: true },
      note: `push ${big.pushed.seconds.toFixed(1)} s (${describe(big.pushed)}); rollback ${big.rolledBack.seconds.toFixed(1)} s (${describe(big.rolledBack)})`,
    },
  ];
}

/** The cost model's estimate of the chosen path (Shopify's bucket, restore rate and bulk run; estimated, not measured) as the bound. */
function modelBound(b: { estimate: number | null }): Pick<Figure, 'bound'> {
  return b.estimate === null
    ? {}
    : { bound: { value: b.estimate, what: "the cost model's estimate of the path it chose (the ETA shown)", measured: false } };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const demo = await demoFigures();
  if (ONLY === 'demo') {
    writeReport('push', demo);
    return;
  }
  const emulator = await startEmulator({ products: Math.ceil(VARIANTS / 1.8), seed: 7, plan: 'plus' });
  const t = await startTestRuntime({ queue: true });
  const db = t.runtime.db;
  const store = await createStore(db, { shopDomain: emulator.shopDomain, adminUrl: emulator.adminUrl, accessToken: emulator.accessToken });
  const shopify = createShopifyClient({ shopDomain: emulator.shopDomain, accessToken: emulator.accessToken, adminUrl: emulator.adminUrl });
  await runPull({ db, logger: t.runtime.logger, runtime: t.runtime, reader: shopifyReader(shopify) }, store, 'full', null);
  emulator.setFaults({ plan: 'standard' });
  const { push } = t.services;
  await startPush(t.runtime, push, t.services.notifier);

  const variants = (
    await db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, store.id), eq(catalogEntities.entity, 'variant')))
  ).slice(0, VARIANTS);
  const editAll = async (by: number) => {
    for (const v of variants) {
      const [row] = await db
        .select()
        .from(catalogEntities)
        .where(and(eq(catalogEntities.storeId, store.id), eq(catalogEntities.entity, 'variant'), eq(catalogEntities.key, v.key)));
      await db
        .update(catalogEntities)
        .set({ local: { ...row!.local, price: normalizeDecimal((Number(row!.local!.price) + by).toFixed(2)) } })
        .where(and(eq(catalogEntities.storeId, store.id), eq(catalogEntities.entity, 'variant'), eq(catalogEntities.key, v.key)));
    }
    const staged = await stageAll(db, store.id);
    for (const c of staged.filter((x) => x.status === 'pending')) await approveChange(db, c.id, {}, { id: 'bench' });
  };
  const waitFor = async (batchId: string, capMs: number) => {
    const end = Date.now() + capMs;
    for (;;) {
      const [b] = await db.select().from(batches).where(eq(batches.id, batchId));
      if (['completed', 'cancelled', 'failed'].includes(b!.status) || Date.now() > end) return b!;
      await sleep(250);
    }
  };
  const throttledSeen = async (batchId: string) =>
    (
      await db
        .select({ id: batchItems.id })
        .from(batchItems)
        .where(and(eq(batchItems.batchId, batchId), sql`${batchItems.error} ilike '%throttled%'`))
    ).length;

  // Regular path: time-capped; the rate is measured while the bucket is the limit.
  await db
    .update(stores)
    .set({ settings: { bulkThreshold: 1_000_000 } })
    .where(eq(stores.id, store.id));
  await editAll(1);
  const regular = await push.push({ storeId: store.id, createdBy: 'bench', priority: 'normal' });
  const started = Date.now();
  let rb = await waitFor(regular.batchId, REGULAR_SECONDS * 1000);
  const stats = t.services.shopify.for(store).bucket.stats();
  const regularMode = rb.mode;
  const regularSeconds = (Date.now() - started) / 1000;
  if (rb.status === 'running') {
    await t.runtime.operations.requestCancel(rb.operationId!, 'bench');
    rb = await waitFor(regular.batchId, 60_000);
  }
  const regularApplied = rb.counts.applied;
  const regularThrottled = await throttledSeen(regular.batchId);

  // Bulk path: every variant again, through bulkOperationRunMutation.
  await sleep((stats.maximumAvailable / stats.restoreRate) * 1000);
  await db
    .update(stores)
    .set({ settings: { bulkThreshold: 10 } })
    .where(eq(stores.id, store.id));
  await editAll(1);
  const [pending] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(stagedChanges)
    .where(and(eq(stagedChanges.storeId, store.id), eq(stagedChanges.status, 'approved')));
  const bulkStart = Date.now();
  const bulk = await push.push({ storeId: store.id, createdBy: 'bench' });
  const bb = await waitFor(bulk.batchId, 20 * 60_000);
  const bulkSeconds = (Date.now() - bulkStart) / 1000;
  const bulkThrottled = await throttledSeen(bulk.batchId);

  writeReport(
    'push',
    [
      ...demo,
      {
        name: 'regular path sustained cost rate / restore rate',
        value: (stats.sustainedPointsPerSecond ?? stats.pointsPerSecond) / stats.restoreRate,
        unit: 'ratio',
        target: 0.9,
        better: 'higher',
        note: `${Math.round(stats.sustainedPointsPerSecond ?? stats.pointsPerSecond)} points/s vs ${stats.restoreRate}/s restore; ${regularApplied} of ${variants.length} variants in ${regularSeconds.toFixed(0)} s (${regularMode} mode, cap ${REGULAR_SECONDS} s)`,
      },
      { name: 'regular path variants per second', value: regularApplied / regularSeconds, unit: 'variants/s' },
      {
        name: 'bulk path total time',
        value: bulkSeconds,
        unit: 's',
        note: `${bb.counts.applied} of ${pending!.n} variants applied (${bb.mode}), status ${bb.status}`,
      },
      {
        name: 'THROTTLED seen by callers',
        value: regularThrottled + bulkThrottled,
        unit: 'answers',
        target: 0,
        better: 'lower',
        note: `${stats.throttledCount} THROTTLED answers waited out inside the client`,
      },
    ],
    { database: t.testDb.url ? 'postgres' : 'pglite' },
  );
  await t.stop();
  await emulator.close();
}

runBench(main);
