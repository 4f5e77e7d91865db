import type { Store } from '../../drizzle/schema';
import type { Runtime } from '../runtime';
import { recordPollResult } from '../stores/poll-health';
import { listStores } from '../stores/stores';
import type { PullService } from './pull/service';

const TICK_MS = 60_000;

/**
 * The backup poll: an incremental pull of every active store each minute (or the store's
 * pollIntervalMinutes; 0 turns it off), so a lost webhook is caught within a minute or two.
 * Health lands on the store row: failures in a row, last success, last error.
 * Stores never pulled are left alone: the first (adopting) pull is an admin's decision.
 */
export class BackupPoll {
  private timer?: NodeJS.Timeout;
  private ticking = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly pull: PullService,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref?.();
    this.runtime.onStop('backup-poll', () => clearInterval(this.timer));
  }

  async tick(now = new Date()): Promise<void> {
    if (this.ticking || this.runtime.stopping) return;
    this.ticking = true;
    try {
      for (const store of await listStores(this.runtime.db)) {
        if (this.due(store, now)) await this.pollStore(store);
      }
    } catch (err) {
      this.runtime.logger.warn({ err }, 'backup poll tick failed');
    } finally {
      this.ticking = false;
    }
  }

  private due(store: Store, now: Date): boolean {
    const minutes = store.settings.pollIntervalMinutes ?? 1;
    if (minutes <= 0 || !store.lastFullPullAt) return false;
    return !store.lastPollAt || now.getTime() - store.lastPollAt.getTime() >= minutes * 60_000 - 5_000;
  }

  /**
   * One incremental pull of the store; never throws. Its duration is recorded here (a poll is no
   * operation; a pull operation's is recorded when the operation finishes), with the same status names.
   */
  async pollStore(store: Store): Promise<void> {
    if (this.pull.current(store.id)) return;
    const started = Date.now();
    try {
      const outcome = await this.pull.poll(store.id);
      await recordPollResult(this.runtime.db, store.id, { ok: true });
      this.runtime.metrics.pullDuration.observe({ mode: 'poll', status: 'completed' }, (Date.now() - started) / 1000);
      if (outcome?.staged.changeIds.length) {
        this.runtime.logger.info(
          { storeId: store.id, staged: outcome.staged.changeIds.length, products: outcome.productsRead },
          'backup poll staged changes',
        );
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await recordPollResult(this.runtime.db, store.id, { ok: false, error: message }).catch(() => {});
      this.runtime.metrics.pullDuration.observe({ mode: 'poll', status: 'failed' }, (Date.now() - started) / 1000);
      this.runtime.logger.warn({ err, storeId: store.id }, 'backup poll failed');
    }
  }
}
