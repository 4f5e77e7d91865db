import { sql } from 'drizzle-orm';
import { queryOne } from '../server/db/rows';
import { startEmulator } from '../server/emulator';
import { getStore } from '../server/stores/stores';
import { startTestRuntime } from '../tests/helpers/runtime';
import { insertEmulatorStore, merchantClient } from '../tests/helpers/staging';
import { runBench } from './harness';
import { type Figure, writeReport } from './report';

/**
 * What reading what moved costs in Shopify points (the emulator's cost model, standard plan):
 * the poll after 1, 4 and 570 merchant edits (points per changed product), the batched nodes(ids:)
 * read of the same products for comparison, and 1,000 product webhooks from delivery to staged
 * against the restore-rate bound of their batched nodes(ids:) re-reads.
 * Database: TEST_DATABASE_URL (Postgres) or embedded PGlite. BENCH_PRODUCTS to change the catalog.
 */
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 3000);
const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 1000);
const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const emulator = await startEmulator({ products: PRODUCTS, seed: 15, plan: 'plus' });
  const t = await startTestRuntime();
  try {
    const store = await insertEmulatorStore(t.runtime.db, emulator);
    const merchant = merchantClient(emulator);
    const { done } = await t.services.pull.start(store.id, 'full', 'bench');
    if (!(await done)) throw new Error('the first pull failed');
    emulator.setFaults({ plan: 'standard' });
    const gateway = t.services.shopify.for(store);
    const used = () => gateway.bucket.stats().pointsUsed;
    const products = [...emulator.state.products.values()];
    const figures: Figure[] = [];
    let next = 0;

    // The poll after N merchant edits: points per changed product.
    let regularPerProduct = 0;
    for (const n of [1, 4, 570]) {
      const chosen = products.slice(next, next + n);
      next += n;
      for (const p of chosen) await merchant.updateProduct({ id: gid('Product', p.id), title: `${p.title} (bench)` });
      await sleep(1100);
      // What the batched nodes(ids:) read of the same products costs (the path re-reads of a few take).
      const before = used();
      await gateway.client('poll').getProductsByIds(chosen.map((p) => gid('Product', p.id)));
      const nodesPoints = used() - before;
      regularPerProduct = Math.max(regularPerProduct, nodesPoints / n);
      await sleep(2000);
      const start = used();
      const started = performance.now();
      await t.services.poll.pollStore(await getStore(t.runtime.db, store.id));
      const seconds = (performance.now() - started) / 1000;
      const points = used() - start;
      const staged = await queryOne<{ n: number }>(
        t.runtime.db,
        sql`select count(*)::int as n from staged_changes where store_id = ${store.id} and status = 'pending' and entity = 'product'`,
      );
      figures.push({
        name: `poll after ${n} product edit(s): points per changed product`,
        value: points / n,
        unit: 'points',
        // A re-read of a few products by bulk query would cost its mutation's 10 points alone: they go by nodes(ids:).
        ...(n >= 100 ? { target: 5, better: 'lower' as const } : {}),
        bound: { value: nodesPoints / n, what: 'the same products read by batched nodes(ids:)', measured: true },
        note: `${points} points in ${seconds.toFixed(1)} s; ${staged?.n} products pending`,
      });
    }

    // 1,000 product webhooks, recorded as the route records them, worked off by the webhook worker.
    await sleep(20_000); // the bucket refills
    const hooked = products.slice(next, next + WEBHOOKS);
    for (const p of hooked) await merchant.updateProduct({ id: gid('Product', p.id), vendor: `${p.vendor} (hook)` });
    const start = used();
    const started = performance.now();
    await Promise.all(
      hooked.map((p, i) =>
        t.services.webhooks.recorder.record({
          storeId: store.id,
          shop: store.shopDomain,
          topic: 'products/update',
          eventId: `bench-${Date.now()}-${i}`,
          webhookId: null,
          apiVersion: '2026-10',
          triggeredAt: new Date().toISOString(),
          status: 'accepted',
          payload: JSON.stringify({ id: p.id, admin_graphql_api_id: gid('Product', p.id) }),
        }),
      ),
    );
    t.services.webhooks.worker.kick();
    for (;;) {
      await t.services.webhooks.worker.idle();
      const left = await queryOne<{ n: number }>(
        t.runtime.db,
        sql`select count(*)::int as n from webhook_deliveries where store_id = ${store.id} and status = 'accepted'`,
      );
      if (!left?.n) break;
      await sleep(100);
      t.services.webhooks.worker.kick();
    }
    const seconds = (performance.now() - started) / 1000;
    const points = used() - start;
    const stats = gateway.bucket.stats();
    const bound = (WEBHOOKS * regularPerProduct) / stats.restoreRate;
    const staged = await queryOne<{ n: number }>(
      t.runtime.db,
      sql`select count(*)::int as n from staged_changes where store_id = ${store.id} and status = 'pending' and entity = 'product'
            and fields @> '[{"name": "vendor"}]'::jsonb`,
    );
    figures.push(
      {
        name: `${WEBHOOKS} product webhooks -> staged`,
        value: seconds,
        unit: 's',
        ratioTarget: 1.2,
        better: 'lower',
        bound: {
          value: bound,
          what: `restore-rate bound of their batched nodes(ids:) re-reads (${regularPerProduct.toFixed(0)} points x ${WEBHOOKS} / ${stats.restoreRate} per s)`,
        },
        note: `${staged?.n} staged, ${points} points (${(points / WEBHOOKS).toFixed(2)} per product)`,
      },
      { name: 'webhook re-reads: points per product', value: points / WEBHOOKS, unit: 'points', target: 5, better: 'lower' },
    );
    writeReport('reread', figures, { database: t.testDb.url ? 'postgres' : 'pglite' });
  } finally {
    await t.stop();
    await emulator.close();
  }
}

runBench(main);
