import { and, eq, not } from 'drizzle-orm';
import { stagedChanges, stores } from '../../drizzle/schema';
import { notFound } from '../../lib/errors';
import { PRIORITIES, type Priority } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import type { PathChooser } from './cost-model';
import { heldForWindow } from './plans';
import { batchPriority, choosePath, plannedItems, productCount } from './snapshot';

/** What a push of the store's approved changes would do, for the confirmation an admin answers before pushing. */
export interface PushSummary {
  store: { id: string; name: string; shopDomain: string };
  /** Approved changes, and of them the ones Shopify needs a write for (the rest it already holds). */
  changes: number;
  writes: number;
  products: number;
  /** Writes per priority class, most urgent first; `priority` is the batch's class. */
  priorities: Array<{ priority: Priority; count: number }>;
  priority: Priority;
  path: 'regular' | 'bulk';
  /** The cost model's estimate, seconds, with the store's bucket as it is now: the same figure the push's ETA starts from. */
  etaSeconds: number;
  regularSeconds: number;
  bulkSeconds: number | null;
}

/** The summary of a push not made yet: the same plan, path and estimate the push would take, nothing written. */
export async function pushSummary(db: Executor, storeId: string, choose: PathChooser): Promise<PushSummary> {
  const [store] = await db.select().from(stores).where(eq(stores.id, storeId));
  if (!store) throw notFound('store', storeId);
  const approved = await db
    .select()
    .from(stagedChanges)
    .where(and(eq(stagedChanges.storeId, storeId), eq(stagedChanges.status, 'approved'), not(heldForWindow())));
  const { items } = plannedItems(approved, storeId, '00000000-0000-0000-0000-000000000000');
  const products = productCount(items);
  const { mode, estimate } = choosePath(items, store.settings.bulkThreshold, choose);
  const counts = new Map<Priority, number>();
  for (const item of items) counts.set(item.priority!, (counts.get(item.priority!) ?? 0) + 1);
  const round = (s: number) => Math.round(s * 10) / 10;
  return {
    store: { id: store.id, name: store.name, shopDomain: store.shopDomain },
    changes: approved.length,
    writes: items.length,
    products,
    priorities: PRIORITIES.filter((p) => counts.has(p)).map((p) => ({ priority: p, count: counts.get(p)! })),
    priority: items.length ? batchPriority(items, products, store.settings.bulkThreshold) : 'normal',
    path: mode,
    etaSeconds: round(estimate?.seconds ?? 0),
    regularSeconds: round(estimate?.regularSeconds ?? 0),
    bulkSeconds: estimate?.bulkSeconds == null ? null : round(estimate.bulkSeconds),
  };
}
