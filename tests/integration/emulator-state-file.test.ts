import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../server/emulator/index';
import { adminQuery } from '../helpers/emulator';

/**
 * Issue 12: the emulator's catalog outlives a restart when it has a state file (the demo keeps it
 * beside the master): merchant edits, stock and created products come back, ids go on where they
 * stopped, and without the file the catalog is generated as before.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'csd-emulator-state-'));
const file = path.join(dir, 'emulator-state.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRODUCT = /* GraphQL */ `query($id: ID!) {
  product(id: $id) { title variants(first: 5) { nodes { price inventoryItem { inventoryLevels(first: 5) { nodes { quantities(names: ["available"]) { quantity } } } } } } }
}`;

describe('the emulator state file', () => {
  it('keeps the catalog across a restart, edits included, and generates one without the file', async () => {
    const first = await startEmulator({ products: 15, seed: 2, stateFile: file });
    expect(first.restored).toBe(false);
    const product = [...first.state.products.values()][4]!;
    const id = `gid://shopify/Product/${product.id}`;
    const variant = first.state.variants.get(product.variantIds[0]!)!;
    const item = first.state.inventoryItems.get(variant.inventoryItemId)!;
    const locationId = [...item.levels.keys()][0]!;
    const edits = await adminQuery(
      first,
      `mutation($p: ProductUpdateInput!, $input: InventorySetQuantitiesInput!) {
        productUpdate(product: $p) { userErrors { message } }
        inventorySetQuantities(input: $input) @idempotent(key: "state-file-1") { userErrors { message } }
      }`,
      {
        p: { id, title: 'Kept across a restart' },
        input: {
          name: 'available',
          reason: 'correction',
          quantities: [
            {
              inventoryItemId: `gid://shopify/InventoryItem/${item.id}`,
              locationId: `gid://shopify/Location/${locationId}`,
              quantity: 0,
              changeFromQuantity: null,
            },
          ],
        },
      },
      first.merchantToken,
    );
    expect(edits.errors).toBeUndefined();
    const before = await adminQuery(first, PRODUCT, { id });
    const lastProductId = Math.max(...first.state.products.keys());
    await first.close();
    expect(existsSync(file)).toBe(true);

    // Restarted with another seed and size: the file wins.
    const second = await startEmulator({ products: 3, seed: 9, stateFile: file });
    try {
      expect(second.restored).toBe(true);
      expect(second.state.products.size).toBe(15);
      const after = await adminQuery(second, PRODUCT, { id });
      expect(after.data).toEqual(before.data);
      expect(after.data.product.title).toBe('Kept across a restart');
      const created = await adminQuery(
        second,
        'mutation { productSet(synchronous: true, input: { title: "Made after the restart" }) { product { id } userErrors { message } } }',
      );
      expect(created.errors).toBeUndefined();
      const createdId = Number(created.data.productSet.product.id.split('/').pop());
      expect(createdId).toBeGreaterThan(lastProductId);
    } finally {
      await second.close();
    }

    const fresh = await startEmulator({ products: 3, seed: 9 });
    try {
      expect(fresh.restored).toBe(false);
      expect(fresh.state.products.size).toBe(3);
    } finally {
      await fresh.close();
    }
  });
});
