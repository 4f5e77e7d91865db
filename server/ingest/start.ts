import type { Runtime } from '../runtime';
import type { ShopifyGateways } from '../stores/gateway';
import type { BackupPoll } from './poll';
import type { PullService } from './pull/service';
import type { WebhookServices } from './webhooks/receive';

/** The ingest services of a process (built by the composition root, server/services.ts). */
export interface IngestServices {
  pull: PullService;
  poll: BackupPoll;
  webhooks: WebhookServices;
  shopify: ShopifyGateways;
}

/**
 * Starts ingest in an app process: the webhook worker (and a sweep for deliveries left
 * behind), the one-minute backup poll, and the periodic webhook subscription check (with PUBLIC_URL).
 */
export async function startIngest(runtime: Runtime, { pull, poll, webhooks }: IngestServices): Promise<void> {
  runtime.onStop('pulls', () => pull.idle());
  webhooks.worker.start();
  webhooks.worker.kick();
  poll.start();
  webhooks.subscriptions.start();
}
