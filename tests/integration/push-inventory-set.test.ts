import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchItem } from '../../drizzle/schema';
import { createShopifyClient } from '../../lib/shopify';
import { entityKeys } from '../../lib/sync/fields';
import { applyUnit } from '../../server/push/apply';
import type { InventoryWrite, ShopifyPort } from '../../server/push/port';
import { ShopifyStorePort } from '../../server/push/shopify-port';
import { adminQuery, type Emulator, setAvailable, startEmulator } from '../helpers/emulator';

/**
 * A product's stock levels are pushed with one inventorySetQuantities (changeFromQuantity per level,
 * one @idempotent key), through the real client and the emulator. When someone moves one level
 * between the drift check and the write, Shopify refuses the whole call as stale: that level is
 * drifted with what Shopify holds, and the others are written by a second call.
 */
let emulator: Emulator;
let port: ShopifyStorePort;
let product: { id: string; levels: Array<{ itemId: string; locationId: string }> };

beforeAll(async () => {
  emulator = await startEmulator({ products: 12, seed: 5 });
  port = new ShopifyStorePort(
    createShopifyClient({ shopDomain: emulator.shopDomain, accessToken: emulator.accessToken, adminUrl: emulator.adminUrl }),
  );
  const res = await adminQuery(
    emulator,
    `{ products(first: 12) { nodes { id variants(first: 5) { nodes { inventoryItem { id inventoryLevels(first: 2) { nodes { location { id } } } } } } } } }`,
  );
  const products = res.data.products.nodes.map((p: any) => ({
    id: p.id as string,
    levels: p.variants.nodes.flatMap((v: any) =>
      v.inventoryItem.inventoryLevels.nodes.map((l: any) => ({
        itemId: v.inventoryItem.id as string,
        locationId: l.location.id as string,
      })),
    ),
  }));
  product = products.find((p: typeof product) => p.levels.length >= 3)!;
  expect(product).toBeDefined();
}, 60_000);
afterAll(() => emulator?.close());

/** What the port sent to inventorySetQuantities, call by call; `before` runs ahead of the first call. */
function recording(before?: () => Promise<void>): { port: ShopifyPort; calls: InventoryWrite[][] } {
  const calls: InventoryWrite[][] = [];
  const wrapped = Object.create(port) as ShopifyPort;
  wrapped.setInventory = async (quantities, key) => {
    if (calls.length === 0) await before?.();
    calls.push(quantities);
    return port.setInventory(quantities, key);
  };
  return { port: wrapped, calls };
}

async function availableNow(): Promise<number[]> {
  const need = {
    variantIds: [],
    inventoryItemIds: [...new Set(product.levels.map((l) => l.itemId))],
    collections: false,
    metafieldKeys: [],
  };
  const state = await port.readState(product.id, need);
  return product.levels.map((l) => Number(state!.inventory.get(entityKeys.inventoryLevel(l.itemId, l.locationId))!.available));
}

function levelItems(current: number[], by: number): BatchItem[] {
  const now = new Date();
  return product.levels.map((l, i) => {
    const id = randomUUID();
    return {
      id,
      batchId: randomUUID(),
      storeId: randomUUID(),
      stagedChangeId: null,
      sourceItemId: null,
      side: 'shopify',
      entity: 'inventory_level',
      entityKey: entityKeys.inventoryLevel(l.itemId, l.locationId),
      productKey: product.id,
      op: 'update',
      priority: 'normal',
      before: { available: current[i]! },
      target: { available: current[i]! + by },
      after: null,
      observed: null,
      status: 'applying',
      error: null,
      attempts: 1,
      bulkLine: null,
      idempotencyKey: `csd-${id}`,
      startedAt: now,
      finishedAt: null,
      createdAt: now,
      updatedAt: now,
    } as BatchItem;
  });
}

describe('a product stock levels pushed together', () => {
  it('go in one inventorySetQuantities, each level with its own changeFromQuantity', async () => {
    const current = await availableNow();
    const items = levelItems(current, 5);
    const { port: counted, calls } = recording();
    const result = await applyUnit(counted, product.id, items);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.map((q) => q.changeFromQuantity)).toEqual(current);
    expect(items.map((i) => result.outcomes.get(i.id)?.status)).toEqual(items.map(() => 'applied'));
    expect(await availableNow()).toEqual(current.map((n) => n + 5));
  });

  it('a level moved under the write is drifted; the others are written by a second call', async () => {
    const current = await availableNow();
    const items = levelItems(current, 3);
    const moved = product.levels[1]!;
    const { port: racing, calls } = recording(async () => {
      expect(await setAvailable(emulator, moved, 999, `merchant-${randomUUID()}`)).toEqual([]);
    });
    const result = await applyUnit(racing, product.id, items);
    expect(calls.map((c) => c.length)).toEqual([items.length, items.length - 1]);
    expect(result.outcomes.get(items[1]!.id)).toMatchObject({ status: 'drifted', observed: { available: 999 } });
    const others = items.filter((_, i) => i !== 1);
    expect(others.map((i) => result.outcomes.get(i.id)?.status)).toEqual(others.map(() => 'applied'));
    expect(await availableNow()).toEqual(current.map((n, i) => (i === 1 ? 999 : n + 3)));
  });
});
