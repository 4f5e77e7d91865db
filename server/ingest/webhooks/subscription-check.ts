import { eq, sql } from 'drizzle-orm';
import { type Store, stores, type WebhookCheck } from '../../../drizzle/schema';
import type { Runtime } from '../../runtime';
import type { ShopifyGateways } from '../../stores/gateway';
import { listStores } from '../../stores/stores';
import { registerWebhooks } from './register';

/**
 * Every few minutes (WEBHOOK_CHECK_MINUTES) each store's webhook subscriptions are listed through its
 * Shopify gateway and what is missing is registered again: Shopify deletes a subscription whose
 * deliveries keep failing, and without this the backup poll would quietly carry everything. Each
 * check is recorded on the store (stores.webhook_check) for the health panel and GET /api/health.
 * Needs PUBLIC_URL (the address the subscriptions point at); without it there is nothing to check.
 */
export class WebhookSubscriptionCheck {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;

  constructor(
    private readonly runtime: Runtime,
    private readonly shopify: ShopifyGateways,
  ) {}

  /** Checks now, then every WEBHOOK_CHECK_MINUTES. */
  start(): void {
    if (this.timer || !this.runtime.config.PUBLIC_URL) return;
    const run = () => {
      this.running ??= this.checkAll().finally(() => {
        this.running = null;
      });
    };
    run();
    this.timer = setInterval(run, this.runtime.config.WEBHOOK_CHECK_MINUTES * 60_000);
    this.timer.unref?.();
    this.runtime.onStop('webhook-subscription-check', async () => {
      clearInterval(this.timer);
      await this.running;
    });
  }

  /** Resolves when no periodic check is running. */
  async idle(): Promise<void> {
    await this.running;
  }

  async checkAll(): Promise<void> {
    for (const store of await listStores(this.runtime.db)) {
      if (this.runtime.stopping) return;
      await this.check(store);
    }
  }

  /** Lists the store's subscriptions, registers the missing ones, records the outcome; never throws. */
  async check(store: Store): Promise<WebhookCheck> {
    let outcome: WebhookCheck;
    try {
      const { created } = await registerWebhooks(this.runtime, this.shopify, store);
      outcome = { checkedAt: new Date().toISOString(), missing: created, error: null };
      if (created.length)
        this.runtime.logger.warn({ storeId: store.id, topics: created }, 'webhook subscriptions were missing; registered again');
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      outcome = { checkedAt: new Date().toISOString(), missing: store.webhookCheck?.missing ?? [], error };
      this.runtime.logger.warn({ err, storeId: store.id }, 'webhook subscription check failed');
    }
    await this.runtime.db.update(stores).set({ webhookCheck: outcome, updatedAt: sql`now()` }).where(eq(stores.id, store.id));
    return outcome;
  }
}
