import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as productRoute from '../../app/api/products/[id]/route';
import * as productsRoute from '../../app/api/products/route';
import * as syncDownStartRoute from '../../app/api/shopify/sync-down/start/route';
import * as syncDownStatusRoute from '../../app/api/shopify/sync-down/status/[batchId]/route';
import * as pullRoute from '../../app/api/sync/shopify/pull/route';
import * as stagedRoute from '../../app/api/sync/staged/route';
import type { Store } from '../../drizzle/schema';
import type { ShopifyClient } from '../../lib/shopify';
import { acquireLease, releaseLease } from '../../server/db/lease';
import { queryRows } from '../../server/db/rows';
import { startEmulator } from '../../server/emulator';
import { callRoute, demoToken } from '../helpers/api';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { insertEmulatorStore, merchantClient, pendingByKind } from '../helpers/staging';

/**
 * Done-when of issue 4: 1,000 products; the first pull adopts; 50 merchant edits in the emulator
 * and 30 local edits (10 on the same fields) make the next pull stage exactly 40 incoming,
 * 20 outgoing and 10 conflicts, with the right values. A pull with nothing changed stages nothing.
 */
let t: TestRuntime;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let store: Store;
let admin: string;
let merch: string;
let merchant: ShopifyClient;

interface ProductItem {
  id: string;
  shopifyId: string;
  title: string;
  vendor: string;
  variants: Array<{ id: string; shopifyId: string; price: string }>;
}

async function pull(mode: 'full' | 'incremental') {
  const res = await callRoute(pullRoute.POST, { token: admin, body: { mode } });
  expect(res.status).toBe(202);
  await t.services.pull.idle();
  const op = await t.runtime.operations.get(res.body.operationId);
  expect(op.status, op.error ?? '').toBe('completed');
  return op;
}

