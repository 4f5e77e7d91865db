import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { route } from '@/server/http/route';
import { registerWebhooks } from '@/server/ingest/webhooks/register';
import { getStore } from '@/server/stores/stores';

export const dynamic = 'force-dynamic';

/** Registers (idempotently) the store's webhook subscriptions to PUBLIC_URL. */
export const POST = route(
  { action: 'settings', params: z.object({ id: z.uuid() }), audit: 'store.webhooks.register' },
  async ({ runtime, services, params, audit }) => {
    const store = await getStore(runtime.db, params.id);
    if (!runtime.config.PUBLIC_URL)
      throw new AppError('conflict:no_public_url', 'Set PUBLIC_URL to the address Shopify can reach before registering webhooks');
    audit({ entityType: 'store', entityId: store.id, storeId: store.id });
    return registerWebhooks(runtime, services.shopify, store);
  },
);
