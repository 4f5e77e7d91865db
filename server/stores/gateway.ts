import { createHash } from 'node:crypto';
import type { Store } from '../../drizzle/schema';
import { createShopifyClient, type ShopifyClient, type ShopifyClientOptions, ThrottleBucket, type ThrottleStats } from '../../lib/shopify';
import type { Executor } from '../db/client';
import type { Logger } from '../logger';
import { ReachabilityTracker, type ShopifyReachability } from './reachability';
import { StoreSecrets } from './secrets';
import { getStore } from './stores';

/**
 * Who talks to Shopify for a store. Each has its own patience, all draw from the store's one
 * bucket: Shopify meters per app and store, so a poll, a pull, webhook re-reads and the push
 * workers share it. Each purpose is a lane of the bucket's scheduler with its share (SHARES).
 * - pull: the pull and registration; the client's defaults (30 s, 5 retries).
 * - webhook: re-reads of what webhooks (and drifted push items) named; same patience as a pull.
 * - poll: runs every minute, so it fails fast and tries again next time rather than retrying long.
 * - push: the engine retries a unit with its own backoff, so a read gives up sooner and a write is
 *   sent once per unit attempt (the unit re-reads before writing again; server/push/run-unit.ts).
 */
export type ShopifyPurpose = 'pull' | 'webhook' | 'poll' | 'push';

/**
 * Each purpose's weight when several wait for points: a person's push gets the largest share, so
 * a webhook backlog slows it by a fraction rather than holding it; the poll keeps a share, so it
 * still succeeds every minute under any backlog. A lane alone takes everything.
 */
export const SHARES: Record<ShopifyPurpose, number> = { push: 4, poll: 2, webhook: 2, pull: 2 };
export type ShopifyTuning = Pick<
  ShopifyClientOptions,
  'requestTimeoutMs' | 'maxRetries' | 'retryBaseDelayMs' | 'retryMaxDelayMs' | 'retryMutations'
>;

const TUNING: Record<ShopifyPurpose, ShopifyTuning> = {
  pull: {},
  webhook: {},
  poll: { maxRetries: 1, retryBaseDelayMs: 250, requestTimeoutMs: 20_000 },
  push: { requestTimeoutMs: 15_000, maxRetries: 3, retryBaseDelayMs: 200, retryMaxDelayMs: 5_000, retryMutations: false },
};

/** One store's way to Shopify: its throttle bucket, and a lib/shopify client per purpose on that bucket. */
export class StoreGateway {
  readonly bucket = new ThrottleBucket({ shares: SHARES });
  private readonly clients = new Map<ShopifyPurpose, ShopifyClient>();

  constructor(
    private readonly store: Store,
    private readonly accessToken: string,
    private readonly logger: Logger,
    private readonly tuning: Record<ShopifyPurpose, ShopifyTuning>,
  ) {}

  client(purpose: ShopifyPurpose): ShopifyClient {
    let client = this.clients.get(purpose);
    if (!client) {
      client = createShopifyClient({
        shopDomain: this.store.shopDomain,
        accessToken: this.accessToken,
        apiVersion: this.store.apiVersion,
        adminUrl: this.store.adminUrl ?? undefined,
        bucket: this.bucket,
        lane: purpose,
        logger: this.logger,
        ...this.tuning[purpose],
      });
      this.clients.set(purpose, client);
    }
    return client;
  }
}

/** The store's endpoint and token: a gateway made for other credentials (or another app) is replaced. */
function credentialsOf(store: Store, accessToken: string): string {
  const token = createHash('sha256').update(accessToken).digest('hex');
  return [store.shopDomain, store.apiVersion, store.adminUrl ?? '', token].join('\n');
}

/**
 * The Shopify gateways of this process, one per store, made on first use and replaced when the
 * store's credentials change. Metrics and health read every store's bucket here.
 */
export class ShopifyGateways {
  private readonly gateways = new Map<string, { credentials: string; gateway: StoreGateway }>();
  private readonly tuning: Record<ShopifyPurpose, ShopifyTuning>;
  private readonly reach = new ReachabilityTracker();

  constructor(
    private readonly db: Executor,
    private readonly logger: Logger,
    tuning: Partial<Record<ShopifyPurpose, ShopifyTuning>> = {},
    private readonly secrets: StoreSecrets = StoreSecrets.none(),
  ) {
    this.tuning = {
      pull: { ...TUNING.pull, ...tuning.pull },
      webhook: { ...TUNING.webhook, ...tuning.webhook },
      poll: { ...TUNING.poll, ...tuning.poll },
      push: { ...TUNING.push, ...tuning.push },
    };
  }

  for(store: Store): StoreGateway {
    const accessToken = this.secrets.open(store.accessToken);
    const credentials = credentialsOf(store, accessToken);
    const known = this.gateways.get(store.id);
    if (known?.credentials === credentials) return known.gateway;
    const gateway = new StoreGateway(store, accessToken, this.logger.child({ component: 'shopify', storeId: store.id }), this.tuning);
    this.gateways.set(store.id, { credentials, gateway });
    this.reach.track(store.id, gateway.bucket.stats());
    return gateway;
  }

  /** The gateway of a store by id, with its credentials as stored now. */
  async forStoreId(storeId: string): Promise<StoreGateway> {
    return this.for(await getStore(this.db, storeId));
  }

  /** Every store's bucket figures, for /metrics and the sync summary. */
  buckets(): Array<{ storeId: string; stats: ThrottleStats }> {
    return [...this.gateways].map(([storeId, { gateway }]) => ({ storeId, stats: gateway.bucket.stats() }));
  }

  /** Whether Shopify answers each store's requests, as this process saw it since the last look. */
  reachability(at = new Date()): ShopifyReachability[] {
    return this.reach.update(this.buckets(), at);
  }
}
