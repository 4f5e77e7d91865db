import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as productRoute from '../../app/api/products/[id]/route';
import * as pushRoute from '../../app/api/sync/shopify/push/route';
import * as approveRoute from '../../app/api/sync/staged/[id]/approve/route';
import * as bulkApproveRoute from '../../app/api/sync/staged/bulk-approve/route';
import * as stagedRoute from '../../app/api/sync/staged/route';
import { queryRows } from '../../server/db/rows';
import { callRoute, demoToken } from '../helpers/api';
import { adminQuery, type Emulator } from '../helpers/emulator';
import { type StoreUnderTest, startTwoStores, type TwoStoresEnv } from '../helpers/two-stores';

/**
 * One master, two stores: an edit of the master reaches the same product in both (linked by
 * handle, its variant by SKU), one outgoing change per store, and a push per store writes each;
 * stock is each store's own; a product only one store sells is edited only there; the review
 * lists every store's changes when asked for all.
 */
let env: TwoStoresEnv;
let admin: string;
let merch: string;

beforeAll(async () => {
  env = await startTwoStores({ products: 8, extra: 2 });
  admin = await demoToken('admin');
  merch = await demoToken('merchandiser');
}, 120_000);
afterAll(() => env?.stop());

interface Row extends Record<string, unknown> {
  key: string;
  product_key: string;
  handle: string | null;
  sku: string | null;
}
const products = (s: StoreUnderTest) =>
  queryRows<Row>(
    env.t.runtime.db,
    sql`select key, product_key, local->>'handle' as handle, null as sku from catalog_entities
         where store_id = ${s.store.id} and entity = 'product' order by key`,
  );
const variants = (s: StoreUnderTest, productKey: string) =>
  queryRows<Row>(
    env.t.runtime.db,
    sql`select key, product_key, null as handle, local->>'sku' as sku from catalog_entities
         where store_id = ${s.store.id} and entity = 'variant' and product_key = ${productKey} order by key`,
  );
const pending = async (s: StoreUnderTest) =>
  (await callRoute(stagedRoute.GET, { token: merch, path: `/api/sync/staged?storeId=${s.store.id}&limit=500` })).body.items as Array<{
    id: string;
    storeId: string;
    entity: string;
    entityId: string;
    kind: string;
    fields: Array<{ name: string; local: unknown }>;
  }>;
const inEmulator = (emu: Emulator, handle: string) => [...emu.state.products.values()].find((p) => p.handle === handle)!;

