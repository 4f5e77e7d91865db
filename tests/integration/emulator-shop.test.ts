import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../server/emulator/index';
import { adminQuery, control, firstStockedItem, type ReceivedWebhook, receiver, setAvailable, waitFor } from '../helpers/emulator';

const SHOP = 'my-store.myshopify.com';
const SECRET = 'shop-secret';

let emu: Emulator;
let hook: { url: string; received: ReceivedWebhook[]; server: Server };

beforeAll(async () => {
  emu = await startEmulator({ products: 10, seed: 2, shopDomain: SHOP, webhookSecret: SECRET, plan: 'enterprise' });
  hook = await receiver(SECRET);
});
afterAll(async () => {
  await emu?.close();
  hook?.server.close();
});

async function subscribe(topic: string) {
  const res = await adminQuery(
    emu,
    `mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) { userErrors { message } } }`,
    { topic, sub: { uri: hook.url, format: 'JSON' } },
  );
  expect(res.data.webhookSubscriptionCreate.userErrors).toEqual([]);
}

describe('the emulator started for another shop', () => {
  it('sends every webhook as that shop, signed with the secret', async () => {
    await subscribe('PRODUCTS_UPDATE');
    await subscribe('INVENTORY_LEVELS_UPDATE');
    await subscribe('BULK_OPERATIONS_FINISH');
    const stocked = await firstStockedItem(emu);
    await adminQuery(emu, `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }`, {
      p: { id: stocked.productId, title: 'Sent as my-store' },
    });
    expect(await setAvailable(emu, stocked, 7, 'shop-1')).toEqual([]);
    await adminQuery(emu, `mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") { userErrors { message } } }`);
    const received = hook.received;
    await waitFor(() => received.length >= 3 || undefined);
    const topics = received.map((r) => r.headers['x-shopify-topic']).sort();
    expect(topics).toEqual(['bulk_operations/finish', 'inventory_levels/update', 'products/update']);
    for (const r of received) {
      expect(r.headers['x-shopify-shop-domain']).toBe(SHOP);
      expect(r.accepted).toBe(true);
    }
    // The receiver has the requests before the emulator has read their answers: wait for those.
    const settled = await waitFor(() => {
      const all = emu.webhookDeliveries();
      return all.length >= 3 && all.every((d) => d.status !== 'pending') ? all : undefined;
    }).catch(() => emu.webhookDeliveries());
    expect(settled.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('answers shop queries, the state dump and its handle with that shop', async () => {
    const res = await adminQuery(emu, `{ shop { myshopifyDomain url email } }`);
    expect(res.data.shop).toEqual({ myshopifyDomain: SHOP, url: `https://${SHOP}`, email: 'owner@my-store.example' });
    expect((await control(emu, '/state?limit=0')).shop.domain).toBe(SHOP);
    expect(emu.shopDomain).toBe(SHOP);
  });

  it('takes a domain in any case as Shopify spells it, and refuses one that is not a myshopify.com domain', async () => {
    const upper = await startEmulator({ products: 1, shopDomain: 'My-Store.MyShopify.com' });
    try {
      expect(upper.shopDomain).toBe(SHOP);
    } finally {
      await upper.close();
    }
    for (const bad of [
      'my-store',
      'https://my-store.myshopify.com',
      'my-store.example.com',
      'my_store.myshopify.com',
      '-x.myshopify.com',
    ]) {
      await expect(startEmulator({ products: 1, shopDomain: bad })).rejects.toThrow(
        `shopDomain must be a shop's myshopify.com domain such as my-store.myshopify.com, without scheme or path (got "${bad}")`,
      );
    }
  });
});
