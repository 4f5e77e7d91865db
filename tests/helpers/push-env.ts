import { eq } from 'drizzle-orm';
import { type Batch, batches, type Store, stores } from '../../drizzle/schema';
import { createShopifyClient, type ShopifyClient } from '../../lib/shopify';
import { remoteEntitiesOf } from '../../lib/shopify/types';
import type { RemoteRecord } from '../../server/catalog/remote';
import { type PullOutcome, runPull } from '../../server/ingest/pull/pull';
import { type CatalogReader, recordOf } from '../../server/ingest/pull/reader';
import type { PushService } from '../../server/push/service';
import { startPush } from '../../server/push/subsystem';
import { type Emulator, startEmulator } from './emulator';
import { createStore } from './push-fixtures';
import { startTestRuntime, type TestRuntime } from './runtime';
import { productIdPages } from './shopify-reads';

export interface PushEnv {
  t: TestRuntime;
  emulator: Emulator;
  store: Store;
  push: PushService;
  shopify: ShopifyClient;
  pull(): Promise<PullOutcome>;
  waitForBatch(batchId: string, timeoutMs?: number): Promise<Batch>;
  stop(): Promise<void>;
}

type ShopifyProduct = Awaited<ReturnType<ShopifyClient['getProductsByIds']>>[number];

/** Every product of the emulator, read with a bulk query (no cost limit), keyed by id. */
export async function catalogSnapshot(shopify: ShopifyClient): Promise<Map<string, ShopifyProduct>> {
  const out = new Map<string, ShopifyProduct>();
  for await (const p of shopify.streamBulkCatalog({ pollIntervalMs: 50 })) out.set(p.id, p);
  return out;
}

function toRecords(products: ShopifyProduct[]): RemoteRecord[] {
  return products.flatMap((p) => remoteEntitiesOf(p).map(recordOf));
}

/** Reads the emulator through the project's Shopify client, for runPull. */
export function shopifyReader(shopify: ShopifyClient): CatalogReader {
  return {
    async *fullCatalog() {
      let page: ShopifyProduct[] = [];
      for await (const product of shopify.streamBulkCatalog({ pollIntervalMs: 50 })) {
        page.push(product);
        if (page.length === 100) {
          yield toRecords(page);
          page = [];
        }
      }
      if (page.length) yield toRecords(page);
    },
    async *productsUpdatedSince(since) {
      const query = `updated_at:>'${since.toISOString()}'`;
      for await (const ids of productIdPages(shopify, { query })) yield toRecords(await shopify.getProductsByIds(ids));
    },
    async *stockUpdatedSince() {},
    async locations() {
      return (await shopify.getLocations()).map((l) => ({ id: l.id, name: l.name, active: l.isActive }));
    },
    async products(ids) {
      return toRecords(await shopify.getProductsByIds(ids));
    },
    async collection() {
      return null;
    },
    async metafieldDefinitions() {
      return [...(await shopify.getMetafieldDefinitions('PRODUCT')), ...(await shopify.getMetafieldDefinitions('PRODUCTVARIANT'))];
    },
  };
}

/**
 * The emulator, a runtime with its queue, a store pointing at the emulator, the push subsystem,
 * and a first full pull (the master adopts the emulator's catalog).
 */
export async function startPushEnv(options: {
  products: number;
  seed?: number;
  plan?: 'standard' | 'advanced' | 'plus' | 'enterprise';
  shopify?: { requestTimeoutMs?: number; maxRetries?: number };
  backoffBaseMs?: number;
  backoffCapMs?: number;
  maxAttempts?: number;
  outageWaitMs?: number;
}): Promise<PushEnv> {
  const emulator = await startEmulator({ products: options.products, seed: options.seed ?? 1, plan: options.plan ?? 'plus' });
  const t = await startTestRuntime({
    queue: true,
    services: {
      shopify: { push: options.shopify ?? { requestTimeoutMs: 3000 } },
      push: {
        backoffBaseMs: options.backoffBaseMs ?? 50,
        backoffCapMs: options.backoffCapMs ?? 1000,
        maxAttempts: options.maxAttempts,
        outageWaitMs: options.outageWaitMs,
      },
    },
  });
  const store = await createStore(t.runtime.db, {
    shopDomain: emulator.shopDomain,
    adminUrl: emulator.adminUrl,
    accessToken: emulator.accessToken,
  });
  const { push, notifier } = t.services;
  await startPush(t.runtime, push, notifier);
  const shopify = createShopifyClient({ shopDomain: emulator.shopDomain, accessToken: emulator.accessToken, adminUrl: emulator.adminUrl });
  const env: PushEnv = {
    t,
    emulator,
    store,
    push,
    shopify,
    async pull() {
      const [fresh] = await t.runtime.db.select().from(stores).where(eq(stores.id, store.id));
      return runPull(
        { db: t.runtime.db, logger: t.runtime.logger, runtime: t.runtime, reader: shopifyReader(shopify) },
        fresh!,
        'full',
        null,
      );
    },
    async waitForBatch(batchId, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const [b] = await t.runtime.db.select().from(batches).where(eq(batches.id, batchId));
        if (b && ['completed', 'failed', 'cancelled'].includes(b.status)) return b;
        if (Date.now() > until) throw new Error(`batch ${batchId} still ${b?.status} after ${timeoutMs} ms: ${JSON.stringify(b?.counts)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      await t.stop();
      await emulator.close();
    },
  };
  await env.pull();
  return env;
}
