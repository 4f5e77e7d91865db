import { getPullService } from '../pull/service';
import { BackupPoll } from '../pull/poll';
import type { Runtime } from '../runtime';
import { listStores } from '../stores/stores';
import { registerWebhooks } from '../webhooks/register';
import { getWebhookWorker } from '../webhooks/worker';

/**
 * Starts the pull side in an app process: the webhook worker (and a sweep for deliveries left
 * behind), the one-minute backup poll, and webhook registration when PUBLIC_URL is set.
 */
export async function startStagingSubsystem(runtime: Runtime): Promise<void> {
  const pull = getPullService(runtime);
  runtime.onStop('pulls', () => pull.idle());
  const worker = getWebhookWorker(runtime);
  worker.start();
  worker.kick();
  const poll = new BackupPoll(runtime);
  runtime.services.set('backupPoll', poll);
  poll.start();
  if (runtime.config.PUBLIC_URL) {
    for (const store of await listStores(runtime.db)) {
      void registerWebhooks(runtime, store).catch((err) => runtime.logger.warn({ err, storeId: store.id }, 'webhook registration failed'));
    }
  }
}
