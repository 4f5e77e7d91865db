import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../server/emulator/index';
import { adminQuery } from '../helpers/emulator';

/**
 * Stock that moved, as the poll reads it: Location.inventoryLevels(query: "updated_at:>'T'") and
 * InventoryItem.inventoryLevels(query:) filter by the level's own updated_at, which quantity
 * writes move and product edits do not; the answer carries its cost.
 */
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ products: 60, seed: 3 });
});
afterAll(async () => {
  await emu?.close();
});

const LEVELS = /* GraphQL */ `query Levels($location: ID!, $query: String) {
  location(id: $location) {
    inventoryLevels(first: 100, query: $query) {
      nodes { updatedAt quantities(names: ["available"]) { quantity } item { id variant { product { id } } } }
    }
  }
}`;

const ITEM_LEVELS = /* GraphQL */ `query ItemLevels($item: ID!, $query: String) {
  inventoryItem(id: $item) { inventoryLevels(first: 10, query: $query) { nodes { location { id } updatedAt } } }
}`;

describe('inventory levels by updated_at', () => {
  it('answers only the levels whose quantity moved after the instant, at that location, with the cost', async () => {
    const location = [...emu.state.locations.values()].find((l) => l.isActive)!;
    const locationId = `gid://shopify/Location/${location.id}`;
    const items = [...emu.state.inventoryItems.values()].filter((i) => i.levels.has(location.id)).slice(0, 3);
    const since = new Date(Date.now() + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await new Promise((r) => setTimeout(r, 2100));
    const firstProduct = [...emu.state.products.values()][0]!;
    const edit = await adminQuery(
      emu,
      'mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }',
      { p: { id: `gid://shopify/Product/${firstProduct.id}`, title: 'A product edit moves no stock' } },
      emu.merchantToken,
    );
    expect(edit.errors).toBeUndefined();
    const set = await adminQuery(
      emu,
      `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) @idempotent(key: "levels-1") {
        userErrors { message } } }`,
      {
        input: {
          name: 'available',
          reason: 'correction',
          quantities: items.map((i, n) => ({
            inventoryItemId: `gid://shopify/InventoryItem/${i.id}`,
            locationId,
            quantity: 40 + n,
            changeFromQuantity: null,
          })),
        },
      },
      emu.merchantToken,
    );
    expect(set.data.inventorySetQuantities.userErrors).toEqual([]);

    const moved = await adminQuery(emu, LEVELS, { location: locationId, query: `updated_at:>'${since}'` });
    expect(moved.errors).toBeUndefined();
    const nodes = moved.data.location.inventoryLevels.nodes;
    expect(nodes.map((n: { item: { id: string } }) => n.item.id).sort()).toEqual(
      items.map((i) => `gid://shopify/InventoryItem/${i.id}`).sort(),
    );
    expect(nodes.map((n: { quantities: Array<{ quantity: number }> }) => n.quantities[0]!.quantity).sort()).toEqual([40, 41, 42]);
    expect(nodes.every((n: { updatedAt: string }) => n.updatedAt > since)).toBe(true);
    expect(moved.extensions!.cost.requestedQueryCost).toBeGreaterThan(moved.extensions!.cost.actualQueryCost!);

    const all = await adminQuery(emu, LEVELS, { location: locationId, query: null });
    expect(all.data.location.inventoryLevels.nodes.length).toBeGreaterThan(3);
    const later = await adminQuery(emu, LEVELS, {
      location: locationId,
      query: `updated_at:>'${new Date(Date.now() + 5000).toISOString()}'`,
    });
    expect(later.data.location.inventoryLevels.nodes).toEqual([]);

    const item = items[0]!;
    const perItem = await adminQuery(emu, ITEM_LEVELS, { item: `gid://shopify/InventoryItem/${item.id}`, query: `updated_at:>'${since}'` });
    expect(perItem.data.inventoryItem.inventoryLevels.nodes.map((n: { location: { id: string } }) => n.location.id)).toEqual([locationId]);
  });
});
