/**
 * The push figures of issue 15 as the demo shows them: price changes on N products of a Standard
 * plan store (100 points/s), pushed with the path the cost model picks, then the same batch rolled
 * back. Each run times the batch from the push request to its completion, as the admin waits for it.
 */
import { and, eq } from 'drizzle-orm';
import { batches, catalogEntities, operations, type Store, stagedChanges } from '../drizzle/schema';
import { normalizeDecimal } from '../lib/sync/fields';
import type { Db } from '../server/db/client';
import type { PushService } from '../server/push/service';
import { approval, bulkDecide } from '../server/review/decisions';
import { stageAll } from '../tests/helpers/push-fixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TimedBatch {
  batchId: string;
  seconds: number;
  mode: string;
  status: string;
  applied: number;
  total: number;
  /** The estimate the cost model gave when the batch was made, seconds. */
  estimate: number | null;
}

export async function waitForBatch(db: Db, batchId: string, capMs: number) {
  const end = Date.now() + capMs;
  for (;;) {
    const [b] = await db.select().from(batches).where(eq(batches.id, batchId));
    if (['completed', 'cancelled', 'failed'].includes(b!.status) || Date.now() > end) return b!;
    await sleep(100);
  }
}

/**
 * Changes the price of the first variant of `products` products, and of a second variant on
 * `items - products` of them, then stages and approves them: `items` approved changes.
 */
export async function approvePriceChanges(db: Db, store: Store, products: number, items: number, by: number): Promise<number> {
  const variants = await db
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, store.id), eq(catalogEntities.entity, 'variant')));
  const byProduct = new Map<string, typeof variants>();
  for (const v of variants) byProduct.set(v.productKey!, [...(byProduct.get(v.productKey!) ?? []), v]);
  const groups = [...byProduct.values()].filter((g) => g.length >= 2).slice(0, products);
  const chosen = [...groups.map((g) => g[0]!), ...groups.slice(0, items - products).map((g) => g[1]!)];
  for (const v of chosen) {
    const price = normalizeDecimal((Number(v.local!.price) + by).toFixed(2));
    await db
      .update(catalogEntities)
      .set({ local: { ...v.local, price } })
      .where(and(eq(catalogEntities.storeId, store.id), eq(catalogEntities.entity, 'variant'), eq(catalogEntities.key, v.key)));
  }
  const staged = await stageAll(db, store.id);
  const pending = staged.filter((c) => c.status === 'pending').map((c) => c.id);
  await bulkDecide(db, { ids: pending }, approval({}), { id: 'bench' });
  const approved = await db
    .select({ id: stagedChanges.id })
    .from(stagedChanges)
    .where(and(eq(stagedChanges.storeId, store.id), eq(stagedChanges.status, 'approved')));
  return approved.length;
}

async function timed(db: Db, start: () => Promise<{ batchId: string }>, capMs: number): Promise<TimedBatch> {
  const t0 = Date.now();
  const { batchId } = await start();
  const b = await waitForBatch(db, batchId, capMs);
  const [op] = b.operationId ? await db.select().from(operations).where(eq(operations.id, b.operationId)) : [];
  const estimate = (op?.meta as { estimate?: { seconds?: number } } | undefined)?.estimate?.seconds ?? null;
  return {
    batchId,
    seconds: (Date.now() - t0) / 1000,
    mode: b.mode,
    status: b.status,
    applied: b.counts.applied,
    total: b.counts.total,
    estimate,
  };
}

/** Pushes what is approved, then rolls that batch back whole; both timed. */
export async function pushAndRollBack(db: Db, push: PushService, store: Store, capMs = 10 * 60_000) {
  const pushed = await timed(db, () => push.push({ storeId: store.id, createdBy: 'bench' }), capMs);
  const rolledBack = await timed(db, () => push.rollback({ batchId: pushed.batchId, createdBy: 'bench' }), capMs);
  return { pushed, rolledBack };
}
