import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as storeRoute from '../../app/api/stores/[id]/route';
import * as storesRoute from '../../app/api/stores/route';
import { queryRows } from '../../server/db/rows';
import { startServices } from '../../server/services';
import { callRoute, demoToken } from '../helpers/api';
import { type Emulator, startEmulator } from '../helpers/emulator';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * Stores connected in Settings: tested on save through the real client, token and webhook secret
 * encrypted at rest (the raw row holds no plaintext) and never answered by the API; a removed store
 * is deactivated; rows written in plaintext before encryption are sealed at start.
 */
const TOKEN = 'second-store-admin-token';
const SECRET = 'second-store-webhook-secret';

let t: TestRuntime;
let emu: Emulator;
let admin: string;
let merch: string;

beforeAll(async () => {
  t = await startTestRuntime();
  emu = await startEmulator({ products: 3, seed: 5, shopDomain: 'second.myshopify.com', accessToken: TOKEN, webhookSecret: SECRET });
  admin = await demoToken('admin');
  merch = await demoToken('merchandiser');
}, 60_000);
afterAll(async () => {
  await emu?.close();
  await t?.stop();
});

const connect = (body: Record<string, unknown>, token = admin) => callRoute(storesRoute.POST, { token, body });
const input = () => ({
  name: 'Second store',
  shopDomain: 'second.myshopify.com',
  adminUrl: emu.url,
  accessToken: TOKEN,
  webhookSecret: SECRET,
});
const rawRows = () =>
  queryRows<{ id: string; access_token: string; webhook_secret: string | null }>(
    t.runtime.db,
    sql`select id, access_token, webhook_secret from stores order by created_at`,
  );

describe('stores connected in Settings', () => {
  it('are tested on save: a wrong token or another shop is refused and nothing is written', async () => {
    const wrong = await connect({ ...input(), accessToken: 'not-the-token' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('unprocessable:store_connection');
    const other = await connect({ ...input(), shopDomain: 'other.myshopify.com' });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('unprocessable:store_domain');
    expect(await rawRows()).toEqual([]);
    expect((await connect(input(), merch)).status).toBe(403);
    expect((await connect({ ...input(), shopDomain: 'not a domain' })).status).toBe(400);
  });

  it('keep the token and the webhook secret encrypted at rest and never answer them', async () => {
    const res = await connect(input());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(res.body).toMatchObject({ shopDomain: 'second.myshopify.com', hasWebhookSecret: true, active: true });
    const [row] = await rawRows();
    expect(row!.access_token).toMatch(/^enc:v1:/);
    expect(row!.webhook_secret).toMatch(/^enc:v1:/);
    const dump = JSON.stringify(await queryRows(t.runtime.db, sql`select * from stores`));
    expect(dump).not.toContain(TOKEN);
    expect(dump).not.toContain(SECRET);
    // The app itself opens them: the gateway talks to the store, webhooks find the secret.
    const shop = await (await t.services.shopify.forStoreId(res.body.id)).client('pull').getShop();
    expect(shop.myshopifyDomain).toBe('second.myshopify.com');
    expect((await t.services.stores.byShopDomain('second.myshopify.com'))?.webhookSecret).toBe(SECRET);

    const list = await callRoute(storesRoute.GET, { token: merch });
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([res.body.id]);
    expect(list.body.secretsKey).toBe('database');
    expect(JSON.stringify(list.body)).not.toContain(TOKEN);
    expect((await connect(input())).status).toBe(409);
  });

  it('are removed by deactivation, and come back when connected again', async () => {
    const [row] = await rawRows();
    expect((await callRoute(storeRoute.DELETE, { method: 'DELETE', token: merch, params: { id: row!.id } })).status).toBe(403);
    const removed = await callRoute(storeRoute.DELETE, { method: 'DELETE', token: admin, params: { id: row!.id } });
    expect(removed.status).toBe(200);
    expect(removed.body.active).toBe(false);
    expect((await callRoute(storesRoute.GET, { token: admin })).body.items).toEqual([]);
    expect(await t.services.stores.byShopDomain('second.myshopify.com')).toBeNull();
    const again = await connect(input());
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(row!.id);
  });

  it('written in plaintext before encryption are sealed at start', async () => {
    await t.runtime.db.execute(
      sql`insert into stores (shop_domain, name, access_token, webhook_secret) values ('old.myshopify.com', 'old', 'plain-token', 'plain')`,
    );
    await startServices(t.runtime, t.services);
    const old = (await rawRows()).find((r) => r.access_token !== null && !JSON.stringify(r).includes('second'));
    const dump = JSON.stringify(await rawRows());
    expect(dump).not.toContain('plain-token');
    expect(dump).not.toContain('"plain"');
    expect(old).toBeDefined();
    expect((await t.services.stores.byShopDomain('old.myshopify.com'))?.webhookSecret).toBe('plain');
  });
});
