import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as webhookRoute from '../../app/api/webhooks/shopify/route';
import { stores } from '../../drizzle/schema';
import { apiSecurityHeaders } from '../../lib/security-headers';
import { queryRows } from '../../server/db/rows';
import type { DeliveryRecord } from '../../server/ingest/webhooks/deliveries';
import { isWebhookDelivery, serveWebhookFastPath } from '../../server/ingest/webhooks/http';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * The app server answers POST /api/webhooks/shopify before Next (server/ingest/webhooks/http.ts). It must
 * give the route handler's answers, with Next's security headers, and the group commit behind
 * both must record each event once, duplicates counted, even when they arrive together.
 */
let t: TestRuntime;
let server: Server;
let fastUrl: string;
const SHOP = 'fast.myshopify.com';
const SECRET = 'fast-secret';

interface Delivery {
  body: string;
  secret?: string | null;
  eventId?: string;
  topic?: string;
  shop?: string;
}

function headersOf(d: Delivery): Headers {
  const headers = new Headers({
    'content-type': 'application/json',
    'x-shopify-topic': d.topic ?? 'shop/update',
    'x-shopify-shop-domain': d.shop ?? SHOP,
    'x-shopify-event-id': d.eventId ?? randomUUID(),
    'x-shopify-webhook-id': randomUUID(),
    'x-shopify-api-version': '2026-10',
  });
  if (d.secret !== null)
    headers.set(
      'x-shopify-hmac-sha256',
      createHmac('sha256', d.secret ?? SECRET)
        .update(d.body)
        .digest('base64'),
    );
  return headers;
}

const viaFastPath = (d: Delivery) => fetch(`${fastUrl}/api/webhooks/shopify`, { method: 'POST', headers: headersOf(d), body: d.body });
const viaRoute = (d: Delivery) =>
  webhookRoute.POST(new Request('http://localhost/api/webhooks/shopify', { method: 'POST', headers: headersOf(d), body: d.body }));

/** Status and body of an answer, the delivery id left out (each path records its own row). */
async function answer(res: Response): Promise<{ status: number; body: unknown }> {
  const body = (await res.json()) as Record<string, unknown>;
  delete body.deliveryId;
  return { status: res.status, body };
}

beforeAll(async () => {
  t = await startTestRuntime();
  await t.runtime.db.insert(stores).values({ shopDomain: SHOP, name: 'fast', accessToken: 'x', webhookSecret: SECRET });
  server = createServer((req, res) => {
    if (isWebhookDelivery(req)) void serveWebhookFastPath({ runtime: t.runtime, ...t.services }, req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fastUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.stop();
});

async function rowsOf(eventId: string) {
  return queryRows<{ id: string; duplicates: number; status: string }>(
    t.runtime.db,
    sql`select id, duplicates, status from webhook_deliveries where event_id = ${eventId}`,
  );
}

describe('the webhook fast path', () => {
  it('gives the route handler answers: 401, 400, 413, 200, 200 duplicate, 200 ignored', async () => {
    const cases: Array<[string, (n: number) => Delivery]> = [
      ['missing hmac', () => ({ body: '{"id":1}', secret: null })],
      ['wrong hmac', () => ({ body: '{"id":1}', secret: 'forged' })],
      ['unknown shop', () => ({ body: '{"id":1}', shop: 'nobody.myshopify.com' })],
      ['malformed json', () => ({ body: '{"id": 1' })],
      ['not an object', () => ({ body: '42' })],
      ['nul character', () => ({ body: JSON.stringify({ title: 'a\u0000b' }) })],
      ['missing event id', () => ({ body: '{"id":1}', eventId: '' })],
      ['over 1 MB', () => ({ body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }) })],
      ['accepted', () => ({ body: '{"id":1}', topic: 'products/update', shop: SHOP, eventId: randomUUID() })],
      ['unknown topic', () => ({ body: '{"id":1}', topic: 'orders/create' })],
    ];
    for (const [name, make] of cases) {
      const fast = await answer(await viaFastPath(make(0)));
      const routed = await answer(await viaRoute(make(1)));
      expect(fast, name).toEqual(routed);
    }
    const statuses = [];
    for (const [, make] of cases) statuses.push((await viaFastPath(make(0))).status);
    expect(statuses).toEqual([401, 401, 401, 400, 400, 400, 400, 413, 200, 200]);

    const eventId = randomUUID();
    const first = await viaFastPath({ body: '{"id":7}', eventId, topic: 'orders/create' });
    const again = await viaRoute({ body: '{"id":7}', eventId, topic: 'orders/create' });
    const thrice = await viaFastPath({ body: '{"id":7}', eventId, topic: 'orders/create' });
    expect(await first.json()).toMatchObject({ ok: true, ignored: true });
    expect(await again.json()).toMatchObject({ ok: true, duplicate: true });
    expect(await thrice.json()).toMatchObject({ ok: true, duplicate: true });
    expect(await rowsOf(eventId)).toEqual([expect.objectContaining({ duplicates: 2, status: 'ignored' })]);
  });

  it('refuses a body over 1 MB sent without Content-Length (chunked) with 413', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(1024 * 1024) });
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < body.length; i += 64 * 1024) controller.enqueue(new TextEncoder().encode(body.slice(i, i + 64 * 1024)));
        controller.close();
      },
    });
    const res = await fetch(`${fastUrl}/api/webhooks/shopify`, {
      method: 'POST',
      headers: headersOf({ body }),
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('accepts a burst of verified deliveries on both paths without a 429', async () => {
    const send = (via: typeof viaRoute) => via({ body: JSON.stringify({ id: randomUUID() }) });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => send(i % 2 ? viaFastPath : viaRoute)));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200]));
  });

  it('sets the security headers Next sets on API answers', async () => {
    for (const d of [{ body: '{"id":1}' }, { body: '{"id":1}', secret: null }]) {
      const res = await viaFastPath(d);
      await res.arrayBuffer();
      for (const [name, value] of Object.entries(apiSecurityHeaders())) expect(res.headers.get(name), name).toBe(value);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('records an event sent many times at once exactly once, counting the others as duplicates', async () => {
    const eventId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? viaRoute : viaFastPath)({ body: '{"id":9}', eventId, topic: 'orders/create' })),
    );
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as Array<{ ok: boolean; duplicate?: boolean; deliveryId: string }>;
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
    const [row] = await rowsOf(eventId);
    expect(new Set(bodies.map((b) => b.deliveryId))).toEqual(new Set([row!.id]));
    expect(row!.duplicates).toBe(5);
  });
});

