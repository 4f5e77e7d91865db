import { sql } from 'drizzle-orm';
import type { RefusedShop, SyncMetricsSummary } from '../../lib/dashboard/health';
import type { Db } from '../db/client';
import { CHANGE_STATUS } from '../db/literals';
import { queryRows } from '../db/rows';
import type { ShopifyGateways } from '../stores/gateway';
import { getSyncHealth } from './sync-health';

const PRIORITY_NAMES: Record<number, string> = { 40: 'critical', 30: 'high', 20: 'normal', 10: 'low', 0: 'batch' };

/** GET /api/sync/metrics: the health indicators plus the counts behind them, for the dashboard. */
export async function getSyncMetricsSummary(
  db: Db,
  shopify: Pick<ShopifyGateways, 'buckets' | 'reachability'>,
  windowMinutes = 60,
  refusedUnknownShop: RefusedShop[] = [],
): Promise<SyncMetricsSummary> {
  const health = await getSyncHealth(db, { windowMinutes, reachability: shopify.reachability(), refusedUnknownShop });
  const stagedRows = await queryRows<{ kind: string; status: string; n: number }>(
    db,
    sql`select kind, status, count(*)::int as n from staged_changes where status <> ${CHANGE_STATUS.superseded} group by 1, 2`,
  );
  const staged: Record<string, Record<string, number>> = {};
  for (const r of stagedRows) {
    staged[r.kind] ??= {};
    staged[r.kind]![r.status] = r.n;
  }
  const itemRows = await queryRows<{ status: string; n: number }>(
    db,
    sql`select status, count(*)::int as n from batch_items
        where updated_at >= now() - make_interval(mins => ${windowMinutes}::int) group by 1`,
  );
  const queueRows = await queryRows<{ priority: number; n: number }>(
    db,
    sql`select priority, count(*)::int as n from pgboss.job where state in ('created', 'retry') group by 1`,
  ).catch(() => []);
  const queue: Record<string, number> = {};
  for (const r of queueRows) {
    const name = PRIORITY_NAMES[r.priority] ?? String(r.priority);
    queue[name] = (queue[name] ?? 0) + r.n;
  }
  return {
    health,
    staged,
    batchItems: Object.fromEntries(itemRows.map((r) => [r.status, r.n])),
    queue,
    throttle: shopify.buckets().map(({ storeId, stats }) => ({
      storeId,
      ...stats,
      utilization: stats.restoreRate > 0 ? stats.pointsPerSecond / stats.restoreRate : null,
    })),
  };
}
