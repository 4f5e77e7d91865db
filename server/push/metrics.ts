import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';

/** The sync summary: what waits for review, what pushes delivered, what notifications reached. */
export async function syncMetrics(db: Executor, windowHours = 24) {
  const since = sql`now() - ${`${windowHours} hours`}::interval`;
  const changes = await queryRows<{ status: string; n: number }>(db, sql`select status, count(*)::int as n from staged_changes group by status`);
  const items = await queryRows<{ status: string; n: number }>(
    db,
    sql`select i.status, count(*)::int as n from batch_items i join batches b on b.id = i.batch_id
        where b.kind in ('push','rollback') and i.side = 'shopify' and i.created_at > ${since} group by i.status`,
  );
  const batchRows = await queryRows<{ status: string; n: number }>(db, sql`select status, count(*)::int as n from batches where created_at > ${since} group by status`);
  const [latency] = await queryRows<{ avg_s: number | null; p95_s: number | null }>(
    db,
    sql`select avg(extract(epoch from finished_at - started_at))::float8 as avg_s,
               percentile_cont(0.95) within group (order by extract(epoch from finished_at - started_at))::float8 as p95_s
        from batches where kind in ('push','rollback') and finished_at is not null and created_at > ${since}`,
  );
  const notes = await queryRows<{ status: string; n: number }>(db, sql`select status, count(*)::int as n from notification_attempts where at > ${since} group by status`);
  const by = (rows: Array<{ status: string; n: number }>) => Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const it = by(items);
  const settled = (it.applied ?? 0) + (it.rolled_back ?? 0) + (it.failed ?? 0) + (it.dead ?? 0) + (it.drifted ?? 0);
  const delivered = (it.applied ?? 0) + (it.rolled_back ?? 0);
  const na = by(notes);
  const attempts = (na.delivered ?? 0) + (na.failed ?? 0);
  return {
    windowHours,
    stagedChanges: by(changes),
    batches: by(batchRows),
    push: {
      items: it,
      settled,
      successRate: settled ? Math.round((delivered / settled) * 10000) / 10000 : null,
      deadLetters: it.dead ?? 0,
      drifted: it.drifted ?? 0,
      avgBatchSeconds: latency?.avg_s ?? null,
      p95BatchSeconds: latency?.p95_s ?? null,
    },
    notifications: { attempts, delivered: na.delivered ?? 0, failed: na.failed ?? 0, successRate: attempts ? Math.round(((na.delivered ?? 0) / attempts) * 10000) / 10000 : null },
  };
}
