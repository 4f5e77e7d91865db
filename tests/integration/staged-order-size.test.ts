import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as bulkApproveRoute from '../../app/api/sync/staged/bulk-approve/route';
import * as stagedRoute from '../../app/api/sync/staged/route';
import { locations, type Store } from '../../drizzle/schema';
import { callRoute, demoToken } from '../helpers/api';
import { createStore, product, seedEntities, stageAll, variant } from '../helpers/push-fixtures';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * The staged filter's sort and size conditions: the list and a bulk decision by filter take the
 * same changes in the same order; rows carry the variant, SKU and location names.
 */

const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number) => `gid://shopify/ProductVariant/${n}`;
const LOC = 'gid://shopify/Location/7';
const level = (n: number) => `gid://shopify/InventoryItem/${n}|${LOC}`;

let t: TestRuntime;
let store: Store;
let token: string;

beforeAll(async () => {
  t = await startTestRuntime();
  store = await createStore(t.runtime.db);
  token = await demoToken('admin');
  const db = t.runtime.db;
  await db.insert(locations).values({ storeId: store.id, id: LOC, name: 'Warehouse East' });
  // Incoming prices from 10.00: +5% (Zeta), +25% (Alpha), +50% (Mid); stock 10 -> 40 (Alpha's variant).
  const priced = [
    [1, 'Zeta', '10.50'],
    [2, 'Alpha', '12.50'],
    [3, 'Mid', '15.00'],
  ] as const;
  await seedEntities(db, store.id, [
    ...priced.map(([n, title]) => ({
      entity: 'product' as const,
      key: P(n),
      local: product(n, { title }),
      base: product(n, { title }),
      remote: product(n, { title }),
    })),
    ...priced.map(([n, , price]) => ({
      entity: 'variant' as const,
      key: V(n),
      productKey: P(n),
      local: variant('10.00', { sku: `SKU-${n}` }),
      base: variant('10.00', { sku: `SKU-${n}` }),
      remote: variant(price, { sku: `SKU-${n}` }),
      meta: { title: `Size ${n}`, inventoryItemId: `gid://shopify/InventoryItem/${n}` },
    })),
    {
      entity: 'inventory_level',
      key: level(2),
      productKey: P(2),
      local: { available: 10 },
      base: { available: 10 },
      remote: { available: 40 },
      meta: { variantId: V(2) },
    },
  ]);
  await stageAll(db, store.id);
});
afterAll(() => t?.stop());

async function list(query: string, limit = 50): Promise<Array<Record<string, any>>> {
  const items: Array<Record<string, any>> = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: any } = await callRoute(stagedRoute.GET, {
      path: `/api/sync/staged?storeId=${store.id}&${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      token,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}
const keys = (items: Array<Record<string, any>>) => items.map((c) => c.entityKey);

describe('staged filter: sort and size', () => {
  it('rows name the variant, its SKU and the location', async () => {
    const items = await list('sort=time');
    const stock = items.find((c) => c.entity === 'inventory_level')!;
    expect(stock).toMatchObject({ variantTitle: 'Size 2', sku: 'SKU-2', locationName: 'Warehouse East', title: 'Alpha' });
    expect(items.find((c) => c.entityKey === V(1))).toMatchObject({ variantTitle: 'Size 1', sku: 'SKU-1', locationName: null });
  });

  it('sorts by size of change (percent for prices, units for stock) and by product, the same in pages of 1', async () => {
    const bySize = keys(await list('sort=size'));
    expect(bySize).toEqual([V(3), level(2), V(2), V(1)]);
    expect(keys(await list('sort=size', 1))).toEqual(bySize);
    const byProduct = keys(await list('sort=product'));
    expect(byProduct.slice(0, 2).sort()).toEqual([V(2), level(2)].sort());
    expect(byProduct.slice(2)).toEqual([V(3), V(1)]);
    expect(keys(await list('sort=product', 1))).toEqual(byProduct);
  });

  it('filters by size; a bulk approve by that filter approves exactly what the list shows; Any status finds them after', async () => {
    expect(keys(await list('minPricePercent=20&sort=size'))).toEqual([V(3), V(2)]);
    expect(keys(await list('minQuantity=30'))).toEqual([level(2)]);
    expect(keys(await list('minQuantity=31'))).toEqual([]);
    const bad = await callRoute(stagedRoute.GET, { path: '/api/sync/staged?minPricePercent=lots', token });
    expect(bad.status).toBe(400);

    const res = await callRoute(bulkApproveRoute.POST, {
      method: 'POST',
      path: '/api/sync/staged/bulk-approve',
      body: { filter: { storeId: store.id, minPricePercent: '20', sort: 'size' } },
      token,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.count).toBe(2);
    // An approved incoming change is adopted into the master at once: it is listed as applied.
    expect(keys(await list('status=applied&sort=size'))).toEqual([V(3), V(2)]);
    const any = await list('status=pending,approved,rejected,queued,applying,applied,failed,drifted,rolled_back,superseded&sort=size');
    expect(keys(any)).toEqual([V(3), level(2), V(2), V(1)]);
    expect(any[0]).toMatchObject({ status: 'applied', decidedBy: expect.any(String), decidedAt: expect.any(String) });
    expect(keys(await list(`status=applied&q=sku-3`))).toEqual([V(3)]);
  });
});
