import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as importsRoute from '../../app/api/imports/route';
import * as exportRoute from '../../app/api/products/export.csv/route';
import * as approveRoute from '../../app/api/sync/staged/[id]/approve/route';
import * as rejectRoute from '../../app/api/sync/staged/[id]/reject/route';
import type { Store } from '../../drizzle/schema';
import type { ShopifyClient } from '../../lib/shopify';
import type { EntityType } from '../../lib/sync/model';
import { startEmulator } from '../../server/emulator';
import { startPush } from '../../server/push/subsystem';
import { getStore } from '../../server/stores/stores';
import { callRoute, demoToken } from '../helpers/api';
import { Sheet } from '../helpers/product-csv-fixtures';
import { compareSides, patchProductRoute, pendingChanges, waitForBatch } from '../helpers/round-trip';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { insertEmulatorStore, merchantClient } from '../helpers/staging';

/**
 * Issue 12's acceptance: at 2,000 products, edits on both sides through every channel (PATCH, a
 * Shopify-format CSV with sorted and repeated product rows, Shopify's GraphQL including stock and
 * collection membership), and only the one-minute poll reading Shopify (no webhook, no manual
 * pull): the staged set is exactly the expected one. Then a mix of approvals, resolutions and
 * rejections, a push and a full pull: nothing is staged, every field is equal on both sides, and
 * what was rejected stayed rejected (outgoing edits discarded, incoming edits restored in Shopify).
 */
const PRODUCTS = 2000;
const PRODUCT_COLUMNS = [
  'Title',
  'Body (HTML)',
  'Vendor',
  'Type',
  'Tags',
  'Status',
  'SEO Title',
  'SEO Description',
  'Product Category',
  'Custom Collections',
];
let t: TestRuntime;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let store: Store;
let merchant: ShopifyClient;
let merch: string;

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
type Expected = { entity: EntityType; key: string; kind: 'incoming' | 'outgoing' | 'conflict'; fields: string[] };

