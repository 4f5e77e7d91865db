import { BackupPoll } from './ingest/poll';
import { PullService } from './ingest/pull/service';
import { startIngest } from './ingest/start';
import { DeliveryRecorder } from './ingest/webhooks/deliveries';
import type { WebhookServices } from './ingest/webhooks/receive';
import { UnknownShopRefusals } from './ingest/webhooks/refusals';
import { WebhookSubscriptionCheck } from './ingest/webhooks/subscription-check';
import { UnverifiedWebhookLimiter } from './ingest/webhooks/unverified-limit';
import { WebhookWorker } from './ingest/webhooks/worker';
import { Notifier } from './push/notify';
import { ScheduleService, type ScheduleServiceOptions, startSchedules } from './push/schedule/service';
import { PushService, type PushServiceOptions } from './push/service';
import { shopifyPorts, startPush } from './push/subsystem';
import type { SocketServer } from './realtime/socket-server';
import type { Runtime } from './runtime';
import { ShopifyGateways, type ShopifyPurpose, type ShopifyTuning } from './stores/gateway';
import { StoreLookup } from './stores/lookup';
import { upsertEnvStore } from './stores/stores';

/**
 * The long-lived services of an app process, built once at start on its runtime (the composition
 * root, beside app-server.ts). Each takes what it needs as constructor arguments, so a reader
 * sees who depends on whom; route handlers receive them as `ctx.services`.
 */
export interface Services {
  /** The socket server (its client count for metrics and health); null where no HTTP server is attached. */
  socket: SocketServer | null;
  /** Active stores by shop domain, for webhook deliveries (kept a second). */
  stores: StoreLookup;
  /** One Shopify gateway per store: its throttle bucket and the lib/shopify verbs, shared by ingest and push. */
  shopify: ShopifyGateways;
  pull: PullService;
  poll: BackupPoll;
  webhooks: WebhookServices;
  push: PushService;
  /** Scheduled pushes and change windows (server/push/schedule). */
  schedules: ScheduleService;
  /** Outbound batch notifications; null without the queue. */
  notifier: Notifier | null;
}

export interface ServicesOptions {
  socket?: SocketServer | null;
  /** Per-purpose client tuning over the defaults (tests shorten the push's timeouts). */
  shopify?: Partial<Record<ShopifyPurpose, ShopifyTuning>>;
  push?: Partial<Omit<PushServiceOptions, 'portFor'>>;
  schedules?: ScheduleServiceOptions;
}

export function createServices(runtime: Runtime, options: ServicesOptions = {}): Services {
  const { config, db, logger, queue } = runtime;
  const socket = options.socket ?? null;
  const shopify = new ShopifyGateways(db, logger, options.shopify, runtime.storeSecrets);
  const pull = new PullService(runtime, shopify);
  const notifier = queue
    ? new Notifier(db, queue, logger.child({ component: 'notify' }), {
        baseDelayMs: config.NOTIFY_RETRY_BASE_MS,
        allowPrivateTargets: config.ALLOW_PRIVATE_NOTIFICATION_TARGETS,
      })
    : null;
  const push = new PushService(runtime, {
    portFor: shopifyPorts(shopify),
    leaseMs: config.PUSH_LEASE_SECONDS * 1000,
    onBatchFinished: (batch) => notifier?.batchFinished(batch),
    // A drifted item's entity is re-read and restaged at once: the conflict shows in review now.
    onDrift: (storeId, drifted) =>
      Promise.all([
        drifted.products.length ? pull.refreshProducts(storeId, drifted.products, 'drift') : null,
        ...drifted.collections.map((id) => pull.refreshCollection(storeId, id, 'drift')),
      ]),
    ...options.push,
  });
  runtime.metrics.attach({ socketClients: () => socket?.clients() ?? 0, throttle: () => shopify.buckets() });
  return {
    socket,
    stores: new StoreLookup(db, runtime.storeSecrets),
    shopify,
    pull,
    poll: new BackupPoll(runtime, pull),
    webhooks: {
      recorder: new DeliveryRecorder(db, runtime.database.kind),
      limiter: new UnverifiedWebhookLimiter(db, config.WEBHOOK_UNVERIFIED_PER_MINUTE),
      worker: new WebhookWorker(runtime, pull),
      refusals: new UnknownShopRefusals(logger.child({ component: 'webhooks' })),
      subscriptions: new WebhookSubscriptionCheck(runtime, shopify),
    },
    push,
    schedules: new ScheduleService(runtime, push, options.schedules),
    notifier,
  };
}

/**
 * Starts what runs in the background of an app process (workers, schedules, leases): the store
 * configured by the environment is kept in step first. Each part registers its own closer.
 */
export async function startServices(runtime: Runtime, services: Services): Promise<void> {
  const store = await upsertEnvStore(runtime.db, runtime.config, runtime.storeSecrets);
  const sealed = await runtime.storeSecrets.sealPlaintextRows(runtime.db);
  if (sealed) runtime.logger.info({ stores: sealed }, 'store credentials stored in plaintext were encrypted');
  if (runtime.storeSecrets.source === 'database')
    runtime.logger.warn('STORE_SECRETS_KEY is not set: store credentials are encrypted with a key kept in the database');
  services.stores.clear();
  if (store) runtime.logger.info({ storeId: store.id, shop: store.shopDomain }, 'store from environment');
  await startIngest(runtime, services);
  await startPush(runtime, services.push, services.notifier);
  await startSchedules(runtime, services.schedules);
}
