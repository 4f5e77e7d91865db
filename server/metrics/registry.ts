import { type SQL, sql } from 'drizzle-orm';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ThrottleStats } from '../../lib/shopify';
import type { Db } from '../db/client';
import { CHANGE_STATUS } from '../db/literals';
import { queryRows } from '../db/rows';

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
  /** Where the gauges of this process's live state read it; set once the services exist (until then: none). */
  attach(sources: LiveSources): void;
}

/** This process's live state: its socket clients and the Shopify buckets of its stores (the gateways). */
export interface LiveSources {
  socketClients(): number;
  throttle(): Array<{ storeId: string; stats: ThrottleStats }>;
}

export function createMetrics(db: Db): Metrics {
  let live: LiveSources = { socketClients: () => 0, throttle: () => [] };
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'catalog-sync-desk' });
  collectDefaultMetrics({ register: registry, prefix: 'csd_process_' });
  const r = [registry];

  /**
   * A gauge of stored rows counted by labels: the query answers one row per label set, with `n`.
   * `beforeSchema`: the table may not exist yet (pg-boss creates its own at start): none counted then.
   */
  const countGauge = <L extends string>(name: string, help: string, labelNames: L[], query: SQL, beforeSchema = false) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: r,
      async collect() {
        this.reset();
        const read = queryRows<Record<L, string> & { n: number }>(db, query);
        const rows = beforeSchema ? await read.catch(() => []) : await read;
        for (const row of rows) {
          const { n, ...labels } = row;
          this.set(labels as unknown as Record<L, string>, n);
        }
      },
    });

  countGauge(
    'csd_staged_changes',
    'Staged changes by kind and status',
    ['kind', 'status'],
    sql`select kind, status, count(*)::int as n from staged_changes where status <> ${CHANGE_STATUS.superseded} group by 1, 2`,
  );
  countGauge(
    'csd_queue_depth',
    'Jobs waiting in the durable queue, by priority class',
    ['queue', 'priority'],
    sql`select split_part(name, '/', 1) as queue,
               case priority when 40 then 'critical' when 30 then 'high' when 20 then 'normal' when 10 then 'low' when 0 then 'batch'
                             else priority::text end as priority,
               count(*)::int as n
        from pgboss.job where state in ('created', 'retry') group by 1, 2`,
    true,
  );
  countGauge(
    'csd_batch_items',
    'Batch items stored, by batch kind and item status (outcome)',
    ['kind', 'status'],
    sql`select b.kind, i.status, count(*)::int as n from batch_items i join batches b on b.id = i.batch_id group by 1, 2`,
  );
  countGauge(
    'csd_webhook_deliveries_recent',
    'Incoming webhook deliveries received in the last hour, by result',
    ['status'],
    sql`select status, count(*)::int as n from webhook_deliveries where received_at > now() - interval '1 hour' group by status`,
  );

  new Gauge({
    name: 'csd_webhook_processing_seconds',
    help: 'Receipt-to-processed latency of webhook deliveries processed in the last 15 minutes',
    labelNames: ['quantile'],
    registers: r,
    async collect() {
      this.reset();
      const [row] = await queryRows<{ p50: number | null; p99: number | null; max: number | null }>(
        db,
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

  /** A gauge of one figure of every store's throttle bucket, as this process sees it. */
  const bucketGauge = (name: string, help: string, value: (s: ThrottleStats) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['store'],
      registers: r,
      collect() {
        this.reset();
        for (const { storeId, stats } of live.throttle()) {
          const v = value(stats);
          if (v !== null) this.set({ store: storeId }, v);
        }
      },
    });
  bucketGauge(
    'csd_shopify_points_per_second',
    'Shopify query cost points consumed per second (recent window), per store',
    (s) => s.pointsPerSecond,
  );
  bucketGauge(
    'csd_shopify_throttle_utilization',
    'Points consumed per second divided by the restore rate (1 = using the whole budget)',
    (s) => (s.restoreRate > 0 ? s.pointsPerSecond / s.restoreRate : null),
  );
  bucketGauge(
    'csd_shopify_bucket_available',
    'Points available in the Shopify bucket as last reported, per store',
    (s) => s.currentlyAvailable,
  );

  new Gauge({
    name: 'csd_socket_clients',
    help: 'Connected Socket.IO clients in this process',
    registers: r,
    collect() {
      this.set(live.socketClients());
    },
  });

  // Cumulative figures of the buckets become counter increments at scrape time (delta since the last scrape).
  const seen = new Map<string, number>();
  const deltaOf = (key: string, value: number): number => {
    const last = seen.get(key) ?? 0;
    seen.set(key, value);
    return value >= last ? value - last : value;
  };
  /** A counter of one running total of every store's throttle bucket, advanced by its delta at each scrape. */
  const bucketCounter = (name: string, help: string, total: (s: ThrottleStats) => number, labels: Record<string, string> = {}) =>
    new Counter({
      name,
      help,
      labelNames: ['store', ...Object.keys(labels)],
      registers: r,
      collect() {
        for (const { storeId, stats } of live.throttle()) {
          const delta = deltaOf(`${name}:${storeId}`, total(stats));
          if (delta > 0) this.inc({ store: storeId, ...labels }, delta);
        }
      },
    });
  const seconds = [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900];
  return {
    registry,
    pullDuration: new Histogram({
      name: 'csd_pull_duration_seconds',
      help: 'Pull duration',
      labelNames: ['mode', 'status'],
      buckets: seconds,
      registers: r,
    }),
    pushDuration: new Histogram({
      name: 'csd_push_duration_seconds',
      help: 'Push or rollback batch duration',
      labelNames: ['kind', 'status'],
      buckets: seconds,
      registers: r,
    }),
    batchItems: new Counter({
      name: 'csd_batch_items_total',
      help: 'Batch items settled, by outcome',
      labelNames: ['kind', 'outcome'],
      registers: r,
    }),
    shopifyPoints: bucketCounter('csd_shopify_cost_points_total', 'Shopify query cost points consumed (actual cost)', (s) => s.pointsUsed),
    shopifyRestoreRate: new Gauge({
      name: 'csd_shopify_restore_rate',
      help: 'Shopify bucket restore rate (points per second)',
      labelNames: ['store'],
      registers: r,
      collect() {
        for (const { storeId, stats } of live.throttle()) this.set({ store: storeId }, stats.restoreRate);
      },
    }),
    shopifyThrottled: bucketCounter(
      'csd_shopify_throttled_total',
      'THROTTLED answers and 429s seen (and absorbed) by the client',
      (s) => s.throttledCount,
    ),
    shopifyRetries: bucketCounter('csd_shopify_retries_total', 'Shopify requests retried, by reason', (s) => s.retryCount, {
      reason: 'any',
    }),
    webhookDeliveries: new Counter({
      name: 'csd_webhook_deliveries_total',
      help: 'Incoming webhook deliveries, by result',
      labelNames: ['topic', 'result'],
      registers: r,
    }),
    webhookLatency: new Histogram({
      name: 'csd_webhook_latency_seconds',
      help: 'Time from receipt to answer for incoming webhooks',
      labelNames: ['topic'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: r,
    }),
    operations: new Counter({
      name: 'csd_operations_total',
      help: 'Operations finished, by kind and status',
      labelNames: ['kind', 'status'],
      registers: r,
    }),
    attach(sources) {
      live = sources;
    },
  };
}
