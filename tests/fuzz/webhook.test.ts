import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../server/db/rows';
import type { RouteHandler } from '../../server/http/route';
import { upsertEnvStore } from '../../server/stores/stores';
import { type Emulator, startEmulator } from '../helpers/emulator';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { merchantClient } from '../helpers/staging';
import { bodyArb, headerText, nastyString, plausibleObject } from './arbitraries';

/**
 * POST /api/webhooks/shopify gets FUZZ_RUNS generated deliveries: bodies of any shape, Shopify
 * headers missing, wrong or random, and HMACs that are missing, wrong, or right for a junk body.
 * It never answers 5xx; a delivery with a bad signature is refused (401) and leaves nothing
 * behind; a correctly signed junk body is never turned into a staged change. Shopify is the
 * emulator with the catalog pulled, and many junk bodies name real products, so the worker really
 * re-reads them: junk would be staged if the payload, not the API, were trusted. A real edit sent
 * the same way at the end is staged, which shows the check could fail.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const ROUTE_FILE = path.join(process.cwd(), 'app', 'api', 'webhooks', 'shopify', 'route.ts');
const TOPICS = [
  'products/update',
  'products/create',
  'products/delete',
  'inventory_levels/update',
  'collections/update',
  'app/uninstalled',
  'orders/create',
];

let t: TestRuntime;
let emulator: Emulator;
let handler: RouteHandler;
let shop: string;
let secret: string;
let productIds: string[];
beforeAll(async () => {
  if (!existsSync(ROUTE_FILE)) return;
  handler = ((await import(ROUTE_FILE)) as { POST: RouteHandler }).POST;
  emulator = await startEmulator({ products: 20, seed: 11 });
  shop = emulator.shopDomain;
  secret = emulator.webhookSecret;
  t = await startTestRuntime({
    env: {
      SHOPIFY_SHOP: shop,
      SHOPIFY_ACCESS_TOKEN: emulator.accessToken,
      SHOPIFY_WEBHOOK_SECRET: secret,
      SHOPIFY_ADMIN_URL: emulator.adminUrl,
      // Every request here comes from one address: its budget of failed verifications would turn
      // the run into 429s, and this suite is about parsing.
      WEBHOOK_UNVERIFIED_PER_MINUTE: '100000000',
    },
  });
  const store = await upsertEnvStore(t.runtime.db, t.config, t.runtime.storeSecrets);
  const pull = await t.services.pull.start(store!.id, 'full', 'fuzz');
  expect(await pull.done).not.toBeNull();
  const rows = await queryRows<{ key: string }>(t.runtime.db, sql`select key from catalog_entities where entity = 'product'`);
  productIds = rows.map((r) => r.key);
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await emulator?.close();
});

const signing = fc.constantFrom('valid', 'valid', 'wrong', 'missing', 'random', 'other-secret');

/** A body naming one of the pulled products (by REST id or GID) with junk everywhere else. */
const namingRealProduct = fc.record({ index: fc.nat(), junk: plausibleObject, gid: fc.boolean() }).map(({ index, junk, gid }) => {
  const key = productIds[index % productIds.length]!;
  const id = Number(key.split('/').at(-1));
  const json: Record<string, unknown> = gid ? { ...junk, admin_graphql_api_id: key } : { ...junk, id };
  return { json } as { json?: unknown; raw?: string };
});

async function settled(): Promise<void> {
  const worker = t.services.webhooks.worker;
  for (;;) {
    worker.kick();
    await worker.idle();
    const [left] = await queryRows<{ n: number }>(
      t.runtime.db,
      sql`select count(*)::int as n from webhook_deliveries where status = 'accepted'`,
    );
    if (left!.n === 0) return;
  }
}

