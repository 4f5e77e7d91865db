import { asc, eq, sql } from 'drizzle-orm';
import { type Store, stores } from '../../drizzle/schema';
import type { Config } from '../../lib/env';
import { notFound } from '../../lib/errors';
import type { Executor } from '../db/client';
import type { StoreSecrets } from './secrets';

/** What the API and the browser may see of a store: never its token or webhook secret. */
export function presentStore(store: Store) {
  return {
    id: store.id,
    name: store.name,
    shopDomain: store.shopDomain,
    apiVersion: store.apiVersion,
    adminUrl: store.adminUrl,
    source: store.source,
    active: store.active,
    settings: store.settings,
    lastPullAt: store.lastPullAt?.toISOString() ?? null,
    lastFullPullAt: store.lastFullPullAt?.toISOString() ?? null,
    incrementalCursor: store.incrementalCursor?.toISOString() ?? null,
    webhooksRegisteredAt: store.webhooksRegisteredAt?.toISOString() ?? null,
    hasWebhookSecret: Boolean(store.webhookSecret),
    health: {
      pollFailures: store.pollFailures,
      lastPollAt: store.lastPollAt?.toISOString() ?? null,
      lastPollSuccessAt: store.lastPollSuccessAt?.toISOString() ?? null,
      lastPollError: store.lastPollError,
    },
  };
}
export type StoreView = ReturnType<typeof presentStore>;

export async function listStores(db: Executor): Promise<Store[]> {
  return db.select().from(stores).where(eq(stores.active, true)).orderBy(asc(stores.createdAt));
}

export async function getStore(db: Executor, id: string): Promise<Store> {
  const [store] = await db.select().from(stores).where(eq(stores.id, id));
  if (!store) throw notFound('store', id);
  return store;
}

/** The store to act on when a request names none: the only (or first) active store. */
export async function defaultStore(db: Executor): Promise<Store> {
  const [store] = await listStores(db);
  if (!store) throw notFound('store');
  return store;
}

/** The store configured by SHOPIFY_SHOP and friends is kept in step with the environment at start. */
export async function upsertEnvStore(db: Executor, config: Config, secrets: StoreSecrets): Promise<Store | null> {
  if (!config.SHOPIFY_SHOP || !config.SHOPIFY_ACCESS_TOKEN) return null;
  const values = {
    shopDomain: config.SHOPIFY_SHOP,
    name: config.SHOPIFY_SHOP.replace(/\.myshopify\.com$/, ''),
    adminUrl: config.SHOPIFY_ADMIN_URL ?? null,
    apiVersion: config.SHOPIFY_API_VERSION,
    accessToken: secrets.seal(config.SHOPIFY_ACCESS_TOKEN),
    webhookSecret: config.SHOPIFY_WEBHOOK_SECRET ? secrets.seal(config.SHOPIFY_WEBHOOK_SECRET) : null,
    source: 'env' as const,
  };
  const [store] = await db
    .insert(stores)
    .values(values)
    .onConflictDoUpdate({
      target: stores.shopDomain,
      set: {
        adminUrl: values.adminUrl,
        apiVersion: values.apiVersion,
        accessToken: values.accessToken,
        webhookSecret: values.webhookSecret,
        active: true,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  return store!;
}
