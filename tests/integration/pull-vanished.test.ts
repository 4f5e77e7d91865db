import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../drizzle/schema';
import type { RemoteRecord } from '../../server/catalog/remote';
import { queryRows } from '../../server/db/rows';
import { runPull } from '../../server/ingest/pull/pull';
import type { CatalogReader } from '../../server/ingest/pull/reader';
import { getStore } from '../../server/stores/stores';
import { createStore } from '../helpers/push-fixtures';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * A full pull finds what vanished from Shopify without remembering every row it read: the rows of
 * a product that its batch lacks, and everything of products and collections not read at all.
 * Staging must stay exact: deletes for exactly what disappeared, nothing when nothing changed.
 */
let t: TestRuntime;
let store: Store;

const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number, i: number) => `gid://shopify/ProductVariant/${n * 10 + i}`;
const ITEM = (n: number, i: number) => `gid://shopify/InventoryItem/${n * 10 + i}`;
const L = (n: number) => `gid://shopify/Location/${n}`;
const C = (n: number) => `gid://shopify/Collection/${n}`;

interface FakeProduct {
  n: number;
  variants: number[];
  locations: number[];
  collections: number[];
}

/** The fake shop: 30 products (3 variants at 2 locations, in collections 1 and 2) and 3 collections. */
let catalog: FakeProduct[];
let collections: number[];

function productRows(p: FakeProduct): RemoteRecord[] {
  const rows: RemoteRecord[] = [
    {
      entity: 'product',
      key: P(p.n),
      productKey: P(p.n),
      doc: {
        title: `Shirt ${p.n}`,
        handle: `shirt-${p.n}`,
        descriptionHtml: '<p>x</p>',
        vendor: 'Acme',
        productType: 'Shirts',
        status: 'ACTIVE',
        tags: ['a'],
      },
    },
  ];
  for (const i of p.variants) {
    rows.push({
      entity: 'variant',
      key: V(p.n, i),
      productKey: P(p.n),
      doc: {
        sku: `SKU-${p.n}-${i}`,
        barcode: null,
        price: '10.00',
        compareAtPrice: null,
        inventoryPolicy: 'DENY',
        taxable: true,
        tracked: true,
        cost: null,
      },
      meta: { title: `Size ${i}`, inventoryItemId: ITEM(p.n, i), position: i },
    });
    for (const l of p.locations) {
      rows.push({
        entity: 'inventory_level',
        key: `${ITEM(p.n, i)}|${L(l)}`,
        productKey: P(p.n),
        doc: { available: 5 },
        meta: { variantId: V(p.n, i), inventoryItemId: ITEM(p.n, i), locationId: L(l) },
      });
    }
  }
  for (const c of p.collections) {
    rows.push({
      entity: 'membership',
      key: `${C(c)}|${P(p.n)}`,
      productKey: P(p.n),
      doc: { member: true },
      meta: { collectionId: C(c), productId: P(p.n) },
    });
  }
  return rows;
}

/** Whole products per batch, 4 products a batch (the contract of CatalogReader.fullCatalog). */
const reader: CatalogReader = {
  async *fullCatalog() {
    yield collections.map((c) => ({
      entity: 'collection',
      key: C(c),
      productKey: null,
      doc: { title: `Collection ${c}`, handle: `collection-${c}`, descriptionHtml: '' },
      meta: { smart: false },
    }));
    for (let i = 0; i < catalog.length; i += 4) yield catalog.slice(i, i + 4).flatMap(productRows);
  },
  async *productsUpdatedSince() {},
  async *stockUpdatedSince() {},
  async products() {
    return [];
  },
  async collection() {
    return null;
  },
};

async function pullFull() {
  return runPull(
    { db: t.runtime.db, logger: t.runtime.logger, runtime: t.runtime, reader },
    await getStore(t.runtime.db, store.id),
    'full',
    null,
  );
}

async function pending() {
  return queryRows<{ entity: string; entity_key: string; kind: string; op: string }>(
    t.runtime.db,
    sql`select entity, entity_key, kind, op from staged_changes where store_id = ${store.id} and status = 'pending' order by entity, entity_key`,
  );
}

async function goneFromShopify() {
  const rows = await queryRows<{ entity: string; key: string }>(
    t.runtime.db,
    sql`select entity, key from catalog_entities where store_id = ${store.id} and remote is null order by entity, key`,
  );
  return rows.map((r) => `${r.entity} ${r.key}`);
}

beforeAll(async () => {
  t = await startTestRuntime();
  store = await createStore(t.runtime.db);
  catalog = Array.from({ length: 30 }, (_, k) => ({ n: k + 1, variants: [1, 2, 3], locations: [1, 2], collections: [1, 2] }));
  collections = [1, 2, 3];
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('a full pull finds what vanished from Shopify', () => {
  it('adopts, then stages nothing when nothing changed', async () => {
    const first = await pullFull();
    expect(first.adopted).toBe(true);
    expect(first.rowsRead).toBe(3 + 30 * (1 + 3 + 6 + 2));
    const second = await pullFull();
    expect(second.adopted).toBe(false);
    expect(second.staged.changeIds).toEqual([]);
    expect(await goneFromShopify()).toEqual([]);
    expect(await pending()).toEqual([]);
  });

  it('stages a delete for exactly the product, variant, level, membership and collection that disappeared', async () => {
    const byN = (n: number) => catalog.find((p) => p.n === n)!;
    catalog = catalog.filter((p) => p.n !== 7); // a product, with all its rows
    byN(12).variants = [1, 3]; // a variant (and its two levels)
    byN(18).locations = [1]; // the second location's levels of one product's variants
    byN(25).collections = [1]; // one membership
    collections = [1, 2]; // collection 3 had no members
    const outcome = await pullFull();

    const levels18 = [1, 2, 3].map((i) => `inventory_level ${ITEM(18, i)}|${L(2)}`);
    const product7 = [
      `membership ${C(1)}|${P(7)}`,
      `membership ${C(2)}|${P(7)}`,
      `product ${P(7)}`,
      `variant ${V(7, 1)}`,
      `variant ${V(7, 2)}`,
      `variant ${V(7, 3)}`,
    ];
    const levels7 = [1, 2, 3].flatMap((i) => [1, 2].map((l) => `inventory_level ${ITEM(7, i)}|${L(l)}`));
    expect(await goneFromShopify()).toEqual(
      [
        `collection ${C(3)}`,
        ...levels18,
        `inventory_level ${ITEM(12, 2)}|${L(1)}`,
        `inventory_level ${ITEM(12, 2)}|${L(2)}`,
        ...levels7,
        `membership ${C(2)}|${P(25)}`,
        ...product7,
        `variant ${V(12, 2)}`,
      ].sort(),
    );
    // The deleted product is one change (its rows follow it), so is the deleted variant (its levels
    // follow it); every other vanished row is its own.
    const staged = await pending();
    expect(staged.every((c) => c.kind === 'incoming' && c.op === 'delete')).toBe(true);
    expect(staged.map((c) => `${c.entity} ${c.entity_key}`).sort()).toEqual(
      [`collection ${C(3)}`, ...levels18, `membership ${C(2)}|${P(25)}`, `product ${P(7)}`, `variant ${V(12, 2)}`].sort(),
    );
    expect(outcome.staged.changeIds).toHaveLength(staged.length);
  });

  it('stages nothing more when the same catalog is pulled again', async () => {
    const before = await pending();
    const again = await pullFull();
    expect(again.staged.changeIds).toEqual([]);
    expect(await pending()).toEqual(before);
  });
});
