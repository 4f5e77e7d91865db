import { eq, sql } from 'drizzle-orm';
import { type Store, stores } from '../../../drizzle/schema';
import type { Runtime } from '../../runtime';
import type { ShopifyGateways } from '../../stores/gateway';

export const SUBSCRIBED_TOPICS = [
  'products/create',
  'products/update',
  'products/delete',
  'inventory_levels/update',
  'collections/update',
  'collections/create',
  'collections/delete',
] as const;

export function webhookUri(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/webhooks/shopify`;
}

const topicEnum = (topic: string) => topic.replace('/', '_').toUpperCase();

/**
 * Makes sure the store sends our topics to PUBLIC_URL: creates the missing subscriptions, keeps
 * the existing ones (registration is idempotent). Called at start and when a store is connected.
 */
export async function registerWebhooks(
  runtime: Runtime,
  shopify: ShopifyGateways,
  store: Store,
  publicUrl = runtime.config.PUBLIC_URL,
): Promise<{ created: string[]; existing: string[] }> {
  if (!publicUrl) return { created: [], existing: [] };
  const client = shopify.for(store).client('pull');
  const uri = webhookUri(publicUrl);
  const current = await client.listWebhookSubscriptions();
  const created: string[] = [];
  const existing: string[] = [];
  for (const topic of SUBSCRIBED_TOPICS) {
    if (current.some((s) => s.uri === uri && s.topic === topicEnum(topic))) existing.push(topic);
    else {
      await client.createWebhookSubscription({ topic, uri });
      created.push(topic);
    }
  }
  await runtime.db.update(stores).set({ webhooksRegisteredAt: sql`now()`, updatedAt: sql`now()` }).where(eq(stores.id, store.id));
  runtime.logger.info({ storeId: store.id, uri, created, existing }, 'webhook subscriptions registered');
  return { created, existing };
}
