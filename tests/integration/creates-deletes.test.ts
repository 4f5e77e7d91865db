import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as importsRoute from '../../app/api/imports/route';
import * as productRoute from '../../app/api/products/[id]/route';
import * as variantsRoute from '../../app/api/products/[id]/variants/route';
import * as productsRoute from '../../app/api/products/route';
import * as rollbackRoute from '../../app/api/sync/rollback/[batchId]/route';
import { catalogEntities, locations, stagedChanges } from '../../drizzle/schema';
import { createShopifyClient } from '../../lib/shopify';
import { approveChange, rejectChange } from '../../server/review/decisions';
import { callRoute, demoToken } from '../helpers/api';
import { adminQuery, control } from '../helpers/emulator';
import { catalogSnapshot, type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * Creates and deletes on either side, always through review: a product or variant made in the
 * master is staged as one create, approved, pushed (productSet / productVariantsBulkCreate) and
 * rekeyed to Shopify's ids, so the next pull stages nothing; Shopify-side creates and deletes are
 * adopted into the master on approval; a rollback undoes a create.
 */
let env: PushEnv;
let merch: string;
let admin: string;
beforeAll(async () => {
  env = await startPushEnv({ products: 3 });
  merch = await demoToken('merchandiser');
  admin = await demoToken('admin');
}, 120_000);
afterAll(() => env?.stop());

const db = () => env.t.runtime.db;
const merchant = () =>
  createShopifyClient({ shopDomain: env.emulator.shopDomain, accessToken: env.emulator.merchantToken, adminUrl: env.emulator.adminUrl });

async function pendingOf(productKey: string) {
  return db()
    .select()
    .from(stagedChanges)
    .where(and(eq(stagedChanges.productKey, productKey), eq(stagedChanges.status, 'pending')));
}

async function pushAll() {
  const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'admin@example.com' });
  return env.waitForBatch(batchId);
}

async function firstLocations(n: number): Promise<string[]> {
  const rows = await db().select().from(locations).where(eq(locations.storeId, env.store.id));
  return rows
    .map((r) => r.id)
    .sort((a, b) => a.length - b.length || a.localeCompare(b))
    .slice(0, n);
}

const STOCK = `query($id: ID!) { product(id: $id) { title handle status vendor options { name values }
  variants(first: 10) { nodes { title price sku selectedOptions { name value }
    inventoryItem { inventoryLevels(first: 10) { nodes { location { id } quantities(names: ["available"]) { quantity } } } } } } } }`;

