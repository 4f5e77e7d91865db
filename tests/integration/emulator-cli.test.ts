import { type ChildProcess, spawn } from 'node:child_process';
import { createAdminApiClient } from '@shopify/admin-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiver, waitFor } from '../helpers/emulator';

const SHOP = 'cli-store.myshopify.com';
let child: ChildProcess;
let baseUrl = '';
let output = '';

function emulatorProcess(args: string[]): ChildProcess {
  return spawn('npm', ['run', 'emulator', '--', ...args], { cwd: process.cwd(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(async () => {
  child = emulatorProcess([
    '--port',
    '0',
    '--products',
    '1000',
    '--seed',
    '1',
    '--shop',
    SHOP,
    '--token',
    'cli-token',
    '--webhook-secret',
    'cli-secret',
  ]);
  baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}:\n${output}`)));
  });
});

afterAll(() => {
  if (child?.pid) process.kill(-child.pid, 'SIGTERM');
});

function client() {
  return createAdminApiClient({
    storeDomain: SHOP,
    apiVersion: '2026-10',
    accessToken: 'cli-token',
    // The client forces https on the shop domain; the emulator speaks plain http locally.
    customFetchApi: (url, init) => fetch(String(url).replace(`https://${SHOP}`, baseUrl), init as RequestInit),
  });
}

describe('npm run emulator', () => {
  it('answers a products query sent with @shopify/admin-api-client', async () => {
    const res = await client().request(
      `query Products($first: Int!) { products(first: $first) { nodes { id title variants(first: 5) { nodes { sku price } } } } productsCount { count } }`,
      {
        variables: { first: 10 },
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.products.nodes).toHaveLength(10);
    expect(res.data.productsCount.count).toBe(1000);
    expect(res.extensions?.cost).toMatchObject({
      requestedQueryCost: expect.any(Number),
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100 },
    });
  });

  it('answers the same query with a misspelled field with a validation error from the real schema', async () => {
    const res = await client().request(`query Products { products(first: 10) { nodes { id titel } } }`);
    expect(res.data).toBeUndefined();
    const messages = (res.errors?.graphQLErrors ?? []).map((e: { message: string }) => e.message);
    expect(messages.join('\n')).toContain('Cannot query field "titel" on type "Product"');
  });

  it('takes --shop: prints it, answers shop queries with it and sends webhooks as that shop, signed with the secret', async () => {
    await waitFor(() => output.includes(`Shop: ${SHOP}, 1000 products`) || undefined);
    const shop = await client().request(`{ shop { myshopifyDomain } }`);
    expect(shop.data.shop.myshopifyDomain).toBe(SHOP);
    const hook = await receiver('cli-secret');
    try {
      const sub = await client().request(
        `mutation($uri: String!) { webhookSubscriptionCreate(topic: PRODUCTS_UPDATE, webhookSubscription: { uri: $uri }) { userErrors { message } } }`,
        { variables: { uri: hook.url } },
      );
      expect(sub.data.webhookSubscriptionCreate.userErrors).toEqual([]);
      const list = await client().request(`{ products(first: 1) { nodes { id } } }`);
      await client().request(`mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }`, {
        variables: { p: { id: list.data.products.nodes[0].id, title: 'From the CLI' } },
      });
      const hit = await waitFor(() => hook.received[0]);
      expect(hit.headers['x-shopify-shop-domain']).toBe(SHOP);
      expect(hit.accepted).toBe(true);
    } finally {
      hook.server.close();
    }
  });

  it('refuses a --shop that is not a myshopify.com domain, saying why', async () => {
    const bad = emulatorProcess(['--port', '0', '--products', '1', '--shop', 'https://cli-store.myshopify.com/admin']);
    let stderr = '';
    bad.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // An emulator that starts anyway is stopped after a while, so the test fails instead of leaving it running.
    const started = setTimeout(() => process.kill(-bad.pid!, 'SIGTERM'), 20_000);
    const code = await new Promise<number | null>((resolve) => bad.once('exit', resolve)).finally(() => clearTimeout(started));
    expect(code).toBe(1);
    expect(stderr).toContain(`emulator: --shop must be a shop's myshopify.com domain such as my-store.myshopify.com`);
  });
});