describe('one master, two stores', () => {
  it('stages a master edit once per store that sells the product, linked by handle and SKU, and not the stock', async () => {
    const [productA] = await products(env.a);
    const productB = (await products(env.b)).find((p) => p.handle === productA!.handle)!;
    expect(productB.key).not.toBe(productA!.key);
    const [variantA] = (await variants(env.a, productA!.key)).filter((v) => v.sku);
    const variantB = (await variants(env.b, productB.key)).find((v) => v.sku === variantA!.sku)!;
    expect(variantB.key).not.toBe(variantA!.key);

    const [level] = await queryRows<{ location: string }>(
      env.t.runtime.db,
      sql`select split_part(l.key, '|', 2) as location from catalog_entities l join catalog_entities v
            on v.store_id = l.store_id and v.entity = 'variant' and v.key = ${variantA!.key}
           where l.store_id = ${env.a.store.id} and l.entity = 'inventory_level' and l.key like (v.meta->>'inventoryItemId') || '|%'`,
    );
    const res = await callRoute(productRoute.PATCH, {
      method: 'PATCH',
      token: merch,
      params: { id: productA!.key },
      body: {
        title: 'One master, two stores',
        variants: [{ id: variantA!.key, price: '42.50' }],
        inventory: [{ variantId: variantA!.key, locationId: level!.location, available: 77 }],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.fannedOut).toEqual([expect.objectContaining({ storeId: env.b.store.id, staged: 2 })]);
    for (const [s, product, variant] of [
      [env.a, productA!.key, variantA!.key],
      [env.b, productB.key, variantB.key],
    ] as const) {
      const changes = (await pending(s)).filter((c) => c.entity !== 'inventory_level');
      expect(changes.map((c) => [c.entity, c.entityId, c.kind]).sort()).toEqual(
        [
          ['product', product, 'outgoing'],
          ['variant', variant, 'outgoing'],
        ].sort(),
      );
    }
    // Stock is each store's own: the level edited in A is staged in A only.
    expect((await pending(env.a)).filter((c) => c.entity === 'inventory_level').length).toBe(1);
    expect((await pending(env.b)).filter((c) => c.entity === 'inventory_level').length).toBe(0);
  });

  it('edits a product only one store sells in that store only', async () => {
    const handlesA = new Set((await products(env.a)).map((p) => p.handle));
    const onlyB = (await products(env.b)).find((p) => !handlesA.has(p.handle))!;
    const res = await callRoute(productRoute.PATCH, {
      method: 'PATCH',
      token: merch,
      params: { id: onlyB.key },
      body: { vendor: 'Only in B' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.fannedOut).toEqual([]);
    expect((await pending(env.a)).length).toBe(3);
    expect((await pending(env.b)).length).toBe(3);
  });

  it('lists every store’s changes for the all-stores review, each with its store', async () => {
    const all = await callRoute(stagedRoute.GET, { token: merch, path: '/api/sync/staged?limit=500' });
    const items = all.body.items as Array<{ storeId: string }>;
    expect(items.filter((c) => c.storeId === env.a.store.id).length).toBe(3);
    expect(items.filter((c) => c.storeId === env.b.store.id).length).toBe(3);
    expect(all.body.total).toBe(6);
  });

  it('pushes the edit to each store, approved per change', async () => {
    const ids = [...(await pending(env.a)), ...(await pending(env.b))].map((c) => c.id);
    const approved = await callRoute(bulkApproveRoute.POST, { token: merch, body: { ids } });
    expect(approved.body.count).toBe(6);
    for (const s of [env.a, env.b]) {
      const res = await callRoute(pushRoute.POST, { token: admin, body: { storeId: s.store.id } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      const batch = await env.waitForBatch(res.body.batchId);
      expect(batch.counts).toMatchObject({ failed: 0, drifted: 0, dead: 0 });
    }
    const [productA] = await products(env.a);
    for (const emu of [env.a.emulator, env.b.emulator]) {
      const product = inEmulator(emu, productA!.handle!);
      expect(product.title).toBe('One master, two stores');
      expect(product.variantIds.map((id) => emu.state.variants.get(id)!.price)).toContain('42.50');
    }
    // The vendor edit stayed in the store that sells the product; the stock edit reached A only.
    expect([...env.a.emulator.state.products.values()].some((p) => p.vendor === 'Only in B')).toBe(false);
    expect([...env.b.emulator.state.products.values()].filter((p) => p.vendor === 'Only in B').length).toBe(1);
  });

  it('adopts a Shopify edit approved in one store into the master, and stages it as outgoing in the other', async () => {
    const [productA] = await products(env.a);
    const productB = (await products(env.b)).find((p) => p.handle === productA!.handle)!;
    const edit = await adminQuery(
      env.a.emulator,
      `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }`,
      {
        p: { id: productA!.key, title: 'Renamed in store A' },
      },
    );
    expect(edit.data.productUpdate.userErrors).toEqual([]);
    await env.a.pull();
    const [incoming] = (await pending(env.a)).filter((c) => c.kind === 'incoming');
    expect(incoming?.entityId).toBe(productA!.key);
    expect((await pending(env.b)).length).toBe(0);
    const approved = await callRoute(approveRoute.POST, { token: merch, params: { id: incoming!.id }, body: {} });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(await pending(env.a)).toEqual([]);
    const [outgoing] = await pending(env.b);
    expect(outgoing).toMatchObject({ entity: 'product', entityId: productB.key, kind: 'outgoing' });
    expect(outgoing!.fields.find((f) => f.name === 'title')?.local).toBe('Renamed in store A');
  });
});
