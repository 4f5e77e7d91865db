import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { route } from '@/server/http/route';
import { getStore } from '@/server/stores/stores';
import { registerWebhooks } from '@/server/webhooks/register';

export const dynamic = 'force-dynamic';

/** Registers (idempotently) the store's webhook subscriptions to PUBLIC_URL. */
export const POST = route({ action: 'settings', params: z.object({ id: z.uuid() }), audit: 'store.webhooks.register' }, async ({ runtime, params, audit }) => {
  const store = await getStore(runtime.db, params.id);
  if (!runtime.config.PUBLIC_URL) throw new AppError('conflict:no_public_url', 'Set PUBLIC_URL to the address Shopify can reach before registering webhooks');
  audit({ entityType: 'store', entityId: store.id, storeId: store.id });
  return registerWebhooks(runtime, store);
});
