import { eq } from 'drizzle-orm';
import { stores } from '../../drizzle/schema';
import { bucketFor } from '../pull/shopify-reader';
import type { Runtime } from '../runtime';
import { registerAutoApproval } from './auto-approval';
import { Notifier } from './notify';
import type { ShopifyPort } from './port';
import { PushService, type PushServiceOptions } from './service';
import { ShopifyStorePort } from './shopify-port';

/** The throttle figures of a store's shared bucket in this process (benchmarks, metrics). */
export function throttleStats(runtime: Runtime, storeId: string) {
  return bucketFor(runtime, storeId).stats();
}

export interface ShopifyTuning {
  requestTimeoutMs?: number;
  maxRetries?: number;
}

export async function storePort(runtime: Runtime, storeId: string, tuning: ShopifyTuning = {}): Promise<ShopifyPort> {
  const [store] = await runtime.db.select().from(stores).where(eq(stores.id, storeId));
  if (!store) throw new Error(`Store ${storeId} is gone`);
  // Pull, poll and push of one store draw from one bucket: Shopify meters per app and store.
  const bucket = bucketFor(runtime, storeId);
  return ShopifyStorePort.forStore(store, runtime.logger.child({ component: 'shopify', storeId }), bucket, tuning);
}

/**
 * Starts pushing in this process: the engine and its worker, outbound notifications, and
 * auto-approval on staging. Open batches left by a previous process are resumed.
 */
export async function startPush(runtime: Runtime, overrides: Partial<PushServiceOptions> & { shopify?: ShopifyTuning } = {}): Promise<PushService> {
  const notifier = runtime.queue ? new Notifier(runtime.db, runtime.queue, runtime.logger.child({ component: 'notify' }), { baseDelayMs: runtime.config.NOTIFY_RETRY_BASE_MS }) : null;
  const service = new PushService(runtime, {
    portFor: (storeId) => storePort(runtime, storeId, overrides.shopify),
    leaseMs: runtime.config.PUSH_LEASE_SECONDS * 1000,
    onBatchFinished: (batch) => notifier?.batchFinished(batch),
    ...overrides,
  });
  runtime.services.set('push', service);
  if (notifier) runtime.services.set('notifier', notifier);
  const unregister = registerAutoApproval(runtime.logger.child({ component: 'auto-approval' }));
  runtime.onStop('push', async () => {
    unregister();
    await service.stop();
  });
  if (notifier) await notifier.start();
  await service.start();
  return service;
}
