import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/client';
import { queryRows } from '../db/rows';
import type { ThrottleStats } from './shopify-signals';

/**
 * The process's Prometheus metrics. Counters and histograms are fed by the subsystems as things
 * happen; gauges that describe stored state (staged changes, queue depth) are read from the
 * database when scraped, so every process reports the same truth.
 */
export interface Metrics {
  registry: Registry;
  pullDuration: Histogram<'mode' | 'status'>;
  pushDuration: Histogram<'kind' | 'status'>;
  batchItems: Counter<'kind' | 'outcome'>;
  shopifyPoints: Counter<'store'>;
  shopifyRestoreRate: Gauge<'store'>;
  shopifyThrottled: Counter<'store'>;
  shopifyRetries: Counter<'store' | 'reason'>;
  webhookDeliveries: Counter<'topic' | 'result'>;
  webhookLatency: Histogram<'topic'>;
  operations: Counter<'kind' | 'status'>;
}

export interface MetricsSources {
  db: Db;
  socketClients(): number;
  /** The Shopify client's buckets per store (server/metrics/shopify-signals.ts). */
  throttle?(): Array<{ storeId: string; stats: ThrottleStats }>;
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'catalog-sync-desk' });
  collectDefaultMetrics({ register: registry, prefix: 'csd_process_' });
  const r = [registry];

  new Gauge({
    name: 'csd_staged_changes',
    help: 'Staged changes by kind and status',
    labelNames: ['kind', 'status'],
    registers: r,
    async collect() {
      this.reset();
      const rows = await queryRows<{ kind: string; status: string; n: number }>(
        sources.db,
        sql`select kind, status, count(*)::int as n from staged_changes
            where status not in ('superseded') group by kind, status`,
      );
      for (const row of rows) this.set({ kind: row.kind, status: row.status }, row.n);
    },
  });

  new Gauge({
    name: 'csd_queue_depth',
    help: 'Jobs waiting in the durable queue, by priority class',
    labelNames: ['queue', 'priority'],
    registers: r,
    async collect() {
      this.reset();
      const rows = await queryRows<{ queue: string; priority: number; n: number }>(
        sources.db,
        sql`select split_part(name, '/', 1) as queue, priority, count(*)::int as n from pgboss.job
            where state in ('created', 'retry') group by 1, 2`,
      ).catch(() => []);
      const classes: Record<number, string> = { 40: 'critical', 30: 'high', 20: 'normal', 10: 'low', 0: 'batch' };
      for (const row of rows) this.set({ queue: row.queue, priority: classes[row.priority] ?? String(row.priority) }, row.n);
    },
  });

  new Gauge({
    name: 'csd_batch_items',
    help: 'Batch items stored, by batch kind and item status (outcome)',
    labelNames: ['kind', 'status'],
    registers: r,
    async collect() {
      this.reset();
      const rows = await queryRows<{ kind: string; status: string; n: number }>(
        sources.db,
        sql`select b.kind, i.status, count(*)::int as n from batch_items i join batches b on b.id = i.batch_id group by 1, 2`,
      );
      for (const row of rows) this.set({ kind: row.kind, status: row.status }, row.n);
    },
  });

  new Gauge({
    name: 'csd_webhook_deliveries_recent',
    help: 'Incoming webhook deliveries received in the last hour, by result',
    labelNames: ['status'],
    registers: r,
    async collect() {
      this.reset();
      const rows = await queryRows<{ status: string; n: number }>(
        sources.db,
        sql`select status, count(*)::int as n from webhook_deliveries
            where received_at > now() - interval '1 hour' group by status`,
      );
      for (const row of rows) this.set({ status: row.status }, row.n);
    },
  });

  new Gauge({
    name: 'csd_webhook_processing_seconds',
    help: 'Receipt-to-processed latency of webhook deliveries processed in the last 15 minutes',
    labelNames: ['quantile'],
    registers: r,
    async collect() {
      this.reset();
      const [row] = await queryRows<{ p50: number | null; p99: number | null; max: number | null }>(
        sources.db,
        sql`select percentile_cont(0.5) within group (order by s) as p50,
                   percentile_cont(0.99) within group (order by s) as p99, max(s) as max
            from (select extract(epoch from (processed_at - received_at))::float8 as s from webhook_deliveries
                  where processed_at is not null and received_at > now() - interval '15 minutes') d`,
      );
      if (row?.p50 != null) this.set({ quantile: '0.5' }, Number(row.p50));
      if (row?.p99 != null) this.set({ quantile: '0.99' }, Number(row.p99));
      if (row?.max != null) this.set({ quantile: '1' }, Number(row.max));
    },
  });

  new Gauge({
    name: 'csd_shopify_points_per_second',
    help: 'Shopify query cost points consumed per second (recent window), per store',
    labelNames: ['store'],
    registers: r,
    collect() {
      this.reset();
      for (const { storeId, stats } of sources.throttle?.() ?? []) this.set({ store: storeId }, stats.pointsPerSecond);
    },
  });

  new Gauge({
    name: 'csd_shopify_throttle_utilization',
    help: 'Points consumed per second divided by the restore rate (1 = using the whole budget)',
    labelNames: ['store'],
    registers: r,
    collect() {
      this.reset();
      for (const { storeId, stats } of sources.throttle?.() ?? []) {
        if (stats.restoreRate > 0) this.set({ store: storeId }, stats.pointsPerSecond / stats.restoreRate);
      }
    },
  });

  new Gauge({
    name: 'csd_shopify_bucket_available',
    help: 'Points available in the Shopify bucket as last reported, per store',
    labelNames: ['store'],
    registers: r,
    collect() {
      this.reset();
      for (const { storeId, stats } of sources.throttle?.() ?? []) if (stats.available !== undefined) this.set({ store: storeId }, stats.available);
    },
  });

  new Gauge({
    name: 'csd_socket_clients',
    help: 'Connected Socket.IO clients in this process',
    registers: r,
    collect() {
      this.set(sources.socketClients());
    },
  });

  // Cumulative figures of the buckets become counter increments at scrape time (delta since the last scrape).
  const seen = new Map<string, number>();
  const deltaOf = (key: string, value: number): number => {
    const last = seen.get(key) ?? 0;
    seen.set(key, value);
    return value >= last ? value - last : value;
  };
  const fromBuckets = (pick: (s: ThrottleStats) => number, apply: (storeId: string, delta: number) => void, name: string) => () => {
    for (const { storeId, stats } of sources.throttle?.() ?? []) {
      const delta = deltaOf(`${name}:${storeId}`, pick(stats));
      if (delta > 0) apply(storeId, delta);
    }
  };
  const seconds = [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900];
  return {
    registry,
    pullDuration: new Histogram({ name: 'csd_pull_duration_seconds', help: 'Pull duration', labelNames: ['mode', 'status'], buckets: seconds, registers: r }),
    pushDuration: new Histogram({ name: 'csd_push_duration_seconds', help: 'Push or rollback batch duration', labelNames: ['kind', 'status'], buckets: seconds, registers: r }),
    batchItems: new Counter({ name: 'csd_batch_items_total', help: 'Batch items settled, by outcome', labelNames: ['kind', 'outcome'], registers: r }),
    shopifyPoints: new Counter({
      name: 'csd_shopify_cost_points_total',
      help: 'Shopify query cost points consumed (actual cost)',
      labelNames: ['store'],
      registers: r,
      collect() {
        fromBuckets((s) => s.pointsUsed, (store, d) => this.inc({ store }, d), 'points')();
      },
    }),
    shopifyRestoreRate: new Gauge({
      name: 'csd_shopify_restore_rate',
      help: 'Shopify bucket restore rate (points per second)',
      labelNames: ['store'],
      registers: r,
      collect() {
        for (const { storeId, stats } of sources.throttle?.() ?? []) this.set({ store: storeId }, stats.restoreRate);
      },
    }),
    shopifyThrottled: new Counter({
      name: 'csd_shopify_throttled_total',
      help: 'THROTTLED answers and 429s seen (and absorbed) by the client',
      labelNames: ['store'],
      registers: r,
      collect() {
        fromBuckets((s) => s.throttledCount, (store, d) => this.inc({ store }, d), 'throttled')();
      },
    }),
    shopifyRetries: new Counter({
      name: 'csd_shopify_retries_total',
      help: 'Shopify requests retried, by reason',
      labelNames: ['store', 'reason'],
      registers: r,
      collect() {
        fromBuckets((s) => s.retryCount, (store, d) => this.inc({ store, reason: 'any' }, d), 'retries')();
      },
    }),
    webhookDeliveries: new Counter({ name: 'csd_webhook_deliveries_total', help: 'Incoming webhook deliveries, by result', labelNames: ['topic', 'result'], registers: r }),
    webhookLatency: new Histogram({
      name: 'csd_webhook_latency_seconds',
      help: 'Time from receipt to answer for incoming webhooks',
      labelNames: ['topic'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: r,
    }),
    operations: new Counter({ name: 'csd_operations_total', help: 'Operations finished, by kind and status', labelNames: ['kind', 'status'], registers: r }),
  };
}
