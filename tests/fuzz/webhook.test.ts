import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stores } from '../../drizzle/schema';
import { queryRows } from '../../server/db/rows';
import type { RouteHandler } from '../../server/http/route';
import { upsertEnvStore } from '../../server/stores/stores';
import { startSubsystems } from '../../server/subsystems';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { bodyArb, headerText, nastyString } from './arbitraries';

/**
 * POST /api/webhooks/shopify gets FUZZ_RUNS generated deliveries: bodies of any shape, Shopify
 * headers missing, wrong or random, and HMACs that are missing, wrong, or right for a junk body.
 * It never answers 5xx; a delivery with a bad signature is refused (401) and leaves nothing
 * behind; a correctly signed junk body is never turned into a staged change.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const ROUTE_FILE = path.join(process.cwd(), 'app', 'api', 'webhooks', 'shopify', 'route.ts');
const SHOP = 'fuzz-hooks.myshopify.com';
const SECRET = 'fuzz-webhook-secret-0123456789';
const TOPICS = ['products/update', 'products/create', 'products/delete', 'inventory_levels/update', 'collections/update', 'app/uninstalled', 'orders/create'];

let t: TestRuntime;
let handler: RouteHandler;
beforeAll(async () => {
  if (!existsSync(ROUTE_FILE)) return;
  handler = ((await import(ROUTE_FILE)) as { POST: RouteHandler }).POST;
  t = await startTestRuntime({
    queue: true,
    env: { SHOPIFY_SHOP: SHOP, SHOPIFY_ACCESS_TOKEN: 'fuzz-token', SHOPIFY_WEBHOOK_SECRET: SECRET, SHOPIFY_ADMIN_URL: 'http://127.0.0.1:9' },
  });
  await startSubsystems(t.runtime);
  const store = await upsertEnvStore(t.runtime.db, t.config);
  // The per-store rate limit would turn most of the run into 429s; this suite is about parsing.
  await t.runtime.db.update(stores).set({ settings: { webhookRateLimitPerMinute: 10_000_000 } }).where(eq(stores.id, store!.id));
});
afterAll(() => t?.stop());

const signing = fc.constantFrom('valid', 'valid', 'wrong', 'missing', 'random', 'other-secret');

describe(`fuzz: ${RUNS} generated webhook deliveries`, () => {
  it.skipIf(!existsSync(ROUTE_FILE))('never answers 5xx; bad signatures are refused and leave nothing; junk is never staged', async () => {
    const staged = async () => (await queryRows<{ n: number }>(t.runtime.db, sql`select count(*)::int as n from staged_changes`))[0]!.n;
    const deliveries = async () => (await queryRows<{ n: number }>(t.runtime.db, sql`select count(*)::int as n from webhook_deliveries`))[0]!.n;
    const stagedBefore = await staged();
    const statuses = new Map<number, number>();
    let refusedUnsigned = 0;
    const recordedBefore = await deliveries();
    let newDeliveries = 0;
    await fc.assert(
      fc.asyncProperty(
        bodyArb,
        signing,
        fc.oneof(fc.constantFrom(...TOPICS), headerText),
        fc.oneof(fc.constant(SHOP), fc.constant(SHOP), headerText, fc.constant('unknown.myshopify.com')),
        fc.oneof(fc.uuid(), headerText, fc.constant('')),
        fc.constantFrom('application/json', 'text/plain', ''),
        async (body, sign, topic, shop, eventId, contentType) => {
          const text = body.raw ?? JSON.stringify(body.json ?? null);
          const headers = new Headers();
          if (contentType) headers.set('content-type', contentType);
          if (topic) headers.set('x-shopify-topic', topic);
          if (shop) headers.set('x-shopify-shop-domain', shop);
          if (eventId) headers.set('x-shopify-event-id', eventId);
          headers.set('x-shopify-webhook-id', randomUUID());
          headers.set('x-shopify-api-version', '2026-10');
          const hmac = (key: string) => createHmac('sha256', key).update(text).digest('base64');
          if (sign === 'valid') headers.set('x-shopify-hmac-sha256', hmac(SECRET));
          else if (sign === 'wrong') headers.set('x-shopify-hmac-sha256', hmac(SECRET).replace(/^./, (c) => (c === 'A' ? 'B' : 'A')));
          else if (sign === 'random') headers.set('x-shopify-hmac-sha256', fc.sample(nastyString, 1)[0]!.replace(/[^\x20-\x7e]/g, ''));
          else if (sign === 'other-secret') headers.set('x-shopify-hmac-sha256', hmac('some-other-secret'));
          const res = await handler(new Request('http://localhost/api/webhooks/shopify', { method: 'POST', headers, body: text }), { params: Promise.resolve({}) });
          const answer = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
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
    expect(await deliveries()).toBe(recordedBefore + newDeliveries);
    // Let any processing the endpoint queued settle, then check nothing junk became a staged change.
    await new Promise((r) => setTimeout(r, 500));
    expect(await staged()).toBe(stagedBefore);
  });
});