describe('a product made in the master', () => {
  it('is staged as one create, pushed with productSet with its options, variants and stock, and a pull then stages nothing', async () => {
    const [, second] = await firstLocations(2);
    const body = {
      title: 'Linen apron',
      vendor: 'Kōbō',
      status: 'ACTIVE',
      variants: [
        { options: { Size: 'S', Color: 'Sand' }, price: '24.00', sku: 'APRON-S', inventory: [{ locationId: second, available: 4 }] },
        { options: { Size: 'M', Color: 'Sand' }, price: '26', sku: 'APRON-M' },
      ],
    };
    const created = await callRoute(productsRoute.POST, { method: 'POST', body, token: merch });
    expect(created.body).toMatchObject({ product: expect.anything() });
    expect(created.status).toBe(201);
    expect(created.body.product).toMatchObject({ shopifyId: null, title: 'Linen apron', handle: 'linen-apron', status: 'ACTIVE' });
    expect(created.body.product.variants).toHaveLength(2);
    expect(created.body.staged).toEqual([expect.objectContaining({ entity: 'product', kind: 'outgoing', op: 'create' })]);

    const support = await callRoute(productsRoute.POST, { method: 'POST', body, token: await demoToken('support') });
    expect(support.status).toBe(403);
    const bad = await callRoute(productsRoute.POST, {
      method: 'POST',
      body: { title: 'Two of a kind', variants: [{ price: '1' }, { price: '2' }] },
      token: merch,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('option values');

    const localKey = created.body.product.key as string;
    await approveChange(db(), created.body.staged[0].id, {}, { id: 'merch@example.com' });
    const batch = await pushAll();
    expect(batch.counts).toMatchObject({ applied: 5, failed: 0 });

    const [row] = await db().select().from(catalogEntities).where(eq(catalogEntities.id, created.body.product.id));
    expect(row!.key).toMatch(/^gid:\/\/shopify\/Product\//);
    const shopify = (await adminQuery(env.emulator, STOCK, { id: row!.key })).data.product;
    expect(shopify).toMatchObject({ title: 'Linen apron', handle: 'linen-apron', status: 'ACTIVE', vendor: 'Kōbō' });
    expect(shopify.options).toEqual([
      { name: 'Size', values: ['S', 'M'] },
      { name: 'Color', values: ['Sand'] },
    ]);
    expect(shopify.variants.nodes.map((v: any) => [v.title, v.price, v.sku])).toEqual([
      ['S / Sand', '24.00', 'APRON-S'],
      ['M / Sand', '26.00', 'APRON-M'],
    ]);
    const stock = shopify.variants.nodes.map((v: any) =>
      v.inventoryItem.inventoryLevels.nodes.map((l: any) => [l.location.id, l.quantities[0].quantity]),
    );
    const [first] = await firstLocations(1);
    expect(stock).toEqual([[[second, 4]], [[first, 0]]]);
    expect(await db().select().from(catalogEntities).where(eq(catalogEntities.productKey, localKey))).toEqual([]);

    const pulled = await env.pull();
    expect(pulled.staged.changeIds).toEqual([]);
    expect(await pendingOf(row!.key)).toEqual([]);
  });
});

describe('a variant made in the master', () => {
  it('is pushed to the existing product with productVariantsBulkCreate and rekeyed, so a pull stages nothing', async () => {
    const products = [...(await catalogSnapshot(env.shopify)).values()];
    const target = products.find((p) => p.variants[0]!.selectedOptions[0]!.name !== 'Title')!;
    const options = Object.fromEntries(target.variants[0]!.selectedOptions.map((o, i) => [o.name, i === 0 ? 'Brand new' : o.value]));
    const made = await callRoute(variantsRoute.POST, {
      method: 'POST',
      params: { id: target.id },
      body: { options, price: '31.50', sku: 'NEW-VARIANT' },
      token: merch,
    });
    expect(made.body).toMatchObject({ staged: expect.any(Array) });
    expect(made.status).toBe(201);
    const creates = made.body.staged.filter((c: any) => c.op === 'create');
    expect(creates).toEqual([expect.objectContaining({ entity: 'variant', kind: 'outgoing', entityId: null })]);
    const again = await callRoute(variantsRoute.POST, {
      method: 'POST',
      params: { id: target.id },
      body: { options, price: '1' },
      token: merch,
    });
    expect(again.status).toBe(409);

    await approveChange(db(), creates[0].id, {}, { id: 'merch@example.com' });
    const batch = await pushAll();
    expect(batch.counts).toMatchObject({ applied: 2, failed: 0 });
    const log = (await control(env.emulator, '/mutations')).mutations.filter((m: any) => m.mutation === 'productVariantsBulkCreate');
    expect(log).toHaveLength(1);
    const now = (await catalogSnapshot(env.shopify)).get(target.id)!;
    expect(now.variants).toHaveLength(target.variants.length + 1);
    expect(now.variants.at(-1)).toMatchObject({
      sku: 'NEW-VARIANT',
      price: '31.50',
      selectedOptions: target.variants[0]!.selectedOptions.map((o, i) => ({ ...o, value: i === 0 ? 'Brand new' : o.value })),
    });
    const [row] = await db()
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.entity, 'variant'), eq(catalogEntities.key, now.variants.at(-1)!.id)));
    expect(row!.local).toMatchObject({ sku: 'NEW-VARIANT', price: '31.50' });

    const pulled = await env.pull();
    expect(pulled.staged.changeIds).toEqual([]);
  });
});

async function upload(text: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set('file', new Blob([text], { type: 'text/csv' }), 'products.csv');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const req = new Request('http://localhost/api/imports', { method: 'POST', body: form, headers: { authorization: `Bearer ${merch}` } });
  const res = await importsRoute.POST(req, { params: Promise.resolve({}) });
  return { status: res.status, body: await res.json() };
}

