import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pullRoute from '../../app/api/sync/shopify/pull/route';
import * as stagedRoute from '../../app/api/sync/staged/route';
import * as webhookRoute from '../../app/api/webhooks/shopify/route';
import type { Store } from '../../drizzle/schema';
import type { ShopifyClient } from '../../lib/shopify';
import { queryRows } from '../../server/db/rows';
import { startEmulator } from '../../server/emulator';
import { registerWebhooks } from '../../server/ingest/webhooks/register';
import { callRoute, demoToken } from '../helpers/api';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { insertEmulatorStore, merchantClient, serveRoute, waitFor } from '../helpers/staging';

/** Webhooks from the emulator reach the app over HTTP, are re-read and staged; redeliveries stage once. */
let t: TestRuntime;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let endpoint: { url: string; close(): Promise<void> };
let store: Store;
let merch: string;
let merchant: ShopifyClient;

async function productKeys(limit: number): Promise<string[]> {
  const rows = await queryRows<{ key: string }>(
    t.runtime.db,
    sql`select key from catalog_entities where store_id = ${store.id} and entity = 'product' order by key limit ${limit}`,
  );
  return rows.map((r) => r.key);
}

beforeAll(async () => {
  emulator = await startEmulator({ products: 50, seed: 3 });
  t = await startTestRuntime();
  store = await insertEmulatorStore(t.runtime.db, emulator);
  merch = await demoToken('merchandiser');
  merchant = merchantClient(emulator);
  endpoint = await serveRoute('/api/webhooks/shopify', (req) => webhookRoute.POST(req));
  const res = await callRoute(pullRoute.POST, { token: await demoToken('admin'), body: { mode: 'full' } });
  expect(res.status).toBe(202);
  await t.services.pull.idle();
  const registered = await registerWebhooks(t.runtime, t.services.shopify, store, endpoint.url);
  expect(registered.created).toContain('products/update');
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await endpoint?.close();
  await emulator?.close();
});

describe('webhooks from the emulator', () => {
  it('stages a merchant edit delivered by webhook (re-read from the API)', async () => {
    const [key] = await productKeys(1);
    const started = Date.now();
    await merchant.updateProduct({ id: key!, title: 'Edited in the admin' });
    const change = await waitFor(async () => {
      const list = await callRoute(stagedRoute.GET, { path: `/api/sync/staged?productId=${encodeURIComponent(key!)}`, token: merch });
      return list.body.items[0];
    }, 10_000);
    console.log(`webhook edit staged ${Date.now() - started} ms after the merchant's edit`);
    expect(change).toMatchObject({ kind: 'incoming', source: 'webhook', fields: [{ name: 'title', remote: 'Edited in the admin' }] });
  });

  it('stages a delivery sent twice once', async () => {
    await t.services.webhooks.worker.idle();
    const deliveries = await queryRows<{ event_id: string; payload: unknown; topic: string }>(
      t.runtime.db,
      sql`select event_id, payload, topic from webhook_deliveries where topic = 'products/update' order by received_at desc limit 1`,
    );
    const before = await queryRows<{ n: number }>(t.runtime.db, sql`select count(*)::int as n from staged_changes`);
    const body = JSON.stringify(deliveries[0]!.payload);
    const res = await fetch(`${endpoint.url}/api/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'products/update',
        'x-shopify-shop-domain': store.shopDomain,
        'x-shopify-event-id': deliveries[0]!.event_id,
        'x-shopify-hmac-sha256': createHmac('sha256', emulator.webhookSecret).update(body).digest('base64'),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ duplicate: true });
    await t.services.webhooks.worker.idle();
    const after = await queryRows<{ n: number }>(t.runtime.db, sql`select count(*)::int as n from staged_changes`);
    expect(after[0]!.n).toBe(before[0]!.n);
    const [row] = await queryRows<{ duplicates: number }>(
      t.runtime.db,
      sql`select duplicates from webhook_deliveries where event_id = ${deliveries[0]!.event_id}`,
    );
    expect(row!.duplicates).toBeGreaterThanOrEqual(1);
  });

  it('stages a delete and an inventory change delivered by webhook', async () => {
    const [, second, third] = await productKeys(3);
    await merchant.deleteProduct(second!);
    const deleted = await waitFor(async () => {
      const list = await callRoute(stagedRoute.GET, { path: `/api/sync/staged?productId=${encodeURIComponent(second!)}`, token: merch });
      return list.body.items.find((c: { op: string }) => c.op === 'delete');
    });
    expect(deleted).toMatchObject({ kind: 'incoming', entity: 'product' });
    const [level] = await queryRows<{ key: string; available: number }>(
      t.runtime.db,
      sql`select key, (remote->>'available')::int as available from catalog_entities where store_id = ${store.id} and product_key = ${third} and entity = 'inventory_level' limit 1`,
    );
    const [item, location] = level!.key.split('|');
    await merchant.setInventoryQuantities({
      quantities: [{ inventoryItemId: item!, locationId: location!, quantity: level!.available + 5, changeFromQuantity: null }],
      reason: 'correction',
      idempotencyKey: `test-${Date.now()}`,
    });
    const inventory = await waitFor(async () => {
      const list = await callRoute(stagedRoute.GET, {
        path: `/api/sync/staged?entity=inventory_level&productId=${encodeURIComponent(third!)}`,
        token: merch,
      });
      return list.body.items[0];
    });
    expect(inventory).toMatchObject({ kind: 'incoming', fields: [{ name: 'available', remote: level!.available + 5 }] });
  });
});