describe('the group commit of deliveries', () => {
  const record = (eventId: string, payload = '{"id":1}'): DeliveryRecord => ({
    storeId: '',
    shop: SHOP,
    topic: 'orders/create',
    eventId,
    webhookId: randomUUID(),
    apiVersion: '2026-10',
    triggeredAt: null,
    status: 'ignored',
    payload,
  });

  beforeAll(async () => {
    const [store] = await t.runtime.db.select().from(stores).where(eq(stores.shopDomain, SHOP));
    storeId = store!.id;
  });
  let storeId = '';

  it('writes deliveries of one turn together and tells each caller its own outcome, duplicates inside the group included', async () => {
    const recorder = t.services.webhooks.recorder;
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const before = await recorder.record({ ...record(c), storeId });
    // Same turn of the event loop: one group, with a twice, b once, c already recorded.
    const outcomes = await Promise.all([a, b, a, c].map((e) => recorder.record({ ...record(e), storeId })));
    expect(outcomes.map((o) => o.inserted)).toEqual([true, true, false, false]);
    expect(outcomes[2]!.id).toBe(outcomes[0]!.id);
    expect(outcomes[3]!.id).toBe(before.id);
    expect(outcomes[1]!.id).not.toBe(outcomes[0]!.id);
    expect((await rowsOf(a))[0]!.duplicates).toBe(1);
    expect((await rowsOf(b))[0]!.duplicates).toBe(0);
    expect((await rowsOf(c))[0]!.duplicates).toBe(1);
  });

  it('lets one payload the database refuses fail alone, not its group', async () => {
    const recorder = t.services.webhooks.recorder;
    const [good1, bad, good2] = [randomUUID(), randomUUID(), randomUUID()];
    // A lone surrogate escape is valid JSON for JavaScript but not for Postgres jsonb.
    const settled = await Promise.allSettled([
      recorder.record({ ...record(good1), storeId }),
      recorder.record({ ...record(bad, '{"title":"\\ud800"}'), storeId }),
      recorder.record({ ...record(good2), storeId }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await rowsOf(good1)).toHaveLength(1);
    expect(await rowsOf(good2)).toHaveLength(1);
    expect(await rowsOf(bad)).toHaveLength(0);
  });
});

describe('the store look-up behind webhooks', () => {
  it('does not remember a shop it did not find, and forgets stores when told they changed', async () => {
    const shop = `late-${randomUUID().slice(0, 8)}.myshopify.com`;
    expect((await viaFastPath({ body: '{"id":1}', shop })).status).toBe(401);
    await t.runtime.db.insert(stores).values({ shopDomain: shop, name: 'late', accessToken: 'x', webhookSecret: SECRET });
    expect((await viaFastPath({ body: '{"id":1}', shop })).status).toBe(200);
    await t.runtime.db.update(stores).set({ webhookSecret: 'rotated' }).where(eq(stores.shopDomain, shop));
    t.services.stores.clear();
    expect((await viaFastPath({ body: '{"id":1}', shop })).status).toBe(401);
    expect((await viaFastPath({ body: '{"id":1}', shop, secret: 'rotated' })).status).toBe(200);
  });
});
