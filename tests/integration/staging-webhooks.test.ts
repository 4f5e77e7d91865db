import { createHmac, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as webhookRoute from '../../app/api/webhooks/shopify/route';
import { stores } from '../../drizzle/schema';
import { queryRows } from '../../server/db/rows';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/** The receiving side of webhooks: signature, size, parse and dedupe (re-reads: pull-webhooks test). */
let t: TestRuntime;
const SHOP = 'hooks.myshopify.com';
const SECRET = 'hook-secret';

function send(body: string, options: { secret?: string | null; eventId?: string; topic?: string; shop?: string } = {}) {
  const headers = new Headers({
    'content-type': 'application/json',
    'x-shopify-topic': options.topic ?? 'shop/update',
    'x-shopify-shop-domain': options.shop ?? SHOP,
    'x-shopify-event-id': options.eventId ?? randomUUID(),
    'x-shopify-webhook-id': randomUUID(),
  });
  if (options.secret !== null)
    headers.set(
      'x-shopify-hmac-sha256',
      createHmac('sha256', options.secret ?? SECRET)
        .update(body)
        .digest('base64'),
    );
  return webhookRoute.POST(new Request('http://localhost/api/webhooks/shopify', { method: 'POST', headers, body }));
}

async function deliveries() {
  return queryRows<{ event_id: string; status: string; duplicates: number; topic: string }>(
    t.runtime.db,
    sql`select event_id, status, duplicates, topic from webhook_deliveries order by received_at`,
  );
}

beforeAll(async () => {
  t = await startTestRuntime();
  await t.runtime.db.insert(stores).values({ shopDomain: SHOP, name: 'hooks', accessToken: 'x', webhookSecret: SECRET });
});
afterAll(() => t?.stop());

describe('POST /api/webhooks/shopify', () => {
  it('refuses a missing or wrong HMAC and an unknown shop with 401, recording nothing', async () => {
    const body = JSON.stringify({ id: 1 });
    expect((await send(body, { secret: null })).status).toBe(401);
    expect((await send(body, { secret: 'forged' })).status).toBe(401);
    expect((await send(body, { shop: 'other.myshopify.com' })).status).toBe(401);
    const valid = await send(body, {});
    expect(valid.status).toBe(200);
    expect(await deliveries()).toHaveLength(1);
  });

  it('answers 400 to malformed JSON with a valid HMAC and 413 to a body over 1 MB', async () => {
    const bad = await send('{"id": 1', {});
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('bad_request:invalid_json');
    const nul = await send(JSON.stringify({ title: 'a\u0000b' }), {});
    expect(nul.status).toBe(400);
    const big = await send(JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }), {});
    expect(big.status).toBe(413);
    expect(await deliveries()).toHaveLength(1);
  });

  it('records a delivery sent twice once, and answers unknown topics 200', async () => {
    const eventId = randomUUID();
    const body = JSON.stringify({ id: 42 });
    const first = await send(body, { eventId, topic: 'orders/create' });
    const second = await send(body, { eventId, topic: 'orders/create' });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ duplicate: true });
    const rows = (await deliveries()).filter((d) => d.event_id === eventId);
    expect(rows).toEqual([{ event_id: eventId, status: 'ignored', duplicates: 1, topic: 'orders/create' }]);
  });

  it('never refuses a verified delivery for rate, however many arrive (unverified ones: tests/security/webhook-limits)', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 150; i++) statuses.add((await send(JSON.stringify({ i }), {})).status);
    expect([...statuses]).toEqual([200]);
  });
});
