import { createHmac, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stores, webhookDeliveries } from '../../drizzle/schema';
import { queryRows } from '../../server/db/rows';
import { answerWebhook } from '../../server/ingest/webhooks/http';
import type { WebhookRequest } from '../../server/ingest/webhooks/receive';
import { UnverifiedWebhookLimiter } from '../../server/ingest/webhooks/unverified-limit';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * Rate limits on POST /api/webhooks/shopify: Shopify retries a refused delivery and then deletes
 * the subscription, so a verified delivery is never refused for rate, however many arrive. What is
 * limited is requests that fail verification, per client address, across processes; an address over
 * its budget has its further forgeries refused without database work, its signed deliveries accepted.
 */
const SHOP = 'limits.myshopify.com';
const SECRET = 'limits-webhook-secret';
const BUDGET = 5;

let t: TestRuntime;
let storeId: string;
let reReads: ReturnType<typeof vi.fn>;
beforeAll(async () => {
  t = await startTestRuntime({ env: { WEBHOOK_UNVERIFIED_PER_MINUTE: String(BUDGET) } });
  const [store] = await t.runtime.db
    .insert(stores)
    .values({ shopDomain: SHOP, name: 'limits', accessToken: 'x', webhookSecret: SECRET, adminUrl: 'http://127.0.0.1:9' })
    .returning();
  storeId = store!.id;
  // The worker's re-reads are counted, not sent: what matters here is how many there are.
  reReads = vi.fn(async () => {});
  t.services.pull.refreshProducts = reReads as never;
});
afterAll(() => t?.stop());

interface Sent {
  status: number;
  retryAfter?: string;
  bodyRead: boolean;
  eventId: string;
}

async function deliver(options: { peer: string; signed: boolean; product?: number; headers?: Record<string, string> }): Promise<Sent> {
  const product = options.product ?? 7;
  const raw = Buffer.from(JSON.stringify({ id: product, admin_graphql_api_id: `gid://shopify/Product/${product}` }));
  const eventId = randomUUID();
  const headers: Record<string, string> = {
    'x-shopify-topic': 'products/update',
    'x-shopify-shop-domain': SHOP,
    'x-shopify-event-id': eventId,
    'x-shopify-hmac-sha256': createHmac('sha256', options.signed ? SECRET : 'forged')
      .update(raw)
      .digest('base64'),
    ...options.headers,
  };
  let bodyRead = false;
  const req: WebhookRequest = {
    header: (name) => headers[name.toLowerCase()] ?? null,
    body: async () => {
      bodyRead = true;
      return raw;
    },
    peer: options.peer,
  };
  const answer = await answerWebhook({ runtime: t.runtime, ...t.services }, req);
  return { status: answer.status, retryAfter: answer.headers?.['retry-after'], bodyRead, eventId };
}

