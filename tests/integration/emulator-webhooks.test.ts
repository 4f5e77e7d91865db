import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../server/emulator/index';
import { adminQuery, control, firstStockedItem, receiver, setAvailable, waitFor } from '../helpers/emulator';

let emu: Emulator;
const servers: Server[] = [];
beforeAll(async () => {
  emu = await startEmulator({ products: 20, seed: 5, webhookSecret: 'right-secret', timeScale: 0.001, plan: 'enterprise' });
});
afterAll(async () => {
  await emu?.close();
  for (const s of servers) s.close();
});
beforeEach(() => {
  emu.reset();
  emu.setFaults({ duplicateWebhooks: false });
});

async function subscribe(topic: string, uri: string) {
  const res = await adminQuery(
    emu,
    `mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) { webhookSubscription { id topic uri } userErrors { field message } } }`,
    {
      topic,
      sub: { uri, format: 'JSON' },
    },
  );
  expect(res.data.webhookSubscriptionCreate.userErrors).toEqual([]);
  return res.data.webhookSubscriptionCreate.webhookSubscription;
}

async function renameFirstProduct(title: string) {
  const list = await adminQuery(emu, `{ products(first: 1) { nodes { id } } }`);
  const id = list.data.products.nodes[0].id as string;
  const res = await adminQuery(emu, `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }`, {
    p: { id, title },
  });
  expect(res.data.productUpdate.userErrors).toEqual([]);
  return id;
}