describe('new products and variants in a Shopify-format CSV', () => {
  it('stages an unknown Handle as a new product and an unknown option combination as a new variant, and pushes both', async () => {
    const products = [...(await catalogSnapshot(env.shopify)).values()];
    const known = products.find((p) => p.variants[0]!.selectedOptions[0]!.name !== 'Title' && p.title !== 'Linen apron')!;
    const names = known.variants[0]!.selectedOptions.map((o) => o.name);
    const values = known.variants[0]!.selectedOptions.map((o, i) => (i === 0 ? 'From the file' : o.value));
    const [first] = await firstLocations(1);
    const header = [
      'Handle',
      'Title',
      'Vendor',
      'Option1 Name',
      'Option1 Value',
      'Option2 Name',
      'Option2 Value',
      'Option3 Name',
      'Option3 Value',
    ];
    const csv = [
      [...header, 'Variant SKU', 'Variant Price', 'Variant Inventory Qty'],
      ['wool-scarf', 'Wool scarf', 'Kōbō', 'Color', 'Grey', '', '', '', '', 'SCARF-G', '40.00', '7'],
      ['wool-scarf', '', '', '', 'Blue', '', '', '', '', 'SCARF-B', '42.00', '2'],
      [
        known.handle,
        '',
        '',
        names[0] ?? '',
        values[0] ?? '',
        names[1] ?? '',
        values[1] ?? '',
        names[2] ?? '',
        values[2] ?? '',
        'CSV-NEW',
        '12.00',
        '',
      ],
    ]
      .map((r) => r.join(','))
      .join('\n');
    const preview = await upload(csv, { location: first! });
    expect(preview.body.rowErrors).toEqual([]);
    expect(preview.body.changes.map((c: any) => [c.product, c.field])).toEqual([
      ['wool-scarf', 'New product'],
      ['wool-scarf', 'New variant'],
      ['wool-scarf', 'New variant'],
      [known.handle, 'New variant'],
    ]);
    const committed = await upload(csv, { location: first!, commit: 'true' });
    expect(committed.body.counts).toMatchObject({ errors: 0, staged: 2 });

    const creates = await db()
      .select()
      .from(stagedChanges)
      .where(and(eq(stagedChanges.status, 'pending'), eq(stagedChanges.source, 'import')));
    expect(creates.map((c) => [c.entity, c.kind, c.op]).sort()).toEqual([
      ['product', 'outgoing', 'create'],
      ['variant', 'outgoing', 'create'],
    ]);
    for (const c of creates) await approveChange(db(), c.id, {}, { id: 'merch@example.com' });
    expect((await pushAll()).counts).toMatchObject({ failed: 0 });
    const after = [...(await catalogSnapshot(env.shopify)).values()];
    const scarf = after.find((p) => p.handle === 'wool-scarf')!;
    expect(scarf.variants.map((v) => [v.title, v.sku, v.price, v.inventoryLevels.map((l) => [l.locationId, l.available])])).toEqual([
      ['Grey', 'SCARF-G', '40.00', [[first, 7]]],
      ['Blue', 'SCARF-B', '42.00', [[first, 2]]],
    ]);
    expect(after.find((p) => p.id === known.id)!.variants.some((v) => v.sku === 'CSV-NEW')).toBe(true);
    expect((await env.pull()).staged.changeIds).toEqual([]);
  });
});

describe('creates and deletes made in Shopify', () => {
  it('stages a product created in Shopify as one incoming create; approving adopts it with its variants', async () => {
    const made = await merchant().createProduct({
      title: 'Made in the admin',
      variants: [
        { options: { Size: 'S' }, price: '5.00', sku: 'ADM-S' },
        { options: { Size: 'M' }, price: '6.00', sku: 'ADM-M' },
      ],
    });
    const pulled = await env.pull();
    const staged = await pendingOf(made.id);
    expect(staged.map((c) => [c.entity, c.kind, c.op])).toEqual([['product', 'incoming', 'create']]);
    expect(pulled.staged.changeIds).toEqual([staged[0]!.id]);

    await approveChange(db(), staged[0]!.id, {}, { id: 'merch@example.com' });
    const rows = await db().select().from(catalogEntities).where(eq(catalogEntities.productKey, made.id));
    const variants = rows.filter((r) => r.entity === 'variant');
    expect(variants.map((v) => v.local?.sku).sort()).toEqual(['ADM-M', 'ADM-S']);
    expect(rows.every((r) => r.local !== null && r.base !== null)).toBe(true);
    expect((await env.pull()).staged.changeIds).toEqual([]);
  });

  it('stages a variant added in Shopify to a known product as an incoming create; approving adopts it with its stock', async () => {
    const products = [...(await catalogSnapshot(env.shopify)).values()];
    const target = products.find((p) => p.variants[0]!.selectedOptions[0]!.name !== 'Title' && p.title !== 'Linen apron')!;
    const options = Object.fromEntries(target.variants[0]!.selectedOptions.map((o, i) => [o.name, i === 0 ? 'From the admin' : o.value]));
    const [added] = await merchant().createVariants(target.id, [{ options, price: '9.00', sku: 'ADM-NEW' }]);
    await env.pull();
    const staged = await pendingOf(target.id);
    expect(staged.map((c) => [c.entity, c.kind, c.op, c.entityKey])).toEqual([['variant', 'incoming', 'create', added!.id]]);

    await approveChange(db(), staged[0]!.id, {}, { id: 'merch@example.com' });
    const levels = await db()
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.entity, 'inventory_level'), eq(catalogEntities.productKey, target.id)));
    const own = levels.filter((l) => l.key.startsWith(`${added!.inventoryItemId}|`));
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((l) => l.local !== null)).toBe(true);
    expect((await env.pull()).staged.changeIds).toEqual([]);
  });

  it('stages a product deleted in Shopify as an incoming delete; approving removes it from the master', async () => {
    const products = [...(await catalogSnapshot(env.shopify)).values()];
    const gone = products.find((p) => p.title === 'Made in the admin')!;
    await merchant().deleteProduct(gone.id);
    await env.pull();
    const staged = await pendingOf(gone.id);
    expect(staged.map((c) => [c.entity, c.kind, c.op])).toEqual([['product', 'incoming', 'delete']]);
    await approveChange(db(), staged[0]!.id, {}, { id: 'merch@example.com' });
    expect((await env.pull()).staged.changeIds).toEqual([]);
    const left = await db().select().from(catalogEntities).where(eq(catalogEntities.productKey, gone.id));
    expect(left.filter((r) => r.local !== null)).toEqual([]);
  });
});

