/**
 * Where the Shopify client's per-store leaky buckets make their figures visible to /metrics and
 * health without either side importing the other: the client (or the push engine) registers each
 * bucket under its store id; the metrics registry reads `stats()` when scraped.
 */
export interface ThrottleStats {
  /** Query cost points consumed since the bucket was created. */
  pointsUsed: number;
  /** Points consumed per second over the recent window. */
  pointsPerSecond: number;
  /** Shopify's restore rate for the store (points per second). */
  restoreRate: number;
  /** THROTTLED answers (and 429s) seen since the bucket was created. */
  throttledCount: number;
  /** Requests retried (throttle, 5xx, network) since the bucket was created. */
  retryCount: number;
  /** Points currently available, as last reported by Shopify. */
  available?: number;
  maximum?: number;
  /** Requests Shopify answered (any answer carrying a cost, THROTTLED, 429); with retryCount, tells whether Shopify answers. */
  answers?: number;
}

export interface ThrottleStatsSource {
  stats(): ThrottleStats;
}

/** The runtime service name the registry lives under. */
export const SHOPIFY_SIGNALS_SERVICE = 'shopifySignals';

/** Whether Shopify answers a store's requests, as the client last saw it. */
export interface ShopifyReachability {
  storeId: string;
  reachable: boolean;
  consecutiveFailures: number;
  /** When the current run of failures began (null while reachable). */
  failingSince: string | null;
  lastError: string | null;
  lastSuccessAt: string | null;
}

export class ShopifySignals {
  private readonly sources = new Map<string, ThrottleStatsSource>();
  private readonly reach = new Map<string, ShopifyReachability>();
  private readonly seen = new Map<string, { answers: number; retries: number }>();

  /**
   * The client reports each request's transport outcome (network error or 5xx = failure; any
   * GraphQL answer = success) so health can say "Shopify unreachable since ..." while jobs wait.
   */
  recordOutcome(storeId: string, outcome: { ok: true } | { ok: false; error: string }, at = new Date()): void {
    const prev = this.reach.get(storeId);
    if (outcome.ok) {
      this.reach.set(storeId, { storeId, reachable: true, consecutiveFailures: 0, failingSince: null, lastError: prev?.lastError ?? null, lastSuccessAt: at.toISOString() });
      return;
    }
    this.reach.set(storeId, {
      storeId,
      reachable: false,
      consecutiveFailures: (prev?.consecutiveFailures ?? 0) + 1,
      failingSince: prev?.failingSince ?? at.toISOString(),
      lastError: outcome.error.slice(0, 300),
      lastSuccessAt: prev?.lastSuccessAt ?? null,
    });
  }

  /**
   * Reachability per store: what clients reported with `recordOutcome`, and what the registered
   * buckets show since the last look (answers counted -> reachable; only retries -> failing).
   */
  reachability(at = new Date()): ShopifyReachability[] {
    for (const { storeId, stats } of this.snapshot()) {
      if (stats.answers === undefined) continue;
      const last = this.seen.get(storeId);
      this.seen.set(storeId, { answers: stats.answers, retries: stats.retryCount });
      if (!last) continue;
      const answered = stats.answers - last.answers;
      const failed = stats.retryCount - last.retries;
      if (answered > 0) this.recordOutcome(storeId, { ok: true }, at);
      else if (failed > 0) {
        for (let i = 0; i < failed; i++) this.recordOutcome(storeId, { ok: false, error: 'Shopify did not answer (network error, timeout or 5xx); requests are being retried' }, at);
      }
    }
    return [...this.reach.values()];
  }

  /**
   * Registers (or replaces) a store's bucket as used by one component (push, pull...); the figures
   * of a store's components are added up. Returns a function that unregisters it.
   */
  register(storeId: string, source: ThrottleStatsSource, component = 'default'): () => void {
    const key = `${storeId}\u0000${component}`;
    this.sources.set(key, source);
    const stats = (() => {
      try {
        return source.stats();
      } catch {
        return null;
      }
    })();
    if (stats?.answers !== undefined && !this.seen.has(storeId)) {
      const current = this.snapshot().find((s) => s.storeId === storeId)?.stats;
      this.seen.set(storeId, { answers: current?.answers ?? 0, retries: current?.retryCount ?? 0 });
    }
    return () => {
      if (this.sources.get(key) === source) this.sources.delete(key);
    };
  }

  /** Current stats per store (components added up); a source that throws is skipped rather than failing the scrape. */
  snapshot(): Array<{ storeId: string; stats: ThrottleStats }> {
    const byStore = new Map<string, ThrottleStats>();
    for (const [key, source] of this.sources) {
      const storeId = key.slice(0, key.indexOf('\u0000'));
      let stats: ThrottleStats;
      try {
        stats = source.stats();
      } catch {
        continue; // a bucket being torn down: leave it out of this scrape
      }
      const prev = byStore.get(storeId);
      byStore.set(storeId, prev ? addStats(prev, stats) : { ...stats });
    }
    return [...byStore].map(([storeId, stats]) => ({ storeId, stats }));
  }
}

function addStats(a: ThrottleStats, b: ThrottleStats): ThrottleStats {
  const opt = (x?: number, y?: number) => (x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0));
  return {
    pointsUsed: a.pointsUsed + b.pointsUsed,
    pointsPerSecond: a.pointsPerSecond + b.pointsPerSecond,
    restoreRate: Math.max(a.restoreRate, b.restoreRate),
    throttledCount: a.throttledCount + b.throttledCount,
    retryCount: a.retryCount + b.retryCount,
    available: a.available === undefined ? b.available : b.available === undefined ? a.available : Math.min(a.available, b.available),
    maximum: a.maximum ?? b.maximum,
    answers: opt(a.answers, b.answers),
  };
}

/** The runtime's registry, created on first use. */
export function shopifySignals(services: Map<string, unknown>): ShopifySignals {
  let sources = services.get(SHOPIFY_SIGNALS_SERVICE) as ShopifySignals | undefined;
  if (!sources) {
    sources = new ShopifySignals();
    services.set(SHOPIFY_SIGNALS_SERVICE, sources);
  }
  return sources;
}
