import { describe, expect, it } from 'vitest';
import type { Store } from '@/drizzle/schema';
import type { Executor } from '@/server/db/client';
import { createLogger } from '@/server/logger';
import { ShopifyGateways } from '@/server/stores/gateway';

const store = (changes: Partial<Store> = {}) =>
  ({
    id: 'store-1',
    shopDomain: 'shared.myshopify.com',
    accessToken: 'token-a',
    apiVersion: '2026-10',
    adminUrl: 'http://127.0.0.1:1',
    ...changes,
  }) as Store;

describe('Shopify gateways', () => {
  it('give every purpose of a store one bucket, another store its own, and a new one when the credentials change', () => {
    // Looking a store up by id is the only use of the database; these stores are given whole.
    const gateways = new ShopifyGateways({} as Executor, createLogger('silent'));
    const gateway = gateways.for(store());
    expect(gateways.for(store())).toBe(gateway);
    for (const purpose of ['pull', 'webhook', 'poll', 'push'] as const) expect(gateway.client(purpose).bucket).toBe(gateway.bucket);
    expect(gateway.client('poll')).not.toBe(gateway.client('push'));
    expect(gateway.client('push').endpoint).toBe('http://127.0.0.1:1/admin/api/2026-10/graphql.json');

    const other = gateways.for(store({ id: 'store-2', shopDomain: 'other.myshopify.com', adminUrl: null }));
    expect(other.bucket).not.toBe(gateway.bucket);
    expect(other.client('pull').endpoint).toBe('https://other.myshopify.com/admin/api/2026-10/graphql.json');

    const rotated = gateways.for(store({ accessToken: 'token-b' }));
    expect(rotated).not.toBe(gateway);
    expect(rotated.bucket).not.toBe(gateway.bucket);
    expect(gateways.for(store({ accessToken: 'token-b' }))).toBe(rotated);
    expect(gateways.buckets().map((b) => b.storeId)).toEqual(['store-1', 'store-2']);
  });
});
