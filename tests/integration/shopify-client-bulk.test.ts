import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopifyClient, remoteEntitiesOf, type ShopifyClient, type ShopifyProduct } from '@/lib/shopify';
import { productUpdateMutation } from '@/lib/shopify/documents';
import { startEmulator } from '@/server/emulator';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emulator: Emulator;
let client: ShopifyClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, products: 60, seed: 11 });
  client = createShopifyClient({ shopDomain: emulator.shopDomain, accessToken: emulator.accessToken, adminUrl: emulator.adminUrl, retryBaseDelayMs: 5 });
});

afterAll(async () => {
  await emulator?.close();
});

describe('bulk operations through the client', () => {
  it('streams the catalog: every product with its variants, inventory levels and collections, equal to the paged read', async () => {
    const streamed: ShopifyProduct[] = [];
    for await (const product of client.streamBulkCatalog({ pollIntervalMs: 50 })) streamed.push(product);
    expect(streamed).toHaveLength(60);
    expect(streamed.every((p) => p.variants.length > 0)).toBe(true);
    expect(streamed.some((p) => p.variants.some((v) => v.inventoryLevels.length > 1))).toBe(true);

    const paged: ShopifyProduct[] = [];
    for await (const page of client.iterateProducts({ sortKey: 'ID' })) paged.push(...page);
    const byId = new Map(paged.map((p) => [p.id, p]));
    for (const product of streamed) {
      expect(remoteEntitiesOf(product)).toEqual(remoteEntitiesOf(byId.get(product.id)!));
    }
  });

  it('streams collections', async () => {
    const collections = [];
    for await (const c of client.streamBulkCollections({ pollIntervalMs: 50 })) collections.push(c);
    expect(collections.length).toBeGreaterThan(0);
    expect(collections[0]!.id).toMatch(/^gid:\/\/shopify\/Collection\//);
  });

  it('runs a bulk mutation and maps each result to its input line', async () => {
    const products = (await client.getProductsPage({ first: 3, sortKey: 'ID' })).items;
    const lines = [
      { product: { id: products[0]!.id, title: 'Bulk title 0' } },
      { product: { id: products[1]!.id, handle: products[2]!.handle } },
      { product: { id: products[2]!.id, title: 'Bulk title 2' } },
    ];
    const { operation, results } = await client.runBulkMutation(productUpdateMutation, lines, { pollIntervalMs: 50, clientIdentifier: 'client-test' });
    expect(operation.status).toBe('COMPLETED');
    expect(results).toHaveLength(3);
    expect(results[0]?.userErrors).toEqual([]);
    expect(results[1]?.userErrors.length).toBeGreaterThan(0);
    expect(results[2]?.userErrors).toEqual([]);
    expect((await client.getProduct(products[0]!.id))?.title).toBe('Bulk title 0');
    expect((await client.getProduct(products[2]!.id))?.title).toBe('Bulk title 2');
  });
});
