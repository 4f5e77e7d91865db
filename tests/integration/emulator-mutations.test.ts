import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../server/emulator/index';
import { adminQuery } from '../helpers/emulator';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ products: 50, seed: 3, plan: 'enterprise' });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(() => {
  emu.reset();
});

async function someProduct() {
  const res = await adminQuery(
    emu,
    `{ products(first: 5) { nodes { id handle title variants(first: 5) { nodes { id price inventoryItem { id sku inventoryLevels(first: 5) { nodes { location { id } quantities(names: ["available"]) { quantity } } } } } } } } }`,
  );
  return res.data.products.nodes.find((p: any) => p.variants.nodes.length > 1) as any;
}

const VARIANTS_UPDATE = /* GraphQL */ `mutation($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    productVariants { id price sku inventoryItem { sku tracked unitCost { amount } } }
    userErrors { field message code }
  }
}`;
const PRODUCT_UPDATE = /* GraphQL */ `mutation($product: ProductUpdateInput!) {
  productUpdate(product: $product) { product { id title handle tags collections(first: 20) { nodes { id } } } userErrors { field message } }
}`;
const SET_QUANTITIES = (key: string) => /* GraphQL */ `mutation($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) @idempotent(key: "${key}") {
    inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}`;

describe('emulator mutations', () => {
  it('updates variant price, sku, cost and tracked through productVariantsBulkUpdate', async () => {
    const product = await someProduct();
    const variant = product.variants.nodes[0];
    const res = await adminQuery(emu, VARIANTS_UPDATE, {
      productId: product.id,
      variants: [{ id: variant.id, price: '12.50', inventoryItem: { sku: 'NEW-SKU-1', cost: '4.10', tracked: false } }],
    });
    expect(res.data.productVariantsBulkUpdate.userErrors).toEqual([]);
    expect(res.data.productVariantsBulkUpdate.productVariants[0]).toMatchObject({
      price: '12.50',
      sku: 'NEW-SKU-1',
      inventoryItem: { sku: 'NEW-SKU-1', tracked: false, unitCost: { amount: '4.10' } },
    });
    expect(emu.mutationLog().map((m) => m.mutation)).toEqual(['productVariantsBulkUpdate']);
  });

  it('answers userErrors with field paths and codes: negative price, over-long sku, unknown variant, unknown product', async () => {
    const product = await someProduct();
    const [a, b] = product.variants.nodes;
    const res = await adminQuery(emu, VARIANTS_UPDATE, {
      productId: product.id,
      variants: [
        { id: a.id, price: '-1.00' },
        { id: b.id, inventoryItem: { sku: 'X'.repeat(256) } },
        { id: 'gid://shopify/ProductVariant/1', price: '3.00' },
      ],
    });
    const errors = res.data.productVariantsBulkUpdate.userErrors;
    expect(errors).toEqual([
      { field: ['variants', '0', 'price'], message: expect.stringMatching(/greater than or equal to 0/), code: 'GREATER_THAN_OR_EQUAL_TO' },
      { field: ['variants', '1', 'inventoryItem', 'sku'], message: expect.stringMatching(/too long/), code: 'TOO_LONG' },
      { field: ['variants', '2', 'id'], message: expect.any(String), code: 'PRODUCT_VARIANT_DOES_NOT_EXIST' },
    ]);
    const after = await adminQuery(emu, `query($id: ID!) { productVariant(id: $id) { price } }`, { id: a.id });
    expect(after.data.productVariant.price).toBe(a.price);
    expect(emu.mutationLog()).toEqual([]);
    const unknown = await adminQuery(emu, VARIANTS_UPDATE, {
      productId: 'gid://shopify/Product/1',
      variants: [{ id: a.id, price: '1.00' }],
    });
    expect(unknown.data.productVariantsBulkUpdate.userErrors[0]).toMatchObject({ field: ['productId'], code: 'PRODUCT_DOES_NOT_EXIST' });
  });

  it('refuses a duplicate handle and an unknown product in productUpdate', async () => {
    const res = await adminQuery(emu, `{ products(first: 2) { nodes { id handle } } }`);
    const [p1, p2] = res.data.products.nodes;
    const dup = await adminQuery(emu, PRODUCT_UPDATE, { product: { id: p1.id, handle: p2.handle } });
    expect(dup.data.productUpdate.userErrors[0].field).toEqual(['product', 'handle']);
    expect(dup.data.productUpdate.userErrors[0].message).toContain('already in use');
    const missing = await adminQuery(emu, PRODUCT_UPDATE, { product: { id: 'gid://shopify/Product/1', title: 'x' } });
    expect(missing.data.productUpdate).toEqual({ product: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] });
  });

  it('joins and leaves collections through productUpdate', async () => {
    const product = await someProduct();
    const collections = await adminQuery(emu, `{ collections(first: 10) { nodes { id } } }`);
    const target = collections.data.collections.nodes.at(-1).id;
    const joined = await adminQuery(emu, PRODUCT_UPDATE, {
      product: { id: product.id, title: 'Renamed', tags: ['a', 'b'], collectionsToJoin: [target] },
    });
    expect(joined.data.productUpdate.product.title).toBe('Renamed');
    expect(joined.data.productUpdate.product.collections.nodes.map((c: any) => c.id)).toContain(target);
    const has = await adminQuery(emu, `query($c: ID!, $p: ID!) { collection(id: $c) { hasProduct(id: $p) } }`, {
      c: target,
      p: product.id,
    });
    expect(has.data.collection.hasProduct).toBe(true);
    const left = await adminQuery(emu, PRODUCT_UPDATE, { product: { id: product.id, collectionsToLeave: [target] } });
    expect(left.data.productUpdate.product.collections.nodes.map((c: any) => c.id)).not.toContain(target);
  });

  it('creates with productSet, replaces its variants, deletes with productDelete', async () => {
    const locations = await adminQuery(emu, `{ locations(first: 1) { nodes { id } } }`);
    const locationId = locations.data.locations.nodes[0].id;
    const SET = `mutation($input: ProductSetInput!) { productSet(input: $input, synchronous: true) { product { id handle variants(first: 10) { nodes { id sku price inventoryQuantity } } } userErrors { field message code } } }`;
    const created = await adminQuery(emu, SET, {
      input: {
        title: 'Brand new ✨',
        vendor: 'Test',
        productOptions: [{ name: 'Size', values: [{ name: 'S' }, { name: 'M' }] }],
        variants: [
          {
            optionValues: [{ optionName: 'Size', name: 'S' }],
            price: '10.00',
            sku: 'BN-S',
            inventoryQuantities: [{ locationId, name: 'available', quantity: 7 }],
          },
          { optionValues: [{ optionName: 'Size', name: 'M' }], price: '11.00', sku: 'BN-M' },
        ],
      },
    });
    expect(created.data.productSet.userErrors).toEqual([]);
    const product = created.data.productSet.product;
    expect(product.variants.nodes.map((v: any) => v.sku)).toEqual(['BN-S', 'BN-M']);
    expect(product.variants.nodes[0].inventoryQuantity).toBe(7);
    const replaced = await adminQuery(emu, SET, {
      input: {
        id: product.id,
        variants: [{ id: product.variants.nodes[1].id, optionValues: [{ optionName: 'Size', name: 'M' }], price: '12.00' }],
      },
    });
    expect(replaced.data.productSet.product.variants.nodes.map((v: any) => v.price)).toEqual(['12.00']);
    const dupHandle = await adminQuery(emu, SET, { input: { title: 'Other', handle: product.handle } });
    expect(dupHandle.data.productSet.userErrors[0].code).toBe('HANDLE_NOT_UNIQUE');
    const deleted = await adminQuery(
      emu,
      `mutation($input: ProductDeleteInput!) { productDelete(input: $input) { deletedProductId userErrors { field message } } }`,
      { input: { id: product.id } },
    );
    expect(deleted.data.productDelete.deletedProductId).toBe(product.id);
    const gone = await adminQuery(emu, `query($id: ID!) { product(id: $id) { id } }`, { id: product.id });
    expect(gone.data.product).toBeNull();
  });

  it('adds variants with productVariantsBulkCreate, refusing a taken combination or an unknown option with userErrors', async () => {
    const locations = await adminQuery(emu, `{ locations(first: 2) { nodes { id } } }`);
    const [first, second] = locations.data.locations.nodes.map((l: any) => l.id);
    const made = await adminQuery(
      emu,
      `mutation { productSet(synchronous: true, input: { title: "Mug", productOptions: [{ name: "Color", values: [{ name: "Red" }] }],
        variants: [{ optionValues: [{ optionName: "Color", name: "Red" }], price: "9.00" }] }) { product { id } } }`,
    );
    const productId = made.data.productSet.product.id;
    const CREATE = `mutation($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
      productVariantsBulkCreate(productId: $productId, variants: $variants) {
        productVariants { id title price inventoryItem { sku inventoryLevels(first: 5) { nodes { location { id } quantities(names: ["available"]) { quantity } } } } }
        userErrors { field message code } } }`;
    const added = await adminQuery(emu, CREATE, {
      productId,
      variants: [
        {
          optionValues: [{ optionName: 'Color', name: 'Blue' }],
          price: '10.00',
          inventoryItem: { sku: 'MUG-B' },
          inventoryQuantities: [{ locationId: second, availableQuantity: 3 }],
        },
      ],
    });
    expect(added.data.productVariantsBulkCreate.userErrors).toEqual([]);
    const [blue] = added.data.productVariantsBulkCreate.productVariants;
    expect(blue).toMatchObject({ title: 'Blue', price: '10.00', inventoryItem: { sku: 'MUG-B' } });
    expect(blue.inventoryItem.inventoryLevels.nodes).toEqual([{ location: { id: second }, quantities: [{ quantity: 3 }] }]);
    expect(first).not.toBe(second);

    const taken = await adminQuery(emu, CREATE, {
      productId,
      variants: [{ optionValues: [{ optionName: 'Color', name: 'Red' }], price: '1' }],
    });
    expect(taken.data.productVariantsBulkCreate.userErrors.map((e: any) => e.code)).toEqual(['VARIANT_ALREADY_EXISTS']);
    const unknown = await adminQuery(emu, CREATE, {
      productId,
      variants: [{ optionValues: [{ optionName: 'Size', name: 'L' }], price: '1' }],
    });
    expect(unknown.data.productVariantsBulkCreate.userErrors.map((e: any) => e.code)).toContain(
      'OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS',
    );
    const options = await adminQuery(
      emu,
      `query($id: ID!) { product(id: $id) { options { name values } variants(first: 5) { nodes { title } } } }`,
      {
        id: productId,
      },
    );
    expect(options.data.product).toEqual({
      options: [{ name: 'Color', values: ['Red', 'Blue'] }],
      variants: { nodes: [{ title: 'Red' }, { title: 'Blue' }] },
    });
  });

  it('creates a collection with products', async () => {
    const product = await someProduct();
    const res = await adminQuery(
      emu,
      `mutation($input: CollectionInput!) { collectionCreate(input: $input) { collection { id title productsCount { count } } userErrors { field message } } }`,
      {
        input: { title: 'Fresh', products: [product.id] },
      },
    );
    expect(res.data.collectionCreate.collection).toMatchObject({ title: 'Fresh', productsCount: { count: 1 } });
    const blank = await adminQuery(
      emu,
      `mutation { collectionCreate(input: { title: " " }) { collection { id } userErrors { field message } } }`,
    );
    expect(blank.data.collectionCreate.userErrors[0].field).toEqual(['title']);
  });
});

