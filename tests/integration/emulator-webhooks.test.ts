import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../server/emulator/index';
import { adminQuery, control, waitFor } from '../helpers/emulator';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  accepted: boolean;
}

/** A webhook receiver that verifies the HMAC with its own secret, as the app does. */
async function receiver(secret: string, failFirst = 0): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  let failures = failFirst;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = createHmac('sha256', secret).update(raw).digest();
      const given = Buffer.from(String(req.headers['x-shopify-hmac-sha256'] ?? ''), 'base64');
      const valid = given.length === expected.length && timingSafeEqual(given, expected);
      const accepted = valid && failures-- <= 0;
      received.push({ headers: req.headers, body: raw.toString('utf8'), accepted });
      res.writeHead(accepted ? 200 : valid ? 500 : 401).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`, received, server };
}

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
  const res = await adminQuery(emu, `mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) { webhookSubscription { id topic uri } userErrors { field message } } }`, {
    topic,
    sub: { uri, format: 'JSON' },
  });
  expect(res.data.webhookSubscriptionCreate.userErrors).toEqual([]);
  return res.data.webhookSubscriptionCreate.webhookSubscription;
}

async function renameFirstProduct(title: string) {
  const list = await adminQuery(emu, `{ products(first: 1) { nodes { id } } }`);
  const id = list.data.products.nodes[0].id as string;
  const res = await adminQuery(emu, `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }`, { p: { id, title } });
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
    const deliveries = (await control(emu, '/webhooks')).deliveries;
    expect(deliveries[0].attempts[0].status).toBe(401);
  });

  it('retries a failed delivery with backoff until it is accepted, keeping the event id', async () => {
    const flaky = await receiver('right-secret', 2);
    servers.push(flaky.server);
    await subscribe('PRODUCTS_UPDATE', flaky.url);
    await renameFirstProduct('Retry me');
    await waitFor(() => flaky.received.find((r) => r.accepted));
    expect(flaky.received).toHaveLength(3);
    expect(new Set(flaky.received.map((r) => r.headers['x-shopify-event-id'])).size).toBe(1);
    expect(emu.webhookDeliveries()[0]).toMatchObject({ status: 'delivered' });
  });

  it('sends duplicates with the same event id when the knob is on, and fires inventory and delete topics', async () => {
    const good = await receiver('right-secret');
    servers.push(good.server);
    emu.setFaults({ duplicateWebhooks: true });
    await subscribe('PRODUCTS_DELETE', good.url);
    await subscribe('INVENTORY_LEVELS_UPDATE', good.url);
    const list = await adminQuery(emu, `{ products(first: 1) { nodes { id variants(first: 1) { nodes { inventoryItem { id inventoryLevels(first: 1) { nodes { location { id } } } } } } } } }`);
    const product = list.data.products.nodes[0];
    const item = product.variants.nodes[0].inventoryItem;
    await adminQuery(emu, `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) @idempotent(key: "wh-1") { userErrors { code } } }`, {
      input: { name: 'available', reason: 'correction', quantities: [{ inventoryItemId: item.id, locationId: item.inventoryLevels.nodes[0].location.id, quantity: 42, changeFromQuantity: null }] },
    });
    await adminQuery(emu, `mutation($input: ProductDeleteInput!) { productDelete(input: $input) { deletedProductId } }`, { input: { id: product.id } });
    await waitFor(() => good.received.length >= 4 || undefined);
    const inventory = good.received.filter((r) => r.headers['x-shopify-topic'] === 'inventory_levels/update');
    expect(inventory).toHaveLength(2);
    expect(inventory[0]!.headers['x-shopify-event-id']).toBe(inventory[1]!.headers['x-shopify-event-id']);
    expect(JSON.parse(inventory[0]!.body)).toMatchObject({ available: 42, inventory_item_id: Number(item.id.split('/').pop()) });
    const deleted = good.received.find((r) => r.headers['x-shopify-topic'] === 'products/delete')!;
    expect(JSON.parse(deleted.body)).toEqual({ id: Number(product.id.split('/').pop()) });
  });

  it('fires products/create for productSet and collections/update for a membership change', async () => {
    const good = await receiver('right-secret');
    servers.push(good.server);
    await subscribe('PRODUCTS_CREATE', good.url);
    await subscribe('COLLECTIONS_UPDATE', good.url);
    const created = await adminQuery(emu, `mutation { productSet(input: { title: "Hooked", variants: [{ optionValues: [{ optionName: "Title", name: "Default Title" }], price: "5.00" }], productOptions: [{ name: "Title", values: [{ name: "Default Title" }] }] }) { product { id } userErrors { message } } }`);
    const productId = created.data.productSet.product.id as string;
    const collections = await adminQuery(emu, `{ collections(first: 1) { nodes { id } } }`);
    const collectionId = collections.data.collections.nodes[0].id as string;
    await adminQuery(emu, `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }`, { p: { id: productId, collectionsToJoin: [collectionId] } });
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
