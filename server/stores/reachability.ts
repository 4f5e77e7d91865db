import type { ShopifyReachability } from '../../lib/dashboard/health';
import type { ThrottleStats } from '../../lib/shopify';

export type { ShopifyReachability };

/**
 * Whether Shopify answers a store's requests, told by its bucket's counters between two looks:
 * answers counted -> reachable; only retries (network errors, timeouts, 5xx) -> failing, one
 * failure per retry, so health can say "unreachable since ..." while jobs wait and retry.
 */
export class ReachabilityTracker {
  private readonly reach = new Map<string, ShopifyReachability>();
  private readonly seen = new Map<string, { answers: number; retries: number }>();

  /** Starts counting from these figures (a new bucket for the store starts from zero). */
  track(storeId: string, stats: ThrottleStats): void {
    this.seen.set(storeId, { answers: stats.answers, retries: stats.retryCount });
  }

  update(buckets: Array<{ storeId: string; stats: ThrottleStats }>, at: Date): ShopifyReachability[] {
    for (const { storeId, stats } of buckets) {
      const last = this.seen.get(storeId);
      this.seen.set(storeId, { answers: stats.answers, retries: stats.retryCount });
      if (!last) continue;
      const failed = stats.retryCount - last.retries;
      if (stats.answers > last.answers) this.answered(storeId, at);
      else for (let i = 0; i < failed; i++) this.failed(storeId, at);
    }
    return [...this.reach.values()];
  }

  private answered(storeId: string, at: Date): void {
    const prev = this.reach.get(storeId);
    this.reach.set(storeId, {
      storeId,
      reachable: true,
      consecutiveFailures: 0,
      failingSince: null,
      lastError: prev?.lastError ?? null,
      lastSuccessAt: at.toISOString(),
    });
  }

  private failed(storeId: string, at: Date): void {
    const prev = this.reach.get(storeId);
    this.reach.set(storeId, {
      storeId,
      reachable: false,
      consecutiveFailures: (prev?.consecutiveFailures ?? 0) + 1,
      failingSince: prev?.failingSince ?? at.toISOString(),
      lastError: 'Shopify did not answer (network error, timeout or 5xx); requests are being retried',
      lastSuccessAt: prev?.lastSuccessAt ?? null,
    });
  }
}