describe('emulator webhooks', () => {
  it('delivers products/update with Shopify headers, a REST-shaped body and a valid HMAC', async () => {
    const good = await receiver('right-secret');
    servers.push(good.server);
    await subscribe('PRODUCTS_UPDATE', good.url);
    const id = await renameFirstProduct('Webhook title');
    const hit = await waitFor(() => good.received[0]);
    expect(hit.accepted).toBe(true);
    expect(hit.headers['x-shopify-topic']).toBe('products/update');
    expect(hit.headers['x-shopify-shop-domain']).toBe('emulator-store.myshopify.com');
    expect(hit.headers['x-shopify-api-version']).toBe('2026-10');
    for (const h of ['x-shopify-event-id', 'x-shopify-webhook-id', 'x-shopify-triggered-at']) expect(hit.headers[h]).toBeTruthy();
    expect(hit.headers['x-shopify-hmac-sha256']).toBe(emu.hmacOf(hit.body));
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({ id: Number(id.split('/').pop()), admin_graphql_api_id: id, title: 'Webhook title' });
    expect(typeof body.tags).toBe('string');
    expect(typeof body.variants[0].price).toBe('string');
    const subs = await adminQuery(emu, `{ webhookSubscriptions(first: 10) { nodes { topic uri } } }`);
    expect(subs.data.webhookSubscriptions.nodes).toEqual([{ topic: 'PRODUCTS_UPDATE', uri: good.url }]);
  });

  it('a receiver with the wrong secret rejects the delivery, which the emulator retries and records', async () => {
    const wrong = await receiver('wrong-secret');
    servers.push(wrong.server);
    await subscribe('PRODUCTS_UPDATE', wrong.url);
    await renameFirstProduct('Rejected');
    await waitFor(() => wrong.received.length >= 2 || undefined);
    expect(wrong.received.every((r) => !r.accepted)).toBe(true);
    const deliveries = await waitFor(async () => {
      const list = (await control(emu, '/webhooks')).deliveries;
      return list[0]?.attempts.length >= 2 ? list : undefined;
    });
    expect(deliveries[0].attempts.slice(0, 2).map((a: { status: number }) => a.status)).toEqual([401, 401]);
  });

  it('retries a failed delivery with backoff until it is accepted, keeping the event id', async () => {
    const flaky = await receiver('right-secret', 2);
    servers.push(flaky.server);
    await subscribe('PRODUCTS_UPDATE', flaky.url);
    await renameFirstProduct('Retry me');
    await waitFor(() => flaky.received.find((r) => r.accepted));
    expect(flaky.received).toHaveLength(3);
    expect(new Set(flaky.received.map((r) => r.headers['x-shopify-event-id'])).size).toBe(1);
    // The receiver answers before the emulator reads the answer: wait for the emulator's record.
    const delivery = await waitFor(() => emu.webhookDeliveries().find((d) => d.status === 'delivered'));
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
  });

  it('sends duplicates with the same event id when the knob is on, and fires inventory and delete topics', async () => {
    const good = await receiver('right-secret');
    servers.push(good.server);
    emu.setFaults({ duplicateWebhooks: true });
    await subscribe('PRODUCTS_DELETE', good.url);
    await subscribe('INVENTORY_LEVELS_UPDATE', good.url);
    const stocked = await firstStockedItem(emu);
    expect(await setAvailable(emu, stocked, 42, 'wh-1')).toEqual([]);
    await adminQuery(emu, `mutation($input: ProductDeleteInput!) { productDelete(input: $input) { deletedProductId } }`, {
      input: { id: stocked.productId },
    });
    await waitFor(() => good.received.length >= 4 || undefined);
    const inventory = good.received.filter((r) => r.headers['x-shopify-topic'] === 'inventory_levels/update');
    expect(inventory).toHaveLength(2);
    expect(inventory[0]!.headers['x-shopify-event-id']).toBe(inventory[1]!.headers['x-shopify-event-id']);
    expect(JSON.parse(inventory[0]!.body)).toMatchObject({ available: 42, inventory_item_id: Number(stocked.itemId.split('/').pop()) });
    const deleted = good.received.find((r) => r.headers['x-shopify-topic'] === 'products/delete')!;
    expect(JSON.parse(deleted.body)).toEqual({ id: Number(stocked.productId.split('/').pop()) });
  });

  it('fires products/create for productSet and collections/update for a membership change', async () => {
    const good = await receiver('right-secret');
    servers.push(good.server);
    await subscribe('PRODUCTS_CREATE', good.url);
    await subscribe('COLLECTIONS_UPDATE', good.url);
    const created = await adminQuery(
      emu,
      `mutation { productSet(input: { title: "Hooked", variants: [{ optionValues: [{ optionName: "Title", name: "Default Title" }], price: "5.00" }], productOptions: [{ name: "Title", values: [{ name: "Default Title" }] }] }) { product { id } userErrors { message } } }`,
    );
    const productId = created.data.productSet.product.id as string;
    const collections = await adminQuery(emu, `{ collections(first: 1) { nodes { id } } }`);
    const collectionId = collections.data.collections.nodes[0].id as string;
    await adminQuery(emu, `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }`, {
      p: { id: productId, collectionsToJoin: [collectionId] },
    });
    await waitFor(() => good.received.length >= 2 || undefined);
    const create = good.received.find((r) => r.headers['x-shopify-topic'] === 'products/create')!;
    expect(JSON.parse(create.body)).toMatchObject({ admin_graphql_api_id: productId, title: 'Hooked', variants: [{ price: '5.00' }] });
    const collection = good.received.find((r) => r.headers['x-shopify-topic'] === 'collections/update')!;
    expect(JSON.parse(collection.body)).toMatchObject({ admin_graphql_api_id: collectionId });
  });

  it('store activity makes merchant edits that fire webhooks', async () => {
    const good = await receiver('right-secret');
    servers.push(good.server);
    await subscribe('PRODUCTS_UPDATE', good.url);
    await subscribe('INVENTORY_LEVELS_UPDATE', good.url);
    await control(emu, '/activity', { perMinute: 6000 });
    await waitFor(() => good.received.length >= 3 || undefined);
    await control(emu, '/activity', { perMinute: 0 });
    expect(emu.mutationLog().some((m) => m.actor === 'merchant')).toBe(true);
  });
});