describe('webhook rate limits', () => {
  it('accepts 2,000 verified deliveries arriving together, none refused for rate', async () => {
    const answers = await Promise.all(Array.from({ length: 2000 }, () => deliver({ peer: '198.51.100.1', signed: true })));
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    expect(Object.fromEntries(statuses)).toEqual({ 200: 2000 });
  });

  it('refuses an address whose requests keep failing verification, its further forgeries without database work', async () => {
    const peer = '203.0.113.9';
    const first = [];
    for (let i = 0; i < BUDGET; i++) first.push((await deliver({ peer, signed: false })).status);
    expect(first).toEqual(Array(BUDGET).fill(401));
    const over = await deliver({ peer, signed: false });
    expect(over.status).toBe(429);
    expect(Number(over.retryAfter)).toBeGreaterThan(0);
    // Blocked: read (a signed delivery could be among them) and hashed, but neither the store
    // nor the budget is read, whatever shop the request names.
    const lookups = vi.spyOn(t.services.stores, 'byShopDomain');
    const spends = vi.spyOn(t.services.webhooks.limiter, 'spend');
    try {
      const after = await deliver({ peer, signed: false });
      expect(after).toMatchObject({ status: 429, bodyRead: true });
      expect(Number(after.retryAfter)).toBeGreaterThan(0);
      const elsewhere = await deliver({ peer, signed: false, headers: { 'x-shopify-shop-domain': `${randomUUID()}.myshopify.com` } });
      expect(elsewhere.status).toBe(429);
      expect(lookups).not.toHaveBeenCalled();
      expect(spends).not.toHaveBeenCalled();
    } finally {
      lookups.mockRestore();
      spends.mockRestore();
    }
    // Another address has its own budget, and verified deliveries from elsewhere go on.
    expect((await deliver({ peer: '203.0.113.10', signed: false })).status).toBe(401);
    expect((await deliver({ peer: '198.51.100.2', signed: true })).status).toBe(200);
  });

  it('accepts the signed deliveries of an address blocked by forgeries (one proxy for all), and keeps refusing the forged', async () => {
    const peer = '203.0.113.40';
    for (let i = 0; i <= BUDGET; i++) await deliver({ peer, signed: false });
    expect((await deliver({ peer, signed: false })).status).toBe(429);
    await t.services.webhooks.worker.idle();
    reReads.mockClear();
    const spends = vi.spyOn(t.services.webhooks.limiter, 'spend');
    try {
      const signed = [];
      for (let i = 0; i < 3; i++) signed.push(await deliver({ peer, signed: true, product: 900 + i }));
      expect(signed.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(spends).not.toHaveBeenCalled();
      const recorded = await queryRows<{ event_id: string; status: string }>(
        t.runtime.db,
        sql`select event_id, status from webhook_deliveries where event_id in (${sql.join(
          signed.map((a) => sql`${a.eventId}`),
          sql`, `,
        )})`,
      );
      expect(recorded).toHaveLength(3);
      await t.services.webhooks.worker.idle();
      const read = reReads.mock.calls.flatMap((c) => (c as unknown as [string, string[]])[1]);
      expect(read.sort()).toEqual(['gid://shopify/Product/900', 'gid://shopify/Product/901', 'gid://shopify/Product/902']);
      // The forged ones from the same address stay refused, and the signed ones did not lift the block.
      expect((await deliver({ peer, signed: false })).status).toBe(429);
    } finally {
      spends.mockRestore();
    }
  });

  it('does not let a client pick its address with X-Forwarded-For unless TRUST_PROXY is set', async () => {
    const peer = '203.0.113.20';
    const statuses: number[] = [];
    for (let i = 0; i <= BUDGET; i++) {
      statuses.push((await deliver({ peer, signed: false, headers: { 'x-forwarded-for': `10.0.0.${i}` } })).status);
    }
    expect(statuses.at(-1)).toBe(429);
  });

  it('shares the budget between processes through the database', async () => {
    const peer = '203.0.113.30';
    const otherProcess = new UnverifiedWebhookLimiter(t.runtime.db, BUDGET);
    for (let i = 0; i < BUDGET; i++) expect(await otherProcess.spend(peer)).toBe(0);
    expect(await deliver({ peer, signed: false })).toMatchObject({ status: 429 });
  });
});

describe('webhook re-reads', () => {
  it('coalesces waiting deliveries per entity: one re-read serves every delivery of a product', async () => {
    await t.services.webhooks.worker.idle();
    await t.runtime.db.execute(sql`update webhook_deliveries set status = 'processed' where status = 'accepted'`);
    reReads.mockClear();
    const products = ['gid://shopify/Product/101', 'gid://shopify/Product/102', 'gid://shopify/Product/103'];
    await t.runtime.db.insert(webhookDeliveries).values(
      Array.from({ length: 300 }, (_, i) => ({
        storeId,
        shopDomain: SHOP,
        topic: 'products/update',
        eventId: randomUUID(),
        receivedAt: new Date(Date.now() - 60_000 + i),
        payload: { id: Number(products[i % 3]!.split('/').at(-1)), admin_graphql_api_id: products[i % 3] },
      })),
    );
    t.services.webhooks.worker.kick();
    await t.services.webhooks.worker.idle();
    const read = reReads.mock.calls.flatMap((c) => (c as unknown as [string, string[]])[1]);
    expect(read.sort()).toEqual(products);
    const [left] = await queryRows<{ n: number }>(
      t.runtime.db,
      sql`select count(*)::int as n from webhook_deliveries where status = 'accepted'`,
    );
    expect(left!.n).toBe(0);
  });
});