async function allProducts(): Promise<ProductItem[]> {
  const out: ProductItem[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { items: ProductItem[]; nextCursor: string | null } } = await callRoute(productsRoute.GET, {
      path: `/api/products?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      token: merch,
    });
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

beforeAll(async () => {
  emulator = await startEmulator({ products: 1000, seed: 7 });
  t = await startTestRuntime();
  store = await insertEmulatorStore(t.runtime.db, emulator);
  admin = await demoToken('admin');
  merch = await demoToken('merchandiser');
  merchant = merchantClient(emulator);
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await emulator?.close();
});

describe('pull and three-way staging against the emulator', () => {
  it('adopts Shopify on the first pull and stages nothing', async () => {
    const started = Date.now();
    const op = await pull('full');
    console.log(`first pull of 1,000 products: ${Date.now() - started} ms`);
    expect(op.counts).toMatchObject({ productsRead: 1000, staged: 0 });
    expect(await pendingByKind(t.runtime.db, store.id)).toEqual({});
    // Its duration is recorded once, under the operation's status.
    const durations = (await t.runtime.metrics.pullDuration.get()).values.filter((v) => v.metricName === 'csd_pull_duration_seconds_count');
    expect(durations.map((v) => [v.labels, v.value])).toEqual([[{ mode: 'full', status: 'completed' }, 1]]);
    const [row] = await queryRows<{ n: number; same: number }>(
      t.runtime.db,
      sql`select count(*)::int as n, count(*) filter (where local = base and base = remote)::int as same from catalog_entities where store_id = ${store.id} and entity = 'product'`,
    );
    expect(row).toEqual({ n: 1000, same: 1000 });
    const products = await allProducts();
    expect(products).toHaveLength(1000);
    expect(products.every((p) => (p as unknown as { syncStatus: string }).syncStatus === 'synced')).toBe(true);
  });

  it('stages nothing when nothing changed (full and incremental)', async () => {
    await pull('full');
    await pull('incremental');
    expect(await pendingByKind(t.runtime.db, store.id)).toEqual({});
  });

  it('stages exactly 40 incoming, 20 outgoing and 10 conflicts with the right values', async () => {
    const products = (await allProducts()).filter((p) => p.variants.length > 0).slice(0, 70);
    // 40 merchant title edits
    for (const p of products.slice(0, 40)) await merchant.updateProduct({ id: p.shopifyId, title: `${p.title} (merchant)` });
    // 10 prices edited on both sides, differently
    for (const p of products.slice(40, 50)) {
      const v = p.variants[0]!;
      await merchant.updateVariants(p.shopifyId, [{ id: v.shopifyId, price: '77.70' }]);
      const local = await callRoute(productRoute.PATCH, {
        method: 'PATCH',
        params: { id: p.id },
        token: merch,
        body: { variants: [{ id: v.id, price: '88.80' }] },
      });
      expect(local.status).toBe(200);
    }
    // 20 local vendor edits
    for (const p of products.slice(50, 70)) {
      const local = await callRoute(productRoute.PATCH, {
        method: 'PATCH',
        params: { id: p.id },
        token: merch,
        body: { vendor: `Local vendor ${p.vendor}` },
      });
      expect(local.status).toBe(200);
      expect(local.body.staged.map((c: { kind: string }) => c.kind)).toEqual(['outgoing']);
    }
    await pull('full');
    expect(await pendingByKind(t.runtime.db, store.id)).toEqual({ incoming: 40, outgoing: 20, conflict: 10 });

    const list = await callRoute(stagedRoute.GET, { path: '/api/sync/staged?limit=500', token: merch });
    expect(list.body.counts).toMatchObject({ incoming: 40, outgoing: 20, conflict: 10 });
    const byEntity = new Map(list.body.items.map((c: { entityId: string }) => [c.entityId, c]));
    for (const p of products.slice(0, 40)) {
      expect(byEntity.get(p.shopifyId)).toMatchObject({
        kind: 'incoming',
        entity: 'product',
        fields: [{ name: 'title', base: p.title, local: p.title, remote: `${p.title} (merchant)` }],
      });
    }
    for (const p of products.slice(40, 50)) {
      const v = p.variants[0]!;
      expect(byEntity.get(v.shopifyId)).toMatchObject({
        kind: 'conflict',
        entity: 'variant',
        fields: [{ name: 'price', base: v.price, local: '88.80', remote: '77.70' }],
      });
    }
    for (const p of products.slice(50, 70)) {
      expect(byEntity.get(p.shopifyId)).toMatchObject({
        kind: 'outgoing',
        fields: [{ name: 'vendor', base: p.vendor, local: `Local vendor ${p.vendor}`, remote: p.vendor }],
      });
    }
    // Pulling again changes nothing: re-staging is idempotent.
    const before = await queryRows<{ id: string; updated_at: string }>(
      t.runtime.db,
      sql`select id, updated_at::text from staged_changes where status = 'pending' order by id`,
    );
    await pull('incremental');
    await pull('full');
    const after = await queryRows<{ id: string; updated_at: string }>(
      t.runtime.db,
      sql`select id, updated_at::text from staged_changes where status = 'pending' order by id`,
    );
    expect(after).toEqual(before);
  });

  it('stages a merchant edit through an incremental pull, and a delete', async () => {
    const [p, q] = (await allProducts()).slice(100, 102);
    await merchant.updateProduct({ id: p!.shopifyId, title: 'Renamed by the merchant' });
    await merchant.deleteProduct(q!.shopifyId);
    await pull('incremental');
    const list = await callRoute(stagedRoute.GET, { path: `/api/sync/staged?productId=${p!.shopifyId}`, token: merch });
    expect(list.body.items).toMatchObject([{ kind: 'incoming', fields: [{ name: 'title', remote: 'Renamed by the merchant' }] }]);
    // A delete is not in an updated_at query: the full pull (or the webhook) sees it.
    await pull('full');
    const gone = await callRoute(stagedRoute.GET, { path: `/api/sync/staged?productId=${q!.shopifyId}`, token: merch });
    expect(gone.body.items).toMatchObject([{ kind: 'incoming', op: 'delete', entity: 'product' }]);
  });

  it('runs the seed sync-down aliases as pull operations', async () => {
    const start = await callRoute(syncDownStartRoute.POST, { token: admin, body: { mode: 'incremental' } });
    expect(start.status).toBe(202);
    await t.services.pull.idle();
    const status = await callRoute(syncDownStatusRoute.GET, { params: { batchId: start.body.batchId }, token: admin });
    expect(status.body).toMatchObject({ batchId: start.body.batchId, kind: 'pull', status: 'completed' });
    const busy = await Promise.all([
      callRoute(pullRoute.POST, { token: admin, body: { mode: 'full' } }),
      callRoute(pullRoute.POST, { token: admin, body: { mode: 'full' } }),
    ]);
    expect(busy.map((r) => r.status).sort()).toEqual([202, 409]);
    await t.services.pull.idle();
  });

  it('pulls a store in one process at a time: another process holding the pull lease gets a 409 and skips the poll', async () => {
    // Another server process on the same database is pulling this store.
    expect(await acquireLease(t.runtime.db, store.id, 'other-process', 60_000, 'pull')).toBe(true);
    try {
      const refused = await callRoute(pullRoute.POST, { token: admin, body: { mode: 'incremental' } });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('already running');
      await expect(t.services.pull.poll(store.id)).resolves.toBeNull();
    } finally {
      await releaseLease(t.runtime.db, store.id, 'other-process', 'pull');
    }
    await pull('incremental');
    // This process's pull released its lease when it ended: the other process can take it now.
    expect(await acquireLease(t.runtime.db, store.id, 'other-process', 60_000, 'pull')).toBe(true);
    await releaseLease(t.runtime.db, store.id, 'other-process', 'pull');
  });
});
