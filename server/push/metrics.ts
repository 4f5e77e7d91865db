import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { batchesByStatus, batchSeconds, changesByStatus, notificationsByStatus, pushedItemsByStatus } from './plans';

type StatusCount = { status: string; n: number };

/** The sync summary: what waits for review, what pushes delivered, what notifications reached. */
export async function syncMetrics(db: Executor, windowHours = 24) {
  const changes = await queryRows<StatusCount>(db, changesByStatus());
  const items = await queryRows<StatusCount>(db, pushedItemsByStatus(windowHours));
  const batchRows = await queryRows<StatusCount>(db, batchesByStatus(windowHours));
  const [latency] = await queryRows<{ avg_s: number | null; p95_s: number | null }>(db, batchSeconds(windowHours));
  const notes = await queryRows<StatusCount>(db, notificationsByStatus(windowHours));
  const by = (rows: StatusCount[]) => Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
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
    notifications: {
      attempts,
      delivered: na.delivered ?? 0,
      failed: na.failed ?? 0,
      successRate: attempts ? Math.round(((na.delivered ?? 0) / attempts) * 10000) / 10000 : null,
    },
  };
}
