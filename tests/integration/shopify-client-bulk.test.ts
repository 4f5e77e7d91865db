import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopifyClient, remoteEntitiesOf, type ShopifyClient, type ShopifyProduct } from '@/lib/shopify';
import { startEmulator } from '@/server/emulator';
import { someProducts } from '../helpers/shopify-reads';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emulator: Emulator;
let client: ShopifyClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, products: 30, seed: 11 });
  client = createShopifyClient({
    shopDomain: emulator.shopDomain,
    accessToken: emulator.accessToken,
    adminUrl: emulator.adminUrl,
    retryBaseDelayMs: 5,
  });
});

afterAll(async () => {
  await emulator?.close();
});

describe('bulk operations through the client', () => {
  it('streams the catalog: every product with its variants, inventory levels and collections, equal to the re-read by id', async () => {
    const streamed: ShopifyProduct[] = [];
    for await (const product of client.streamBulkCatalog({ pollIntervalMs: 50 })) streamed.push(product);
    expect(streamed).toHaveLength(30);
    expect(streamed.every((p) => p.variants.length > 0)).toBe(true);
    expect(streamed.some((p) => p.variants.some((v) => v.inventoryLevels.length > 1))).toBe(true);

    const reread = await client.getProductsByIds(streamed.map((p) => p.id));
    expect(reread).toHaveLength(30);
    const byId = new Map(reread.map((p) => [p.id, p]));
    for (const product of streamed) {
      expect(remoteEntitiesOf(product)).toEqual(remoteEntitiesOf(byId.get(product.id)!));
    }
  });

  it('streams collections', async () => {
    const collections = [];
    for await (const batch of client.streamBulkCollectionsBatches({ pollIntervalMs: 50 })) collections.push(...batch);
    expect(collections.length).toBeGreaterThan(0);
    expect(collections[0]!.id).toMatch(/^gid:\/\/shopify\/Collection\//);
  });

  it('updates variants of many products in one bulk mutation and maps each result to its input line', async () => {
    const products = await someProducts(client, 3);
    const variant = (i: number) => products[i]!.variants[0]!.id;
    const lines = [
      { productId: products[0]!.id, variants: [{ id: variant(0), price: '21.00' }] },
      { productId: products[1]!.id, variants: [{ id: variant(1), price: '-1.00' }] },
      { productId: products[2]!.id, variants: [{ id: variant(2), price: '23.00' }] },
    ];
    const results = await client.bulkUpdateVariants(lines, { pollIntervalMs: 50, clientIdentifier: 'client-test' });
    expect(results).toHaveLength(3);
    expect(results[0]).toEqual([]);
    expect(results[1]?.length).toBeGreaterThan(0);
    expect(results[2]).toEqual([]);
    const after = await client.getVariantsByIds([variant(0), variant(1), variant(2)]);
    expect(after.map((v) => v.price)).toEqual(['21.00', products[1]!.variants[0]!.price, '23.00']);
  });
});
