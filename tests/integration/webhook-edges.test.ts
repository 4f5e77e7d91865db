import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as healthRoute from '../../app/api/health/route';
import * as webhookRoute from '../../app/api/webhooks/shopify/route';
import type { Store } from '../../drizzle/schema';
import type { Health } from '../../lib/dashboard/health';
import { pgTextArray, queryRows } from '../../server/db/rows';
import { startEmulator } from '../../server/emulator';
import { isWebhookDelivery, serveWebhookFastPath } from '../../server/ingest/webhooks/http';
import { callRoute, demoToken } from '../helpers/api';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { insertEmulatorStore, merchantClient, waitFor } from '../helpers/staging';

/**
 * Issue 12, webhooks at the edges: one bad delivery fails alone, not the deliveries re-read with
 * it; a body nested too deep answers 400 on both the fast path and the route; deliveries refused
 * for a shop the app does not know are counted and shown by the health answer.
 */
let t: TestRuntime;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let store: Store;
let server: Server;
let fastUrl: string;

function headersOf(body: string, options: { topic?: string; shop?: string; secret?: string } = {}): Headers {
  return new Headers({
    'content-type': 'application/json',
    'x-shopify-topic': options.topic ?? 'products/update',
    'x-shopify-shop-domain': options.shop ?? store.shopDomain,
    'x-shopify-event-id': randomUUID(),
    'x-shopify-webhook-id': randomUUID(),
    'x-shopify-hmac-sha256': createHmac('sha256', options.secret ?? emulator.webhookSecret)
      .update(body)
      .digest('base64'),
  });
}

const viaRoute = (body: string, options?: Parameters<typeof headersOf>[1]) =>
  webhookRoute.POST(new Request('http://localhost/api/webhooks/shopify', { method: 'POST', headers: headersOf(body, options), body }));
const viaFastPath = (body: string, options?: Parameters<typeof headersOf>[1]) =>
  fetch(`${fastUrl}/api/webhooks/shopify`, { method: 'POST', headers: headersOf(body, options), body });

beforeAll(async () => {
  emulator = await startEmulator({ products: 30, seed: 5 });
  t = await startTestRuntime();
  store = await insertEmulatorStore(t.runtime.db, emulator);
  const { done } = await t.services.pull.start(store.id, 'full', 'test');
  expect(await done).toMatchObject({ adopted: true });
  server = createServer((req, res) => {
    if (isWebhookDelivery(req)) void serveWebhookFastPath({ runtime: t.runtime, ...t.services }, req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fastUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.stop();
  await emulator?.close();
});

describe('webhook deliveries at the edges', () => {
  it('fails a delivery with an invalid id alone: the five valid ones processed with it are staged', async () => {
    const products = [...emulator.state.products.values()].slice(0, 5);
    const merchant = merchantClient(emulator);
    for (const p of products) await merchant.updateProduct({ id: `gid://shopify/Product/${p.id}`, title: `${p.title} (hooked)` });
    const settled = await deliverTogether([
      ...products.map((p) => JSON.stringify({ id: p.id, admin_graphql_api_id: `gid://shopify/Product/${p.id}`, title: p.title })),
      JSON.stringify({ id: 'abc', admin_graphql_api_id: 'gid://shopify/Product/abc' }),
    ]);
    expect(settled.slice(0, 5).map((d) => d.status)).toEqual(Array(5).fill('processed'));
    expect(settled[5]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/gid:\/\/shopify\/Product\/abc.*not a Product id/),
    });
    const staged = await queryRows<{ entity_key: string }>(
      t.runtime.db,
      sql`select entity_key from staged_changes where store_id = ${store.id} and status = 'pending' and kind = 'incoming'
          and entity = 'product'`,
    );
    expect(staged.map((c) => c.entity_key).sort()).toEqual(products.map((p) => `gid://shopify/Product/${p.id}`).sort());
  });

  it('fails alone a delivery whose product cannot be re-read: the others re-read with it are processed', async () => {
    const products = [...emulator.state.products.values()].slice(10, 14);
    const ids = products.map((p) => `gid://shopify/Product/${p.id}`);
    const client = t.services.shopify.for(store).client('webhook');
    const read = client.getProductsByIds;
    client.getProductsByIds = async (asked, sizes) => {
      if (asked.includes(ids[2]!)) throw new Error(`injected: ${ids[2]} cannot be read`);
      return read(asked, sizes);
    };
    try {
      const settled = await deliverTogether(ids.map((id) => JSON.stringify({ admin_graphql_api_id: id })));
      expect(settled.map((d) => d.status)).toEqual(['processed', 'processed', 'failed', 'processed']);
      expect(settled[2]!.error).toMatch(/injected/);
    } finally {
      client.getProductsByIds = read;
    }
  });

  it('answers 400, not 500, to a body nested 5,000 levels deep, on the fast path and the route, recording nothing', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const nested = `{"id":1,"a":${'{"b":'.repeat(5000)}"x"${'}'.repeat(5001)}`;
    const before = await deliveryCount();
    for (const body of [deep, nested]) {
      for (const res of [await viaRoute(body), await viaFastPath(body)]) {
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request:too_deep');
      }
    }
    expect(await deliveryCount()).toBe(before);
    // A payload as deep as Shopify's own still goes through.
    const shallow = JSON.stringify({ id: 1, a: { b: { c: { d: [{ e: [1, { f: 'x' }] }] } } } });
    expect((await viaFastPath(shallow, { topic: 'shop/update' })).status).toBe(200);
  });

  it('counts deliveries refused for an unknown shop and shows them on the health answer', async () => {
    const other = 'another-shop.myshopify.com';
    for (let i = 0; i < 3; i++) expect((await viaFastPath('{"id":1}', { shop: other })).status).toBe(401);
    expect((await viaRoute('{"id":1}', { shop: other })).status).toBe(401);
    // A known shop with a bad signature is not an unknown shop.
    expect((await viaRoute('{"id":1}', { secret: 'forged' })).status).toBe(401);
    const health = await waitFor(async () => {
      const { body } = await callRoute<Health>(healthRoute.GET, { token: await demoToken('support') });
      return body.sync?.eventSuccess.refusedUnknownShop?.length ? body : null;
    });
    expect(health.sync!.eventSuccess.refusedUnknownShop).toEqual([{ shop: other, count: 4 }]);
    expect(health.sync!.eventSuccess.detail).toContain(`4 deliveries refused for unknown shop ${other} in the last hour`);
  });
});

/** Deliveries recorded first (the worker stopped), then worked off together in one batch; their rows in order. */
async function deliverTogether(bodies: string[]): Promise<Array<{ status: string; error: string | null }>> {
  await t.services.webhooks.worker.stop();
  const answers = await Promise.all(bodies.map((b) => viaRoute(b)));
  expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 200));
  const ids = await Promise.all(answers.map(async (a) => ((await a.json()) as { deliveryId: string }).deliveryId));
  t.services.webhooks.worker.kick();
  await t.services.webhooks.worker.idle();
  const rows = await queryRows<{ id: string; status: string; error: string | null }>(
    t.runtime.db,
    sql`select id, status, error from webhook_deliveries where id = any(${pgTextArray(ids)}::uuid[])`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!);
}

async function deliveryCount(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(t.runtime.db, sql`select count(*)::int as n from webhook_deliveries`);
  return Number(row!.n);
}
