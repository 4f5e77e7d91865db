import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as productRoute from '../../app/api/products/[id]/route';
import type { Store } from '../../drizzle/schema';
import type { ShopifyClient } from '../../lib/shopify';
import { pgTextArray, queryRows } from '../../server/db/rows';
import { startEmulator } from '../../server/emulator';
import { getStore } from '../../server/stores/stores';
import { callRoute, demoToken } from '../helpers/api';
import { adminQuery } from '../helpers/emulator';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { insertEmulatorStore, merchantClient } from '../helpers/staging';

/**
 * Issue 12: the backup poll loses nothing. A poll that fails after its first chunk has staged
 * that chunk, and the next poll stages the rest; stock moved in Shopify (which leaves the
 * product's updated_at alone) is read by the poll and classified incoming, conflict or converged;
 * past a few pages of either, the poll reads by bulk query. Only the poll runs: no webhook is
 * subscribed and no pull is started after the first.
 */
let t: TestRuntime;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let store: Store;
let merchant: ShopifyClient;
let merch: string;

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;

interface Level {
  productId: string;
  variantId: string;
  itemId: string;
  locationId: string;
  key: string;
  before: number;
}

/** The first stocked level of the first variant of products [from, to), one per product. */
function levels(from: number, to: number): Level[] {
  return [...emulator.state.products.values()].slice(from, to).map((p) => {
    const variant = emulator.state.variants.get(p.variantIds[0]!)!;
    const item = emulator.state.inventoryItems.get(variant.inventoryItemId)!;
    const [locationId, level] = [...item.levels.entries()].sort((a, b) => a[0] - b[0])[0]!;
    const [itemGid, locationGid] = [gid('InventoryItem', item.id), gid('Location', locationId)];
    return {
      productId: gid('Product', p.id),
      variantId: gid('ProductVariant', variant.id),
      itemId: itemGid,
      locationId: locationGid,
      key: `${itemGid}|${locationGid}`,
      before: level.available,
    };
  });
}

async function setStock(changes: Array<{ level: Level; quantity: number }>, key: string): Promise<void> {
  await merchant.setInventoryQuantities({
    reason: 'correction',
    idempotencyKey: key,
    quantities: changes.map(({ level, quantity }) => ({
      inventoryItemId: level.itemId,
      locationId: level.locationId,
      quantity,
      changeFromQuantity: null,
    })),
  });
}

async function poll(): Promise<void> {
  await t.services.poll.pollStore(await getStore(t.runtime.db, store.id));
}

async function pendingOf(entity: string, keys: string[]) {
  return queryRows<{ entity_key: string; kind: string; fields: Array<{ name: string; base: unknown; local: unknown; remote: unknown }> }>(
    t.runtime.db,
    sql`select entity_key, kind, fields from staged_changes
        where store_id = ${store.id} and status = 'pending' and entity = ${entity} and entity_key = any(${pgTextArray(keys)}::text[])`,
  );
}

beforeAll(async () => {
  emulator = await startEmulator({ products: 1200, seed: 12, plan: 'plus' });
  t = await startTestRuntime();
  store = await insertEmulatorStore(t.runtime.db, emulator);
  merchant = merchantClient(emulator);
  merch = await demoToken('merchandiser');
  const { done } = await t.services.pull.start(store.id, 'full', 'test');
  expect(await done).toMatchObject({ adopted: true, productsRead: 1200 });
}, 180_000);
afterAll(async () => {
  await t?.stop();
  await emulator?.close();
});

