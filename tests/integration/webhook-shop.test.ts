import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as webhookRoute from '../../app/api/webhooks/shopify/route';
import type { Store } from '../../drizzle/schema';
import { queryRows } from '../../server/db/rows';
import { type EmulatorOptions, startEmulator } from '../../server/emulator';
import { registerWebhooks } from '../../server/ingest/webhooks/register';
import { upsertEnvStore } from '../../server/stores/stores';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { merchantClient, serveRoute, waitFor } from '../helpers/staging';

/**
 * Issue 12: an app configured for its own shop (SHOPIFY_SHOP) hears an emulator started for that
 * shop: the emulator signs its deliveries as that shop, and the app accepts and stages them.
 * Needs the emulator's shopDomain option (`--shop`).
 */
const SHOP = 'another-shop.myshopify.com';
let t: TestRuntime;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let endpoint: { url: string; close(): Promise<void> };
let store: Store;

beforeAll(async () => {
  const options: EmulatorOptions & { shopDomain: string } = { products: 20, seed: 8, shopDomain: SHOP };
  emulator = await startEmulator(options);
  t = await startTestRuntime({
    env: {
      SHOPIFY_SHOP: SHOP,
      SHOPIFY_ACCESS_TOKEN: emulator.accessToken,
      SHOPIFY_ADMIN_URL: emulator.adminUrl,
      SHOPIFY_WEBHOOK_SECRET: emulator.webhookSecret,
    },
  });
  // As an app process starts: the store of the environment first.
  store = (await upsertEnvStore(t.runtime.db, t.config, t.runtime.storeSecrets))!;
  const { done } = await t.services.pull.start(store.id, 'full', 'test');
  expect(await done).toMatchObject({ adopted: true });
  endpoint = await serveRoute('/api/webhooks/shopify', (req) => webhookRoute.POST(req));
  await registerWebhooks(t.runtime, t.services.shopify, store, endpoint.url);
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await endpoint?.close();
  await emulator?.close();
});

describe('an app configured for its own shop', () => {
  it('accepts the signed deliveries of an emulator started for that shop, and stages what they name', async () => {
    expect(emulator.shopDomain, 'the emulator must take shopDomain (--shop) and sign as that shop').toBe(SHOP);
    const product = [...emulator.state.products.values()][2]!;
    const id = `gid://shopify/Product/${product.id}`;
    await merchantClient(emulator).updateProduct({ id, title: 'Edited in another shop' });
    const change = await waitFor(async () => {
      const [row] = await queryRows<{ kind: string; source: string }>(
        t.runtime.db,
        sql`select kind, source from staged_changes where store_id = ${store.id} and entity_key = ${id} and status = 'pending'`,
      );
      return row;
    }, 10_000);
    expect(change).toEqual({ kind: 'incoming', source: 'webhook' });
    const deliveries = await queryRows<{ shop_domain: string; status: string }>(
      t.runtime.db,
      sql`select shop_domain, status from webhook_deliveries where topic = 'products/update'`,
    );
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.shop_domain === SHOP && d.status === 'processed')).toBe(true);
    expect(t.services.webhooks.refusals.lastHour()).toEqual([]);
  });
});
