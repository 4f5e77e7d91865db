import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/client';
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
}

export interface MetricsSources {
  db: Db;
  socketClients(): number;
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
    name: 'csd_socket_clients',
    help: 'Connected Socket.IO clients in this process',
    registers: r,
    collect() {
      this.set(sources.socketClients());
    },
  });

  const seconds = [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900];
  return {
    registry,
    pullDuration: new Histogram({ name: 'csd_pull_duration_seconds', help: 'Pull duration', labelNames: ['mode', 'status'], buckets: seconds, registers: r }),
    pushDuration: new Histogram({ name: 'csd_push_duration_seconds', help: 'Push or rollback batch duration', labelNames: ['kind', 'status'], buckets: seconds, registers: r }),
    batchItems: new Counter({ name: 'csd_batch_items_total', help: 'Batch items settled, by outcome', labelNames: ['kind', 'outcome'], registers: r }),
    shopifyPoints: new Counter({ name: 'csd_shopify_cost_points_total', help: 'Shopify query cost points consumed (actual cost)', labelNames: ['store'], registers: r }),
    shopifyRestoreRate: new Gauge({ name: 'csd_shopify_restore_rate', help: 'Shopify bucket restore rate (points per second)', labelNames: ['store'], registers: r }),
    shopifyThrottled: new Counter({ name: 'csd_shopify_throttled_total', help: 'THROTTLED answers and 429s seen (and absorbed) by the client', labelNames: ['store'], registers: r }),
    shopifyRetries: new Counter({ name: 'csd_shopify_retries_total', help: 'Shopify requests retried, by reason', labelNames: ['store', 'reason'], registers: r }),
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
