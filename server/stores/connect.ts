import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Store, stores } from '../../drizzle/schema';
import { AppError } from '../../lib/errors';
import { createShopifyClient, ShopifyError, ThrottleBucket } from '../../lib/shopify';
import type { Executor } from '../db/client';
import type { StoreSecrets } from './secrets';

/** A store connected in Settings (POST /api/stores). */
export const storeConnectSchema = z.strictObject({
  name: z.string().trim().min(1, 'name is required').max(100),
  shopDomain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+(:\d{1,5})?$/, 'must be a shop domain such as my-store.myshopify.com'),
  /** Endpoint override (the emulator); empty or absent: https://{shopDomain}. */
  adminUrl: z
    .union([z.literal(''), z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' })])
    .optional()
    .transform((v) => (v ? v.replace(/\/+$/, '') : null)),
  apiVersion: z
    .string()
    .trim()
    .regex(/^\d{4}-(01|04|07|10)$|^unstable$/, 'must be an API version such as 2026-10')
    .default('2026-10'),
  accessToken: z.string().trim().min(1, 'access token is required').max(500),
  webhookSecret: z
    .string()
    .trim()
    .max(500)
    .optional()
    .transform((v) => v || null),
});
export type StoreConnectInput = z.infer<typeof storeConnectSchema>;

/**
 * Asks the shop who the token answers for, through the real client (its own bucket: the store is
 * not one of ours yet). A refusal or an unreachable endpoint is a 422 naming what Shopify said;
 * a token of another shop is refused too, since webhooks name the store by its domain.
 */
export async function testConnection(input: StoreConnectInput): Promise<{ name: string; myshopifyDomain: string }> {
  const client = createShopifyClient({
    shopDomain: input.shopDomain,
    accessToken: input.accessToken,
    apiVersion: input.apiVersion,
    adminUrl: input.adminUrl ?? undefined,
    bucket: new ThrottleBucket(),
    requestTimeoutMs: 10_000,
    maxRetries: 1,
    retryBaseDelayMs: 200,
  });
  let shop: { name: string; myshopifyDomain: string };
  try {
    shop = await client.getShop();
  } catch (err) {
    const message = err instanceof ShopifyError || err instanceof Error ? err.message : String(err);
    throw new AppError('unprocessable:store_connection', `The store did not answer the connection test: ${message}`);
  }
  if (shop.myshopifyDomain.toLowerCase() !== input.shopDomain)
    throw new AppError(
      'unprocessable:store_domain',
      `The token answers for ${shop.myshopifyDomain}, not ${input.shopDomain}: give the store's own domain`,
    );
  return shop;
}

/**
 * Connects a store after its connection test: a new row, or a store removed before (same domain)
 * brought back with the new credentials. Token and secret are sealed before they are written.
 */
export async function connectStore(db: Executor, secrets: StoreSecrets, input: StoreConnectInput): Promise<Store> {
  await testConnection(input);
  const [known] = await db.select().from(stores).where(eq(stores.shopDomain, input.shopDomain));
  if (known?.active) throw new AppError('conflict:store_exists', `${input.shopDomain} is connected already`);
  const values = {
    name: input.name,
    adminUrl: input.adminUrl,
    apiVersion: input.apiVersion,
    accessToken: secrets.seal(input.accessToken),
    webhookSecret: input.webhookSecret === null ? null : secrets.seal(input.webhookSecret),
  };
  if (known) {
    const [store] = await db
      .update(stores)
      .set({ ...values, active: true, updatedAt: sql`now()` })
      .where(eq(stores.id, known.id))
      .returning();
    return store!;
  }
  const [store] = await db
    .insert(stores)
    .values({ ...values, shopDomain: input.shopDomain, source: 'settings' })
    .returning();
  return store!;
}

/**
 * Removes a store from the desk: it is deactivated (no poll, no webhooks answered, not listed),
 * its catalog, changes and history are kept, and connecting the same domain again brings it back.
 */
export async function deactivateStore(db: Executor, id: string): Promise<Store> {
  const [store] = await db.update(stores).set({ active: false, updatedAt: sql`now()` }).where(eq(stores.id, id)).returning();
  if (!store) throw new AppError('not_found:store', `No store ${id}`);
  return store;
}