describe('the backup poll', () => {
  it('stages stock moved in Shopify: incoming (a sell-out among them), conflicts with master edits, converged values not at all', async () => {
    const chosen = levels(400, 450);
    const [incoming, conflicts, converged] = [chosen.slice(0, 30), chosen.slice(30, 40), chosen.slice(40, 50)];
    const soldOut = incoming.find((l) => l.before > 0)!;
    const shopifyValue = (l: Level) => (l === soldOut ? 0 : conflicts.includes(l) || converged.includes(l) ? l.before + 3 : l.before + 7);
    const masterValue = (l: Level) => (conflicts.includes(l) ? l.before + 100 : l.before + 3);
    for (const l of [...conflicts, ...converged]) {
      const res = await callRoute(productRoute.PATCH, {
        method: 'PATCH',
        params: { id: l.productId },
        token: merch,
        body: { inventory: [{ variantId: l.variantId, locationId: l.locationId, available: masterValue(l) }] },
      });
      expect(res.status).toBe(200);
    }
    expect(
      (
        await pendingOf(
          'inventory_level',
          chosen.map((l) => l.key),
        )
      ).map((c) => c.kind),
    ).toEqual(Array(20).fill('outgoing'));

    const bucket = t.services.shopify.for(store).bucket;
    const pointsBefore = bucket.stats().pointsUsed;
    const requestsBefore = bucket.stats().requests;
    await setStock(
      chosen.map((level) => ({ level, quantity: shopifyValue(level) })),
      'poll-stock-50',
    );
    const changedAt = performance.now();
    await poll();
    const stagedMs = performance.now() - changedAt;
    const points = bucket.stats().pointsUsed - pointsBefore;
    console.log(
      `poll after 50 stock changes (50 products): ${points} points in ${bucket.stats().requests - requestsBefore} requests, ` +
        `${(points / 50).toFixed(1)} points per changed product; change -> staged ${Math.round(stagedMs)} ms after the tick ` +
        '(with webhooks off a change waits for the next tick: at most one poll interval, 60 s by default, plus this)',
    );

    const staged = await pendingOf(
      'inventory_level',
      chosen.map((l) => l.key),
    );
    const expected = [
      ...incoming.map((l) => ({
        entity_key: l.key,
        kind: 'incoming',
        fields: [{ name: 'available', base: l.before, local: l.before, remote: shopifyValue(l) }],
      })),
      ...conflicts.map((l) => ({
        entity_key: l.key,
        kind: 'conflict',
        fields: [{ name: 'available', base: l.before, local: masterValue(l), remote: shopifyValue(l) }],
      })),
    ];
    const order = (a: { entity_key: string }, b: { entity_key: string }) => a.entity_key.localeCompare(b.entity_key);
    expect(staged.map((c) => ({ entity_key: c.entity_key, kind: c.kind, fields: c.fields })).sort(order)).toEqual(expected.sort(order));
    expect(staged.find((c) => c.entity_key === soldOut.key)?.fields[0]?.remote).toBe(0);
    // Converged: both sides hold the same new value; base moved to it and nothing is pending.
    const rows = await queryRows<{ key: string; local: unknown; base: unknown; remote: unknown }>(
      t.runtime.db,
      sql`select key, local->'available' as local, base->'available' as base, remote->'available' as remote from catalog_entities
          where store_id = ${store.id} and entity = 'inventory_level' and key = any(${pgTextArray(converged.map((l) => l.key))}::text[])`,
    );
    expect(rows.map((r) => [r.key, r.local, r.base, r.remote]).sort()).toEqual(
      converged.map((l) => [l.key, l.before + 3, l.before + 3, l.before + 3]).sort(),
    );
    const superseded = await queryRows<{ n: number }>(
      t.runtime.db,
      sql`select count(*)::int as n from staged_changes where store_id = ${store.id} and entity = 'inventory_level'
          and status = 'superseded' and entity_key = any(${pgTextArray(converged.map((l) => l.key))}::text[])`,
    );
    expect(superseded[0]!.n).toBe(10);
  });

  it('stages every change of a poll that failed after its first chunk: its first chunk at once, the rest on the next poll', async () => {
    const products = [...emulator.state.products.values()].slice(0, 300);
    for (const p of products) await merchant.updateProduct({ id: gid('Product', p.id), title: `${p.title} (poll)` });
    const ids = products.map((p) => gid('Product', p.id));

    // The 50 products edited last are read in the poll's second chunk (by updated_at): that read fails.
    // Re-reads of many products go by bulk query (id: terms), of a few by nodes(ids:): both fail for them.
    const client = t.services.shopify.for(store).client('poll');
    const read = client.getProductsByIds;
    const bulk = client.streamBulkCatalogBatches;
    const secondChunk = new Set(ids.slice(250));
    const secondTerms = new Set(ids.slice(250).map((id) => `id:${id.split('/').pop()}`));
    client.getProductsByIds = async (asked, sizes) => {
      if (asked.some((id) => secondChunk.has(id))) throw new Error('injected: the second chunk cannot be read');
      return read(asked, sizes);
    };
    client.streamBulkCatalogBatches = (options) => {
      if (options?.search?.split(' OR ').some((term) => secondTerms.has(term)))
        throw new Error('injected: the second chunk cannot be read');
      return bulk(options);
    };
    try {
      await poll();
    } finally {
      client.getProductsByIds = read;
      client.streamBulkCatalogBatches = bulk;
    }
    const failed = await getStore(t.runtime.db, store.id);
    expect(failed.pollFailures).toBe(1);
    expect(failed.lastPollError).toMatch(/injected/);
    expect((await pendingOf('product', ids)).map((c) => c.entity_key).sort()).toEqual(ids.slice(0, 250).sort());

    await poll();
    expect((await getStore(t.runtime.db, store.id)).pollFailures).toBe(0);
    const staged = await pendingOf('product', ids);
    expect(staged).toHaveLength(300);
    const byKey = new Map(staged.map((c) => [c.entity_key, c]));
    for (const p of products) {
      expect(byKey.get(gid('Product', p.id))).toMatchObject({
        kind: 'incoming',
        fields: [{ name: 'title', base: p.title.replace(/ \(poll\)$/, ''), remote: p.title }],
      });
    }
  });

  it('reads by bulk query when more changed than a few pages hold, and stages all of it', async () => {
    const products = [...emulator.state.products.values()].slice(0, 1100);
    for (const p of products) await merchant.updateProduct({ id: gid('Product', p.id), vendor: `${p.vendor} (bulk)` });
    // 700 levels at one location: more than four pages of it.
    const location = [...emulator.state.locations.values()].find((l) => l.isActive)!;
    const stocked = [...emulator.state.inventoryItems.values()].filter((i) => i.levels.has(location.id)).slice(0, 700);
    expect(stocked).toHaveLength(700);
    const locationGid = gid('Location', location.id);
    const moved = stocked.map((i) => ({
      key: `${gid('InventoryItem', i.id)}|${locationGid}`,
      itemId: gid('InventoryItem', i.id),
      before: i.levels.get(location.id)!.available,
    }));
    for (let n = 0; n < moved.length; n += 250) {
      await merchant.setInventoryQuantities({
        reason: 'correction',
        idempotencyKey: `poll-bulk-${n}`,
        quantities: moved
          .slice(n, n + 250)
          .map((m) => ({ inventoryItemId: m.itemId, locationId: locationGid, quantity: m.before + 11, changeFromQuantity: null })),
      });
    }
    const bulkBefore = (await bulkQueries()).length;
    await poll();
    expect((await getStore(t.runtime.db, store.id)).pollFailures).toBe(0);
    const queries = (await bulkQueries()).slice(bulkBefore);
    expect(queries.some((q) => /products\(query: "updated_at:>/.test(q))).toBe(true);
    expect(queries.some((q) => /inventoryLevels\(query: "updated_at:>/.test(q))).toBe(true);

    const vendors = await pendingOf(
      'product',
      products.map((p) => gid('Product', p.id)),
    );
    expect(vendors.filter((c) => c.fields.some((f) => f.name === 'vendor' && f.remote === `${f.base} (bulk)`))).toHaveLength(1100);
    const stock = await pendingOf(
      'inventory_level',
      moved.map((m) => m.key),
    );
    const byKey = new Map(stock.map((c) => [c.entity_key, c.fields.find((f) => f.name === 'available')?.remote]));
    expect(moved.filter((m) => byKey.get(m.key) === m.before + 11)).toHaveLength(700);
  });
});

async function bulkQueries(): Promise<string[]> {
  // The app's bulk operations (each token sees its own).
  const { data } = await adminQuery<{ bulkOperations: { nodes: Array<{ query: string; type: string }> } }>(
    emulator,
    'query { bulkOperations(first: 50) { nodes { query type } } }',
  );
  return data!.bulkOperations.nodes.filter((n) => n.type === 'QUERY').map((n) => n.query);
}
