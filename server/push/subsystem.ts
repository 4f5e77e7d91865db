import { registerAutoApproval } from '../review/auto-approval';
import type { Runtime } from '../runtime';
import type { ShopifyGateways } from '../stores/gateway';
import type { Notifier } from './notify';
import type { ShopifyPort } from './port';
import type { PushService } from './service';
import { ShopifyStorePort } from './shopify-port';

/** The push engine's port to a store: the store's gateway (its bucket, the push's tuning) behind the thin adapter. */
export function shopifyPorts(shopify: ShopifyGateways): (storeId: string) => Promise<ShopifyPort> {
  return async (storeId) => new ShopifyStorePort((await shopify.forStoreId(storeId)).client('push'));
}

/**
 * Starts pushing in this process: auto-approval on staging, outbound notifications, the engine's
 * worker. Open batches left by a previous process are resumed.
 */
export async function startPush(runtime: Runtime, push: PushService, notifier: Notifier | null): Promise<void> {
  const unregister = registerAutoApproval(runtime.logger.child({ component: 'auto-approval' }));
  runtime.onStop('push', async () => {
    unregister();
    await push.stop();
  });
  if (notifier) await notifier.start();
  await push.start();
}
