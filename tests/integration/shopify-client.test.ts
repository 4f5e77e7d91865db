import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createShopifyClient, remoteEntitiesOf, type ShopifyClient, ShopifyGraphQLError, ShopifyUserError } from '@/lib/shopify';
import { normalizeDocument } from '@/lib/sync/fields';
import { startEmulator } from '@/server/emulator';
import { productIdPages, someProducts } from '../helpers/shopify-reads';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emulator: Emulator;
let client: ShopifyClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, products: 40, seed: 7 });
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(() => {
  emulator.reset();
  client = createShopifyClient({
    shopDomain: emulator.shopDomain,
    accessToken: emulator.accessToken,
    adminUrl: emulator.adminUrl,
    retryBaseDelayMs: 5,
  });
});

/** One product re-read by id (null when it no longer exists). */
const readProduct = async (id: string, sizes?: { variantsFirst?: number }) => (await client.getProductsByIds([id], sizes))[0] ?? null;

/** A custom collection made as a merchant would (the app itself never creates collections). */
async function merchantCollection(title: string): Promise<string> {
  const { data } = await client.request<{ collectionCreate: { collection: { id: string } } }>(
    /* GraphQL */ `
      mutation merchantCollection($input: CollectionInput!) {
        collectionCreate(input: $input) {
          collection {
            id
          }
        }
      }
    `,
    { input: { title } },
  );
  return data.collectionCreate.collection.id;
}

