import { createAdminApiClient } from '@shopify/admin-api-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createShopifyClient, ShopifyRequestError, ThrottleBucket } from '@/lib/shopify';
import { startEmulator } from '@/server/emulator';
import { PRODUCTS_LOAD_PAGE as PAGE, productsLoadQuery, someProducts } from '../helpers/shopify-reads';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
let emulator: Emulator;

/** PAGE requests 182 points, costs about 100: 26 at once are more than the standard plan's 2000-point bucket. */
const LOAD = 26;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, products: 30, seed: 3 });
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(() => {
  emulator.reset();
  emulator.setFaults({ plan: 'standard', errorRate: 0, timeoutRate: 0, latencyMs: 0 });
});

function clientFor(options: { bucket?: ThrottleBucket; requestTimeoutMs?: number; maxRetries?: number } = {}) {
  return createShopifyClient({
    shopDomain: emulator.shopDomain,
    accessToken: emulator.accessToken,
    adminUrl: emulator.adminUrl,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 50,
    ...options,
  });
}

/** The cheapest request there is: the shop's domain (the app has no verb for it; only these tests ask). */
async function shopOf(client: ReturnType<typeof clientFor>) {
  const { data } = await client.request<{ shop: { myshopifyDomain: string } }>('query shopDomain { shop { myshopifyDomain } }');
  return data.shop;
}

function rawClient() {
  return createAdminApiClient({
    storeDomain: emulator.shopDomain,
    apiVersion: '2026-10',
    accessToken: emulator.accessToken,
    customFetchApi: (_url, init) => fetch(emulator.adminUrl, init),
  });
}

describe('throttling on the standard plan (2000 points, 100/s)', () => {
  it('sent raw, concurrent queries come back THROTTLED', async () => {
    const raw = rawClient();
    const answers = await Promise.all(Array.from({ length: LOAD }, () => raw.request(productsLoadQuery, { variables: PAGE })));
    const throttled = answers.filter((a) => a.errors?.graphQLErrors?.some((e) => e.extensions?.code === 'THROTTLED'));
    expect(throttled.length).toBeGreaterThan(0);
  });

  it('through the client, the same load all succeeds and THROTTLED never reaches the caller', async () => {
    const client = clientFor();
    const pages = await Promise.all(
      Array.from({ length: LOAD }, () => client.request<{ products: { edges: unknown[] } }>(productsLoadQuery, PAGE)),
    );
    expect(pages.every((p) => p.data.products.edges.length === 2)).toBe(true);
    const stats = client.bucket.stats();
    expect(stats.requests).toBeGreaterThanOrEqual(LOAD);
    expect(stats.restoreRate).toBe(100);
    expect(stats.pointsUsed).toBeGreaterThan(2000);
    expect(stats.waitedMs).toBeGreaterThan(0);
  });

  it('two clients sharing one bucket wait for each other', async () => {
    const bucket = new ThrottleBucket();
    const a = clientFor({ bucket });
    const b = clientFor({ bucket });
    await Promise.all(Array.from({ length: LOAD }, (_, i) => (i % 2 ? a : b).request(productsLoadQuery, PAGE)));
    expect(bucket.stats().requests).toBeGreaterThanOrEqual(LOAD);
    expect(bucket.stats().waitedMs).toBeGreaterThan(0);
  });
});

describe('faults', () => {
  it('retries 5xx answers with backoff until the request succeeds', async () => {
    emulator.setFaults({ errorRate: 0.5 });
    const client = clientFor({ maxRetries: 20 });
    const pages = await Promise.all(Array.from({ length: 12 }, () => someProducts(client, 3)));
    expect(pages.every((p) => p.length === 3)).toBe(true);
    expect(client.bucket.stats().retryCount).toBeGreaterThan(0);
  });

  it('retries requests that time out', async () => {
    emulator.setFaults({ timeoutRate: 0.5, timeoutMs: 1000 });
    const client = clientFor({ requestTimeoutMs: 300, maxRetries: 20 });
    const shops = await Promise.all(Array.from({ length: 8 }, () => shopOf(client)));
    expect(shops.every((s) => s.myshopifyDomain === emulator.shopDomain)).toBe(true);
    expect(client.bucket.stats().retryCount).toBeGreaterThan(0);
  });

  it('gives up after maxRetries with a retryable ShopifyRequestError', async () => {
    emulator.setFaults({ errorRate: 1 });
    const client = clientFor({ maxRetries: 2 });
    const error = await shopOf(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyRequestError);
    expect((error as ShopifyRequestError).retryable).toBe(true);
    expect((error as ShopifyRequestError).status).toBeGreaterThanOrEqual(500);
    expect(client.bucket.stats().retryCount).toBe(2);
  });
});