describe('emulator inventory', () => {
  async function level() {
    const product = await someProduct();
    const item = product.variants.nodes[0].inventoryItem;
    const lvl = item.inventoryLevels.nodes[0];
    return { inventoryItemId: item.id, locationId: lvl.location.id, quantity: lvl.quantities[0].quantity as number };
  }

  it('sets quantities with a matching changeFromQuantity and refuses a stale one with CHANGE_FROM_QUANTITY_STALE', async () => {
    const l = await level();
    const ok = await adminQuery(emu, SET_QUANTITIES('k-1'), {
      input: {
        name: 'available',
        reason: 'correction',
        quantities: [
          { inventoryItemId: l.inventoryItemId, locationId: l.locationId, quantity: l.quantity + 5, changeFromQuantity: l.quantity },
        ],
      },
    });
    expect(ok.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(ok.data.inventorySetQuantities.inventoryAdjustmentGroup.changes[0]).toMatchObject({
      name: 'available',
      delta: 5,
      quantityAfterChange: l.quantity + 5,
    });
    const stale = await adminQuery(emu, SET_QUANTITIES('k-2'), {
      input: {
        name: 'available',
        reason: 'correction',
        quantities: [{ inventoryItemId: l.inventoryItemId, locationId: l.locationId, quantity: 1, changeFromQuantity: l.quantity }],
      },
    });
    expect(stale.data.inventorySetQuantities.userErrors).toEqual([
      { field: ['input', 'quantities', '0', 'changeFromQuantity'], message: expect.any(String), code: 'CHANGE_FROM_QUANTITY_STALE' },
    ]);
    const skip = await adminQuery(emu, SET_QUANTITIES('k-3'), {
      input: {
        name: 'available',
        reason: 'correction',
        quantities: [{ inventoryItemId: l.inventoryItemId, locationId: l.locationId, quantity: 1, changeFromQuantity: null }],
      },
    });
    expect(skip.data.inventorySetQuantities.userErrors).toEqual([]);
    const missing = await adminQuery(emu, SET_QUANTITIES('k-4'), {
      input: {
        name: 'available',
        reason: 'correction',
        quantities: [{ inventoryItemId: l.inventoryItemId, locationId: l.locationId, quantity: 2 }],
      },
    });
    expect(missing.data.inventorySetQuantities.userErrors[0].field).toEqual(['input', 'quantities', '0', 'changeFromQuantity']);
  });

  it('applies the same @idempotent key once: one mutation-log entry, the same answer twice', async () => {
    const l = await level();
    const input = {
      name: 'available',
      reason: 'correction',
      quantities: [
        { inventoryItemId: l.inventoryItemId, locationId: l.locationId, quantity: l.quantity + 3, changeFromQuantity: l.quantity },
      ],
    };
    const first = await adminQuery(emu, SET_QUANTITIES('same-key'), { input });
    const second = await adminQuery(emu, SET_QUANTITIES('same-key'), { input });
    expect(second.data).toEqual(first.data);
    const log = emu.mutationLog().filter((m) => m.mutation === 'inventorySetQuantities');
    expect(log).toHaveLength(1);
    expect(log[0]!.idempotencyKey).toBe('same-key');
    const mismatch = await adminQuery(emu, SET_QUANTITIES('same-key'), {
      input: { ...input, quantities: [{ ...input.quantities[0], quantity: 99 }] },
    });
    expect(mismatch.data.inventorySetQuantities.userErrors[0].code).toBe('IDEMPOTENCY_KEY_PARAMETER_MISMATCH');
  });

  it('requires the @idempotent directive and validates adjustments', async () => {
    const l = await level();
    const res = await adminQuery(
      emu,
      `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`,
      {
        input: {
          name: 'available',
          reason: 'correction',
          quantities: [{ inventoryItemId: l.inventoryItemId, locationId: l.locationId, quantity: 1, changeFromQuantity: null }],
        },
      },
    );
    expect(res.errors?.[0]?.message).toContain('@idempotent');
    const adjust = await adminQuery(
      emu,
      `mutation($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) @idempotent(key: "adj-1") { inventoryAdjustmentGroup { changes { delta quantityAfterChange } } userErrors { field code } } }`,
      {
        input: {
          name: 'available',
          reason: 'correction',
          changes: [{ inventoryItemId: l.inventoryItemId, locationId: l.locationId, delta: -2 }],
        },
      },
    );
    expect(adjust.data.inventoryAdjustQuantities.inventoryAdjustmentGroup.changes[0]).toEqual({
      delta: -2,
      quantityAfterChange: l.quantity - 2,
    });
    const badLocation = await adminQuery(emu, SET_QUANTITIES('k-9'), {
      input: {
        name: 'available',
        reason: 'correction',
        quantities: [{ inventoryItemId: l.inventoryItemId, locationId: 'gid://shopify/Location/1', quantity: 1, changeFromQuantity: null }],
      },
    });
    expect(badLocation.data.inventorySetQuantities.userErrors[0].code).toBe('INVALID_LOCATION');
  });
});