describe('Shopify client against the emulator over HTTP', () => {
  it('reads the locations', async () => {
    const locations = await client.getLocations();
    expect(locations.length).toBeGreaterThan(1);
    expect(locations[0]!.id).toMatch(/^gid:\/\/shopify\/Location\//);
  });

  it('pages through every product once, reshaped into the synced documents', async () => {
    const seen: string[] = [];
    for await (const ids of productIdPages(client, { first: 15 })) {
      for (const product of await client.getProductsByIds(ids)) {
        seen.push(product.id);
        const rows = remoteEntitiesOf(product);
        expect(rows[0]!.remote).toEqual(normalizeDocument('product', product));
        expect(product.variants.length).toBeGreaterThan(0);
        for (const variant of product.variants) {
          expect(variant.productId).toBe(product.id);
          expect(variant.inventoryItemId).toMatch(/^gid:\/\/shopify\/InventoryItem\//);
          expect(Object.keys(rows.find((r) => r.key === variant.id)!.remote).sort()).toEqual([
            'barcode',
            'compareAtPrice',
            'cost',
            'inventoryPolicy',
            'price',
            'sku',
            'taxable',
            'tracked',
            'weight',
            'weightUnit',
          ]);
          for (const level of variant.inventoryLevels) {
            expect(level.key).toBe(`${variant.inventoryItemId}|${level.locationId}`);
            expect(typeof level.available).toBe('number');
          }
        }
      }
    }
    expect(seen.length).toBe(40);
    expect(new Set(seen).size).toBe(40);
  });

  it('re-reads products by id in the order asked and leaves out ids that no longer exist', async () => {
    const five = await someProducts(client, 5);
    const ids = five.map((p) => p.id).reverse();
    const products = await client.getProductsByIds([...ids, 'gid://shopify/Product/999999999']);
    expect(products.map((p) => p.id)).toEqual(ids);
    expect(products[0]).toEqual(five.at(-1));
  });

  it('pages in the variants beyond the first page, so every variant is read', async () => {
    const { value: ids = [] } = await productIdPages(client).next();
    const many = (await client.getProductsByIds(ids, { variantsFirst: 1 })).find((p) => p.variants.length > 1);
    expect(many).toBeDefined();
    const full = await readProduct(many!.id, { variantsFirst: 50 });
    expect(many!.variants).toEqual(full!.variants);
    expect(many!.variants.map((v) => v.position)).toEqual([...many!.variants.map((v) => v.position)].sort((a, b) => a - b));
  });

  it('updates product fields and collection membership, then reads them back', async () => {
    const [product] = await someProducts(client, 1);
    const collection = { id: await merchantCollection('Client test collection') };
    await client.updateProduct(
      { id: product!.id, title: 'Renamed by the client', tags: ['b', 'a'] },
      { collectionsToJoin: [collection.id] },
    );
    const after = await readProduct(product!.id);
    expect(after?.title).toBe('Renamed by the client');
    expect([...after!.tags].sort()).toEqual(['a', 'b']);
    expect(after?.collectionIds).toContain(collection.id);
    const members = await client.getCollectionProducts(collection.id);
    expect(members.items).toEqual([product!.id]);
    await client.updateProduct({ id: product!.id }, { collectionsToLeave: [collection.id] });
    expect((await readProduct(product!.id))?.collectionIds).not.toContain(collection.id);
  });

  it('updates variant price, sku and cost through productVariantsBulkUpdate', async () => {
    const [product] = await someProducts(client, 1);
    const variant = product!.variants[0]!;
    await client.updateVariants(product!.id, [{ id: variant.id, price: '12.34', sku: 'CLIENT-SKU-1', cost: '3.5', tracked: true }]);
    const after = (await readProduct(product!.id))!.variants.find((v) => v.id === variant.id)!;
    expect(normalizeDocument('variant', after)).toMatchObject({
      price: '12.34',
      sku: 'CLIENT-SKU-1',
      cost: '3.50',
      tracked: true,
    });
  });

  it('surfaces userErrors as ShopifyUserError with field path and message', async () => {
    const [product] = await someProducts(client, 1);
    const error = await client.updateVariants(product!.id, [{ id: product!.variants[0]!.id, price: '-1.00' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyUserError);
    const userError = error as ShopifyUserError;
    expect(userError.userErrors.length).toBeGreaterThan(0);
    expect(userError.userErrors[0]!.field?.join('.')).toMatch(/price/);
    expect(userError.message).toMatch(/productVariantsBulkUpdate/);
  });

  it('sets inventory with compare-and-set: a stale quantity is refused, a repeated key is applied once', async () => {
    const [product] = await someProducts(client, 1);
    const level = product!.variants[0]!.inventoryLevels[0]!;
    const stale = await client
      .setInventoryQuantities({
        reason: 'correction',
        idempotencyKey: 'client-test-stale',
        quantities: [
          { inventoryItemId: level.inventoryItemId, locationId: level.locationId, quantity: 5, changeFromQuantity: level.available! + 1 },
        ],
      })
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ShopifyUserError);
    expect((stale as ShopifyUserError).code).toBe('CHANGE_FROM_QUANTITY_STALE');

    const input = {
      reason: 'correction',
      idempotencyKey: 'client-test-once',
      quantities: [
        {
          inventoryItemId: level.inventoryItemId,
          locationId: level.locationId,
          quantity: level.available! + 3,
          changeFromQuantity: level.available,
        },
      ],
    };
    await client.setInventoryQuantities(input);
    await client.setInventoryQuantities(input);
    const after = await readProduct(product!.id);
    const levelAfter = after!.variants[0]!.inventoryLevels.find((l) => l.key === level.key);
    expect(levelAfter?.available).toBe(level.available! + 3);
    const log = emulator.mutationLog();
    expect(log.filter((entry) => entry.idempotencyKey === 'client-test-once')).toHaveLength(1);
  });

  it('creates a product with variants and options, then deletes it', async () => {
    const [location] = await client.getLocations();
    const created = await client.createProduct({
      title: 'Client created tee',
      handle: 'client-created-tee',
      status: 'DRAFT',
      vendor: 'Acme',
      tags: ['new'],
      variants: [
        { options: { Size: 'S' }, price: '10.00', sku: 'CCT-S', inventoryQuantities: [{ locationId: location!.id, quantity: 4 }] },
        { options: { Size: 'M' }, price: '11.00', sku: 'CCT-M' },
      ],
    });
    expect(created.variants.map((v) => v.sku).sort()).toEqual(['CCT-M', 'CCT-S']);
    const product = await readProduct(created.id);
    expect(product?.handle).toBe('client-created-tee');
    expect(product?.variants.map((v) => v.price)).toEqual(['10.00', '11.00']);
    expect(await client.deleteProduct(created.id)).toBe(created.id);
    expect(await readProduct(created.id)).toBeNull();
  });

  it('refuses a duplicate handle on create with a ShopifyUserError', async () => {
    const [product] = await someProducts(client, 1);
    await expect(client.createProduct({ title: 'Dup', handle: product!.handle })).rejects.toBeInstanceOf(ShopifyUserError);
  });

  it('registers and lists webhook subscriptions', async () => {
    const created = await client.createWebhookSubscription({ topic: 'products/update', uri: 'http://127.0.0.1:9/hooks' });
    expect(created.topic).toBe('PRODUCTS_UPDATE');
    expect((await client.listWebhookSubscriptions()).map((s) => s.id)).toContain(created.id);
  });

  it('reports a document the schema rejects as ShopifyGraphQLError naming the field', async () => {
    const error = await client.request('query { shop { nmae } }').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyGraphQLError);
    expect((error as Error).message).toMatch(/nmae/);
  });
});
