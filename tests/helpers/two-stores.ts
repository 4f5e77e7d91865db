import { eq } from 'drizzle-orm';
import { type Batch, batches, type Store, stores } from '../../drizzle/schema';
import { createShopifyClient, type ShopifyClient } from '../../lib/shopify';
import { runPull } from '../../server/ingest/pull/pull';
import { startPush } from '../../server/push/subsystem';
import { type Emulator, startEmulator } from './emulator';
import { shopifyReader } from './push-env';
import { createStore } from './push-fixtures';
import { startTestRuntime, type TestRuntime } from './runtime';

export interface StoreUnderTest {
  emulator: Emulator;
  store: Store;
  shopify: ShopifyClient;
  pull(): Promise<void>;
}

export interface TwoStoresEnv {
  t: TestRuntime;
  a: StoreUnderTest;
  b: StoreUnderTest;
  waitForBatch(batchId: string): Promise<Batch>;
  stop(): Promise<void>;
}

/**
 * Two emulators standing for two stores of one master: the same catalog (one seed) under other
 * ids, store B with `extra` more products that only it sells; both registered, the push running
 * and a first full pull of each (their masters adopt their catalogs).
 */
export async function startTwoStores(options: { products: number; extra?: number; seed?: number }): Promise<TwoStoresEnv> {
  const seed = options.seed ?? 3;
  const emuA = await startEmulator({ products: options.products, seed, plan: 'plus', shopDomain: 'store-a.myshopify.com' });
  const emuB = await startEmulator({
    products: options.products + (options.extra ?? 0),
    seed,
    idOffset: 5_000_000,
    plan: 'plus',
    shopDomain: 'store-b.myshopify.com',
  });
  const t = await startTestRuntime({ queue: true, services: { shopify: { push: { requestTimeoutMs: 3000 } } } });
  const under = async (emulator: Emulator): Promise<StoreUnderTest> => {
    const store = await createStore(t.runtime.db, {
      shopDomain: emulator.shopDomain,
      adminUrl: emulator.adminUrl,
      accessToken: emulator.accessToken,
    });
    const shopify = createShopifyClient({
      shopDomain: emulator.shopDomain,
      accessToken: emulator.accessToken,
      adminUrl: emulator.adminUrl,
    });
    const pull = async () => {
      const [fresh] = await t.runtime.db.select().from(stores).where(eq(stores.id, store.id));
      await runPull(
        { db: t.runtime.db, logger: t.runtime.logger, runtime: t.runtime, reader: shopifyReader(shopify) },
        fresh!,
        'full',
        null,
      );
    };
    await pull();
    return { emulator, store, shopify, pull };
  };
  const a = await under(emuA);
  const b = await under(emuB);
  await startPush(t.runtime, t.services.push, t.services.notifier);
  return {
    t,
    a,
    b,
    async waitForBatch(batchId) {
      const until = Date.now() + 60_000;
      for (;;) {
        const [batch] = await t.runtime.db.select().from(batches).where(eq(batches.id, batchId));
        if (batch && ['completed', 'failed', 'cancelled'].includes(batch.status)) return batch;
        if (Date.now() > until) throw new Error(`batch ${batchId} still ${batch?.status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      await t.stop();
      await emuA.close();
      await emuB.close();
    },
  };
}
