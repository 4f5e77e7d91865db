import { spawn, type ChildProcess } from 'node:child_process';
import { createAdminApiClient } from '@shopify/admin-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let child: ChildProcess;
let baseUrl = '';

beforeAll(async () => {
  child = spawn('npm', ['run', 'emulator', '--', '--port', '0', '--products', '1000', '--seed', '1', '--token', 'cli-token', '--webhook-secret', 'cli-secret'], {
    cwd: process.cwd(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
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
    storeDomain: 'emulator-store.myshopify.com',
    apiVersion: '2026-10',
    accessToken: 'cli-token',
    // The client forces https on the shop domain; the emulator speaks plain http locally.
    customFetchApi: (url, init) => fetch(String(url).replace('https://emulator-store.myshopify.com', baseUrl), init as RequestInit),
  });
}

describe('npm run emulator', () => {
  it('answers a products query sent with @shopify/admin-api-client', async () => {
    const res = await client().request(`query Products($first: Int!) { products(first: $first) { nodes { id title variants(first: 5) { nodes { sku price } } } } productsCount { count } }`, {
      variables: { first: 10 },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.products.nodes).toHaveLength(10);
    expect(res.data.productsCount.count).toBe(1000);
    expect(res.extensions?.cost).toMatchObject({ requestedQueryCost: expect.any(Number), throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } });
  });

  it('answers the same query with a misspelled field with a validation error from the real schema', async () => {
    const res = await client().request(`query Products { products(first: 10) { nodes { id titel } } }`);
    expect(res.data).toBeUndefined();
    const messages = (res.errors?.graphQLErrors ?? []).map((e: { message: string }) => e.message);
    expect(messages.join('\n')).toContain('Cannot query field "titel" on type "Product"');
  });
});