/** The nth product of the emulator's catalog with its first variant and that variant's first stocked level. */
function nth(n: number) {
  const p = [...emulator.state.products.values()][n]!;
  const variant = emulator.state.variants.get(p.variantIds[0]!)!;
  const item = emulator.state.inventoryItems.get(variant.inventoryItemId)!;
  const [locationId, level] = [...item.levels.entries()].sort((a, b) => a[0] - b[0])[0]!;
  return {
    id: gid('Product', p.id),
    handle: p.handle,
    title: p.title,
    variantId: gid('ProductVariant', variant.id),
    price: variant.price,
    itemId: gid('InventoryItem', item.id),
    locationId: gid('Location', locationId),
    levelKey: `${gid('InventoryItem', item.id)}|${gid('Location', locationId)}`,
    available: level.available,
    collections: [...p.collectionIds],
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => nth(from + i));

const patch = (id: string, body: Record<string, unknown>) => patchProductRoute(merch, id, body);
const pending = () => pendingChanges(t.runtime.db, store.id);

const line = (c: { entity: string; key: string; kind: string; fields: string[] }) =>
  `${c.entity} ${c.key} ${c.kind} ${[...c.fields].sort().join(',')}`;

beforeAll(async () => {
  emulator = await startEmulator({ products: PRODUCTS, seed: 21, plan: 'plus' });
  t = await startTestRuntime({ queue: true });
  store = await insertEmulatorStore(t.runtime.db, emulator);
  await startPush(t.runtime, t.services.push, t.services.notifier);
  merchant = merchantClient(emulator);
  merch = await demoToken('merchandiser');
  const { done } = await t.services.pull.start(store.id, 'full', 'test');
  expect(await done).toMatchObject({ adopted: true, productsRead: PRODUCTS });
}, 300_000);
afterAll(async () => {
  await t?.stop();
  await emulator?.close();
});

describe('edits on both sides through every channel, caught by the poll alone', () => {
  const expected: Expected[] = [];
  // Products by role; disjoint ranges.
  let masterTitles: ReturnType<typeof nth>[];
  let shopifyTitles: ReturnType<typeof nth>[];
  let conflicts: ReturnType<typeof nth>[];
  let stockConflicts: ReturnType<typeof nth>[];

  it('stages exactly the expected incoming, outgoing and conflicting changes, and nothing for converged ones', async () => {
    // The master, through PATCH: titles, a named variant's price, stock and a collection joined.
    masterTitles = range(0, 20);
    for (const p of masterTitles) await patch(p.id, { title: `${p.title} (master)` });
    for (const p of range(20, 30)) await patch(p.id, { variants: [{ id: p.variantId, price: '77.70' }] });
    for (const p of range(30, 35))
      await patch(p.id, { inventory: [{ variantId: p.variantId, locationId: p.locationId, available: p.available + 11 }] });
    const collection = [...emulator.state.collections.values()][0]!;
    const joiners = range(35, 45)
      .filter((p) => !p.collections.includes(collection.id))
      .slice(0, 5);
    for (const p of joiners) await patch(p.id, { collections: { join: [gid('Collection', collection.id)] } });
    expected.push(
      ...masterTitles.map((p) => ({ entity: 'product' as const, key: p.id, kind: 'outgoing' as const, fields: ['title'] })),
      ...range(20, 30).map((p) => ({ entity: 'variant' as const, key: p.variantId, kind: 'outgoing' as const, fields: ['price'] })),
      ...range(30, 35).map((p) => ({
        entity: 'inventory_level' as const,
        key: p.levelKey,
        kind: 'outgoing' as const,
        fields: ['available'],
      })),
      ...joiners.map((p) => ({
        entity: 'membership' as const,
        key: `${gid('Collection', collection.id)}|${p.id}`,
        kind: 'outgoing' as const,
        fields: ['member'],
      })),
    );

    // The master, through Shopify's product CSV: tags on first rows, a price on another row, product
    // columns repeated on every row of some products, and the sheet sorted by price.
    const exported = await callRoute<string>(exportRoute.GET, { token: merch, path: '/api/products/export.csv' });
    const sheet = new Sheet(exported.body);
    const csvProducts = range(100, 120);
    for (const p of csvProducts) sheet.of(p.handle)[0]!.Tags = 'csv-edit';
    for (const p of range(120, 130)) {
      const rows = sheet.of(p.handle);
      // The last variant's row: images past the last variant have rows of their own, without variant cells.
      rows.filter((r) => r['Variant Price'] !== '').at(-1)!['Variant Price'] = '55.50';
      // Every product column repeated on every row of the product, as Matrixify and many sheets write them.
      const metafieldColumns = Object.keys(rows[0]!).filter((h) => h.includes('(product.metafields.'));
      for (const r of rows.slice(1)) for (const h of [...PRODUCT_COLUMNS, ...metafieldColumns]) r[h] = rows[0]![h]!;
    }
    sheet.sortBy('Variant Price');
    const form = new FormData();
    form.set('file', new Blob([sheet.text()], { type: 'text/csv' }), 'shopify-products.csv');
    form.set('commit', 'true');
    const req = new Request('http://localhost/api/imports', { method: 'POST', body: form, headers: { authorization: `Bearer ${merch}` } });
    const imported = await importsRoute.POST(req, { params: Promise.resolve({}) });
    const importBody = await imported.json();
    expect(imported.status).toBeLessThan(300);
    expect(importBody.rowErrors, JSON.stringify(importBody.rowErrors?.slice(0, 3))).toEqual([]);
    const priceEdited = range(120, 130).map((p) => {
      const variants = [...emulator.state.products.values()].find((x) => gid('Product', x.id) === p.id)!.variantIds;
      return gid('ProductVariant', variants[variants.length - 1]!);
    });
    expected.push(
      ...csvProducts.map((p) => ({ entity: 'product' as const, key: p.id, kind: 'outgoing' as const, fields: ['tags'] })),
      ...priceEdited.map((key) => ({ entity: 'variant' as const, key, kind: 'outgoing' as const, fields: ['price'] })),
    );

    // Shopify, through its GraphQL (a merchant in the admin): titles, prices, stock, a collection left.
    shopifyTitles = range(200, 220);
    for (const p of shopifyTitles) await merchant.updateProduct({ id: p.id, title: `${p.title} (shopify)` });
    for (const p of range(220, 230)) await merchant.updateVariants(p.id, [{ id: p.variantId, price: '66.60' }]);
    await merchant.setInventoryQuantities({
      reason: 'correction',
      idempotencyKey: 'round-trip-stock',
      quantities: range(230, 240).map((p) => ({
        inventoryItemId: p.itemId,
        locationId: p.locationId,
        quantity: p.available + 5,
        changeFromQuantity: null,
      })),
    });
    const leavers = range(240, 400)
      .filter((p) => p.collections.length > 0)
      .slice(0, 5);
    for (const p of leavers) await merchant.updateProduct({ id: p.id }, { collectionsToLeave: [gid('Collection', p.collections[0]!)] });
    expected.push(
      ...shopifyTitles.map((p) => ({ entity: 'product' as const, key: p.id, kind: 'incoming' as const, fields: ['title'] })),
      ...range(220, 230).map((p) => ({ entity: 'variant' as const, key: p.variantId, kind: 'incoming' as const, fields: ['price'] })),
      ...range(230, 240).map((p) => ({
        entity: 'inventory_level' as const,
        key: p.levelKey,
        kind: 'incoming' as const,
        fields: ['available'],
      })),
      ...leavers.map((p) => ({
        entity: 'membership' as const,
        key: `${gid('Collection', p.collections[0]!)}|${p.id}`,
        kind: 'incoming' as const,
        fields: ['member'],
      })),
    );

    // Both sides: different titles (conflicts), the same title (converged), different stock (conflicts).
    conflicts = range(500, 510);
    for (const p of conflicts) {
      await patch(p.id, { title: `${p.title} (ours)` });
      await merchant.updateProduct({ id: p.id, title: `${p.title} (theirs)` });
    }
    const converged = range(510, 515);
    for (const p of converged) {
      await patch(p.id, { title: `${p.title} (agreed)` });
      await merchant.updateProduct({ id: p.id, title: `${p.title} (agreed)` });
    }
    stockConflicts = range(520, 525);
    for (const p of stockConflicts)
      await patch(p.id, { inventory: [{ variantId: p.variantId, locationId: p.locationId, available: p.available + 40 }] });
    await merchant.setInventoryQuantities({
      reason: 'correction',
      idempotencyKey: 'round-trip-stock-conflicts',
      quantities: stockConflicts.map((p) => ({
        inventoryItemId: p.itemId,
        locationId: p.locationId,
        quantity: p.available + 2,
        changeFromQuantity: null,
      })),
    });
    expected.push(
      ...conflicts.map((p) => ({ entity: 'product' as const, key: p.id, kind: 'conflict' as const, fields: ['title'] })),
      ...stockConflicts.map((p) => ({
        entity: 'inventory_level' as const,
        key: p.levelKey,
        kind: 'conflict' as const,
        fields: ['available'],
      })),
    );

    // Only the poll reads Shopify.
    await t.services.poll.pollStore(await getStore(t.runtime.db, store.id));
    expect((await getStore(t.runtime.db, store.id)).pollFailures).toBe(0);
    const staged = await pending();
    expect(
      staged.map((c) => line({ entity: c.entity, key: c.entity_key, kind: c.kind, fields: c.fields.map((f) => f.name) })).sort(),
    ).toEqual(expected.map(line).sort());
    for (const p of converged) expect(staged.some((c) => c.entity_key === p.id)).toBe(false);
  });

  it('after approvals, resolutions and rejections, a push and a full pull: nothing staged, both sides equal, rejections kept', async () => {
    const decide = async (route: typeof approveRoute.POST, id: string, body: Record<string, unknown> = {}) => {
      const res = await callRoute(route, { method: 'POST', params: { id }, token: merch, body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const rejectedOutgoing = new Set(masterTitles.slice(0, 5).map((p) => p.id));
    const rejectedIncoming = new Set(shopifyTitles.slice(0, 5).map((p) => p.id));
    const ours = new Set([...conflicts.slice(0, 5).map((p) => p.id), ...stockConflicts.map((p) => p.levelKey)]);
    for (const c of await pending()) {
      if (rejectedOutgoing.has(c.entity_key) || rejectedIncoming.has(c.entity_key))
        await decide(rejectRoute.POST, c.id, { reason: 'not now' });
      else if (c.kind === 'conflict') await decide(approveRoute.POST, c.id, { resolution: ours.has(c.entity_key) ? 'local' : 'remote' });
      else await decide(approveRoute.POST, c.id);
    }
    // Rejecting an incoming title keeps the master's and proposes restoring it in Shopify: approve those.
    const restores = await pending();
    expect(restores.map((c) => `${c.entity_key} ${c.kind}`).sort()).toEqual([...rejectedIncoming].map((k) => `${k} outgoing`).sort());
    for (const c of restores) await decide(approveRoute.POST, c.id);

    const { batchId } = await t.services.push.push({ storeId: store.id, createdBy: 'admin@example.com' });
    const batch = await waitForBatch(t.runtime.db, batchId);
    expect(batch.status).toBe('completed');
    expect(batch.counts).toMatchObject({ failed: 0, drifted: 0, dead: 0 });

    const { done } = await t.services.pull.start(store.id, 'full', 'test');
    expect((await done)?.staged.changeIds).toEqual([]);
    expect(await pending()).toEqual([]);
    const { rows, unequal } = await compareSides(t.runtime.db, store.id);
    expect(unequal.map((r) => `${r.entity} ${r.key}`)).toEqual([]);
    const fields = rows.reduce((n, r) => n + Object.keys(r.remote ?? {}).length, 0);
    console.log(`round trip at ${PRODUCTS} products: ${rows.length} rows, ${fields} of ${fields} fields equal on both sides`);

    const title = (id: string) => rows.find((r) => r.key === id)!.local!.title;
    for (const p of masterTitles.slice(0, 5)) expect(title(p.id)).toBe(p.title); // the master edit was discarded
    for (const p of masterTitles.slice(5)) expect(title(p.id)).toBe(`${p.title} (master)`);
    for (const p of shopifyTitles.slice(0, 5)) expect(title(p.id)).toBe(p.title); // Shopify was restored to the master's value
    for (const p of shopifyTitles.slice(5)) expect(title(p.id)).toBe(`${p.title} (shopify)`);
    for (const p of conflicts.slice(0, 5)) expect(title(p.id)).toBe(`${p.title} (ours)`);
    for (const p of conflicts.slice(5)) expect(title(p.id)).toBe(`${p.title} (theirs)`);
  });
});