describe('a product deleted in the master', () => {
  it('is staged as an outgoing delete, deleted in Shopify only once approved and pushed', async () => {
    const products = [...(await catalogSnapshot(env.shopify)).values()];
    const doomed = products.find((p) => p.title !== 'Linen apron')!;
    const res = await callRoute(productRoute.DELETE, { method: 'DELETE', params: { id: doomed.id }, token: merch });
    expect(res.body).toMatchObject({ staged: expect.any(Array) });
    expect(res.body.staged).toEqual([expect.objectContaining({ entity: 'product', kind: 'outgoing', op: 'delete' })]);
    expect(res.body.product).toMatchObject({ existsLocally: false, existsInShopify: true });
    expect((await env.pull()).staged.changeIds).toEqual([]);
    expect((await catalogSnapshot(env.shopify)).has(doomed.id)).toBe(true);

    await approveChange(db(), res.body.staged[0].id, {}, { id: 'merch@example.com' });
    const batch = await pushAll();
    expect(batch.counts).toMatchObject({ applied: 1, failed: 0 });
    expect((await catalogSnapshot(env.shopify)).has(doomed.id)).toBe(false);
    expect((await env.pull()).staged.changeIds).toEqual([]);
    expect(await db().select().from(catalogEntities).where(eq(catalogEntities.productKey, doomed.id))).toEqual([]);
  });
});

describe('rejecting a create made in the master', () => {
  it('removes the product and its rows from the master; Shopify is not touched', async () => {
    const created = await callRoute(productsRoute.POST, {
      method: 'POST',
      body: { title: 'Second thoughts', variants: [{ price: '3.00', sku: 'NOPE-1' }] },
      token: merch,
    });
    const key = created.body.product.key as string;
    await rejectChange(db(), created.body.staged[0].id, 'not this season', { id: 'merch@example.com' });
    expect(await db().select().from(catalogEntities).where(eq(catalogEntities.productKey, key))).toEqual([]);
    const gone = await callRoute(productRoute.GET, { params: { id: created.body.product.id }, token: merch });
    expect(gone.status).toBe(404);
  });
});

describe('rolling back a create', () => {
  it('deletes the product the push created, with its variants, in Shopify and the master', async () => {
    const created = await callRoute(productsRoute.POST, {
      method: 'POST',
      body: { title: 'Short-lived', variants: [{ price: '3.00', sku: 'GONE-1' }] },
      token: merch,
    });
    await approveChange(db(), created.body.staged[0].id, {}, { id: 'merch@example.com' });
    const batch = await pushAll();
    const [row] = await db().select().from(catalogEntities).where(eq(catalogEntities.id, created.body.product.id));
    expect((await catalogSnapshot(env.shopify)).has(row!.key)).toBe(true);

    const res = await callRoute(rollbackRoute.POST, { method: 'POST', params: { batchId: batch.id }, body: {}, token: admin });
    expect(res.status).toBe(202);
    const rolled = await env.waitForBatch(res.body.batchId);
    expect(rolled.counts).toMatchObject({ applied: 1 });
    expect((await catalogSnapshot(env.shopify)).has(row!.key)).toBe(false);
    expect((await env.pull()).staged.changeIds).toEqual([]);
    const left = await db()
      .select()
      .from(catalogEntities)
      .where(inArray(catalogEntities.productKey, [row!.key]));
    expect(left).toEqual([]);
  });
});