function deliveryHeaders(text: string, sign: string, topic: string, shopHeader: string, eventId: string, contentType: string): Headers {
  const headers = new Headers();
  if (contentType) headers.set('content-type', contentType);
  if (topic) headers.set('x-shopify-topic', topic);
  if (shopHeader) headers.set('x-shopify-shop-domain', shopHeader);
  if (eventId) headers.set('x-shopify-event-id', eventId);
  headers.set('x-shopify-webhook-id', randomUUID());
  headers.set('x-shopify-api-version', '2026-10');
  const hmac = (key: string) => createHmac('sha256', key).update(text).digest('base64');
  if (sign === 'valid') headers.set('x-shopify-hmac-sha256', hmac(secret));
  else if (sign === 'wrong')
    headers.set(
      'x-shopify-hmac-sha256',
      hmac(secret).replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
    );
  else if (sign === 'random') headers.set('x-shopify-hmac-sha256', fc.sample(nastyString, 1)[0]!.replace(/[^\x20-\x7e]/g, ''));
  else if (sign === 'other-secret') headers.set('x-shopify-hmac-sha256', hmac('some-other-secret'));
  return headers;
}

async function post(headers: Headers, text: string): Promise<Response> {
  return handler(new Request('http://localhost/api/webhooks/shopify', { method: 'POST', headers, body: text }), {
    params: Promise.resolve({}),
  });
}

const count = async (table: 'staged_changes' | 'webhook_deliveries') =>
  (await queryRows<{ n: number }>(t.runtime.db, sql`select count(*)::int as n from ${sql.raw(table)}`))[0]!.n;

describe(`fuzz: ${RUNS} generated webhook deliveries`, () => {
  it.skipIf(!existsSync(ROUTE_FILE))('never answers 5xx; bad signatures are refused and leave nothing; junk is never staged', async () => {
    const stagedBefore = await count('staged_changes');
    const recordedBefore = await count('webhook_deliveries');
    let refusedUnsigned = 0;
    let newDeliveries = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(bodyArb, namingRealProduct),
        signing,
        fc.oneof(fc.constantFrom(...TOPICS), headerText),
        fc.oneof(fc.constant('shop'), fc.constant('shop'), headerText, fc.constant('unknown.myshopify.com')),
        fc.oneof(fc.uuid(), headerText, fc.constant('')),
        fc.constantFrom('application/json', 'text/plain', ''),
        async (body, sign, topic, shopHeader, eventId, contentType) => {
          const text = body.raw ?? JSON.stringify(body.json ?? null);
          const headers = deliveryHeaders(text, sign, topic, shopHeader === 'shop' ? shop : shopHeader, eventId, contentType);
          const res = await post(headers, text);
          const answer = await res.text();
          expect(res.status, `answered ${res.status}: ${answer.slice(0, 300)}`).toBeLessThan(500);
          if (sign !== 'valid') {
            expect(res.status, `unsigned delivery answered ${res.status}`).toBeGreaterThanOrEqual(400);
            refusedUnsigned++;
          }
          if (res.status < 300 && !(JSON.parse(answer) as { duplicate?: boolean }).duplicate) newDeliveries++;
        },
      ),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261122) },
    );
    expect(refusedUnsigned).toBeGreaterThan(0);
    // Every recorded delivery is one that was answered as newly accepted: no refused one left a row.
    expect(await count('webhook_deliveries')).toBe(recordedBefore + newDeliveries);
    // Every accepted delivery worked off (re-read from the emulator), some of them naming real products...
    await settled();
    const [reRead] = await queryRows<{ n: number }>(
      t.runtime.db,
      sql`select count(*)::int as n from webhook_deliveries where status = 'processed' and error is null and topic like 'products/%'`,
    );
    expect(reRead!.n).toBeGreaterThan(0);
    // ...and none of it became a staged change.
    expect(await count('staged_changes')).toBe(stagedBefore);

    // The same path stages a real edit: the check above could have failed.
    const edited = productIds[0]!;
    await merchantClient(emulator).updateProduct({ id: edited, title: 'Edited by the merchant during the fuzz' });
    const text = JSON.stringify({ admin_graphql_api_id: edited, title: 'anything' });
    const res = await post(deliveryHeaders(text, 'valid', 'products/update', shop, randomUUID(), 'application/json'), text);
    expect(res.status).toBe(200);
    await settled();
    expect(await count('staged_changes')).toBe(stagedBefore + 1);
  });
});
