import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../../server/emulator/index';

/** The local Shopify for tests and benchmarks (server/emulator), re-exported where helpers look for it. */
export { type Emulator, startEmulator } from '../../server/emulator/index';

export interface GraphQLAnswer<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }>;
  extensions?: {
    cost: {
      requestedQueryCost: number;
      actualQueryCost: number | null;
      throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
    };
  };
}

/** Sends one GraphQL request to the emulator over HTTP, as the real endpoint is called. */
export async function adminQuery<T = any>(
  emulator: Emulator,
  query: string,
  variables?: Record<string, unknown>,
  token = emulator.accessToken,
): Promise<GraphQLAnswer<T>> {
  const res = await fetch(emulator.adminUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: res.status, ...(body as object) } as GraphQLAnswer<T>;
}

/** The first product with its first variant's inventory item and the location of that item's first level. */
export async function firstStockedItem(emulator: Emulator): Promise<{ productId: string; itemId: string; locationId: string }> {
  const res = await adminQuery(
    emulator,
    `{ products(first: 1) { nodes { id variants(first: 1) { nodes { inventoryItem { id inventoryLevels(first: 1) { nodes { location { id } } } } } } } } }`,
  );
  const product = res.data.products.nodes[0];
  const item = product.variants.nodes[0].inventoryItem;
  return { productId: product.id, itemId: item.id, locationId: item.inventoryLevels.nodes[0].location.id };
}

/** Sets an item's available quantity at a location with inventorySetQuantities, without the compare check. */
export async function setAvailable(emulator: Emulator, at: { itemId: string; locationId: string }, quantity: number, key: string) {
  const res = await adminQuery(
    emulator,
    `mutation($input: InventorySetQuantitiesInput!, $key: String!) { inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { code } } }`,
    {
      key,
      input: {
        name: 'available',
        reason: 'correction',
        quantities: [{ inventoryItemId: at.itemId, locationId: at.locationId, quantity, changeFromQuantity: null }],
      },
    },
  );
  return res.data.inventorySetQuantities.userErrors as Array<{ code: string }>;
}

export async function control(emulator: Emulator, path: string, body?: unknown): Promise<any> {
  const res = await fetch(
    `${emulator.url}/__emulator${path}`,
    body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  return res.json();
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  accepted: boolean;
}

/**
 * A webhook receiver that verifies the HMAC of the raw body with its own secret, as the app does:
 * 401 when it does not verify, 500 for the first `failFirst` that do, 200 after.
 */
export async function receiver(secret: string, failFirst = 0): Promise<{ url: string; received: ReceivedWebhook[]; server: Server }> {
  const received: ReceivedWebhook[] = [];
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
