import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { type Store, stores } from '../../drizzle/schema';
import { createShopifyClient, type ShopifyClient } from '../../lib/shopify';
import type { RemoteRecord } from '../../server/catalog/remote';
import type { Db } from '../../server/db/client';
import { queryRows } from '../../server/db/rows';

/** A store row for an emulator (its domain, tokens, secret and endpoint). */
export async function insertEmulatorStore(
  db: Db,
  emulator: { shopDomain: string; accessToken: string; adminUrl: string; webhookSecret: string },
  settings: Store['settings'] = {},
): Promise<Store> {
  const [store] = await db
    .insert(stores)
    .values({
      shopDomain: emulator.shopDomain,
      name: emulator.shopDomain.replace(/\.myshopify\.com$/, ''),
      accessToken: emulator.accessToken,
      adminUrl: emulator.adminUrl,
      webhookSecret: emulator.webhookSecret,
      source: 'demo',
      settings,
    })
    .returning();
  return store!;
}

/** A client acting as a merchant editing in the Shopify admin (the emulator's merchant token). */
export function merchantClient(emulator: { shopDomain: string; adminUrl: string; merchantToken: string }): ShopifyClient {
  return createShopifyClient({
    shopDomain: emulator.shopDomain,
    adminUrl: emulator.adminUrl,
    accessToken: emulator.merchantToken,
    maxRetries: 2,
  });
}

export async function pendingByKind(db: Db, storeId: string): Promise<Record<string, number>> {
  const rows = await queryRows<{ kind: string; n: number }>(
    db,
    sql`select kind, count(*)::int as n from staged_changes where store_id = ${storeId} and status = 'pending' group by kind`,
  );
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}

/**
 * A real HTTP listener in front of a route handler, so that the emulator can deliver webhooks
 * to it (route handlers are plain (Request) => Response functions).
 */
export async function serveRoute(
  path: string,
  handler: (req: Request) => Promise<Response>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const url = `http://localhost${req.url ?? '/'}`;
    const response = req.url?.startsWith(path)
      ? await handler(new Request(url, { method: req.method, headers, body: req.method === 'GET' ? undefined : Buffer.concat(chunks) }))
      : new Response('not found', { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, everyMs = 25): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * One supplier product as Shopify holds it: product n with one variant (SKU `${skuPrefix}-n`, price
 * 10.00) and, when `stock` is given, its level at location 1.
 */
export function supplierProduct(n: number, options: { skuPrefix: string; cost: string | null; stock?: number }): RemoteRecord[] {
  const product = `gid://shopify/Product/${n}`;
  const variant = `gid://shopify/ProductVariant/${n}`;
  const item = `gid://shopify/InventoryItem/${n}`;
  const records: RemoteRecord[] = [
    {
      entity: 'product',
      key: product,
      productKey: product,
      doc: {
        title: `Item ${n}`,
        handle: `item-${n}`,
        descriptionHtml: '',
        vendor: 'Supplier',
        productType: 'Bolts',
        status: 'ACTIVE',
        tags: [],
      },
    },
    {
      entity: 'variant',
      key: variant,
      productKey: product,
      doc: {
        sku: `${options.skuPrefix}-${n}`,
        barcode: null,
        price: '10.00',
        compareAtPrice: null,
        inventoryPolicy: 'DENY',
        taxable: true,
        tracked: true,
        cost: options.cost,
      },
      meta: { title: 'Default', inventoryItemId: item },
    },
  ];
  if (options.stock !== undefined)
    records.push({
      entity: 'inventory_level',
      key: `${item}|gid://shopify/Location/1`,
      productKey: product,
      doc: { available: options.stock },
      meta: { variantId: variant },
    });
  return records;
}
