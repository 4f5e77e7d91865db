import { and, eq, inArray, sql } from 'drizzle-orm';
import { batches, batchItems, stagedChanges, type Batch, type BatchItem, type BatchCounts } from '../../drizzle/schema';
import { PRIORITY_RANK } from '../../lib/sync/model';
import type { Db } from '../db/client';
import { queryRows } from '../db/rows';
import type { Logger } from '../logger';
import type { OperationHandle, OperationService } from '../operations/service';
import { applyUnit, judge, type ItemOutcome } from './apply';

/** Variant updates per bulkOperationRunMutation. */
const BULK_CHUNK = 5000;
import { acquireLease, releaseLease, renewLease } from '../db/lease';
import { RetryableShopifyError, type ShopifyPort } from './port';
import { settleItems, type Settlement } from './settle';

export interface PushEngineOptions {
  db: Db;
  logger: Logger;
  operations: OperationService;
  holder: string;
  portFor(storeId: string): Promise<ShopifyPort>;
  /** Called once a batch has settled (notifications, metrics). */
  onBatchFinished?(batch: Batch): Promise<void> | void;
  leaseMs?: number;
  /** Attempts of one unit before its items become dead letters. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  minConcurrency?: number;
  maxConcurrency?: number;
}

export class LeaseHeldElsewhere extends Error {
  override name = 'LeaseHeldElsewhere';
}

/** Full jitter: a random wait between 0 and min(cap, base * 2^attempt). */
export function fullJitter(attempt: number, baseMs: number, capMs: number): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function isRetryable(err: unknown): boolean {
  if (err instanceof RetryableShopifyError) return true;
  const e = err as { retryable?: boolean; name?: string; code?: string } | null;
  if (e?.retryable === true) return true;
  return ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'UND_ERR_SOCKET'].includes(String(e?.code ?? '')) || e?.name === 'TimeoutError' || e?.name === 'AbortError';
}

interface ActiveBatch {
  batch: Batch;
  handle: OperationHandle;
  done: number;
  counts: Record<string, number>;
  cancelling: boolean;
}

interface Unit {
  batchId: string;
  productKey: string;
  items: BatchItem[];
}

/**
 * Pushes the batches of a store under its lease: picks the highest-priority product unit next
 * (so a CRITICAL batch overtakes a running BATCH one), keeps 2 to 10 units in flight adapting to
 * the throttle bucket and to errors, and settles every item it takes.
 */
export class PushEngine {
  private readonly draining = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly active = new Map<string, ActiveBatch>();
  private readonly concurrency = new Map<string, number>();
  private stopped = false;
  readonly stats = { units: 0, retries: 0, deadLetters: 0 };

  constructor(private readonly options: PushEngineOptions) {}

  get leaseMs(): number {
    return this.options.leaseMs ?? 15_000;
  }

  /** Runs the store's queued work; resolves when none is left. Throws LeaseHeldElsewhere. */
  kick(storeId: string): Promise<void> {
    const running = this.draining.get(storeId);
    if (running) {
      this.dirty.add(storeId);
      return running;
    }
    const p = this.drain(storeId).finally(() => this.draining.delete(storeId));
    this.draining.set(storeId, p);
    return p;
  }

  isDraining(storeId: string): boolean {
    return this.draining.has(storeId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.draining.values()]);
  }

  private async drain(storeId: string): Promise<void> {
    const { db, holder } = this.options;
    if (!(await acquireLease(db, storeId, holder, this.leaseMs))) throw new LeaseHeldElsewhere(`Store ${storeId} is being pushed by another process`);
    let leaseLost = false;
    const renew = setInterval(() => {
      renewLease(db, storeId, holder, this.leaseMs)
        .then((ok) => {
          if (!ok) leaseLost = true;
        })
        .catch((err) => this.options.logger.warn({ err, storeId }, 'lease renewal failed'));
    }, Math.max(200, this.leaseMs / 3));
    renew.unref?.();
    try {
      // Whatever was `applying` belonged to a holder that died: the drift check re-reads and settles it.
      await db.update(batchItems).set({ status: 'queued', updatedAt: sql`now()` }).where(and(eq(batchItems.storeId, storeId), eq(batchItems.status, 'applying')));
      const port = await this.options.portFor(storeId);
      do {
        this.dirty.delete(storeId);
        await this.runUnits(storeId, port, () => leaseLost);
      } while (this.dirty.has(storeId) && !this.stopped && !leaseLost);
    } finally {
      clearInterval(renew);
      if (!leaseLost) await releaseLease(db, storeId, holder).catch(() => {});
    }
  }

  private async runUnits(storeId: string, port: ShopifyPort, leaseLost: () => boolean): Promise<void> {
    const inflight = new Map<string, Promise<void>>();
    let lastSync = 0;
    for (;;) {
      if (Date.now() - lastSync > 250 || inflight.size === 0) {
        await this.syncBatches(storeId);
        lastSync = Date.now();
      }
      const stop = this.stopped || leaseLost();
      for (const a of stop ? [] : this.bulkBatches(storeId)) {
        const key = `bulk:${a.batch.id}`;
        if (inflight.has(key)) continue;
        const items = await this.claimBulk(a.batch.id);
        if (items.length === 0) continue;
        const p = this.processBulk(port, a, items).finally(() => inflight.delete(key));
        inflight.set(key, p);
      }
      while (!stop && inflight.size < this.limit(storeId)) {
        const unit = await this.claimUnit(storeId, [...inflight.keys()]);
        if (!unit) break;
        const p = this.processUnit(port, storeId, unit).finally(() => inflight.delete(unit.productKey));
        inflight.set(unit.productKey, p);
      }
      if (inflight.size === 0) {
        await this.syncBatches(storeId);
        return;
      }
      await Promise.race(inflight.values());
    }
  }

  private bulkBatches(storeId: string): ActiveBatch[] {
    return [...this.active.values()].filter((a) => a.batch.storeId === storeId && a.batch.mode === 'bulk' && !a.cancelling);
  }

  /** Variant updates of a bulk batch, taken together for one bulkOperationRunMutation. */
  private async claimBulk(batchId: string): Promise<BatchItem[]> {
    const { db } = this.options;
    const ids = await queryRows<{ id: string }>(
      db,
      sql`select id from batch_items where batch_id = ${batchId} and status = 'queued' and entity = 'variant' and op = 'update' order by product_key limit ${BULK_CHUNK}`,
    );
    if (ids.length === 0) return [];
    const items = await db
      .update(batchItems)
      .set({ status: 'applying', attempts: sql`${batchItems.attempts} + 1`, startedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(inArray(batchItems.id, ids.map((r) => r.id)), eq(batchItems.status, 'queued')))
      .returning();
    await this.markChangesApplying(items);
    return items;
  }

  private async markChangesApplying(items: BatchItem[]): Promise<void> {
    const ids = items.map((i) => i.stagedChangeId).filter((x): x is string => Boolean(x));
    for (let i = 0; i < ids.length; i += 1000) {
      await this.options.db.update(stagedChanges).set({ status: 'applying', updatedAt: sql`now()` }).where(inArray(stagedChanges.id, ids.slice(i, i + 1000)));
    }
  }

  /**
   * The bulk path: one drift-check read per 100 variants, then one bulkOperationRunMutation with a
   * line per product; answers map back to items by line number. A retry re-reads first, so lines
   * Shopify already applied are recognised as done, never written twice.
   */
  private async processBulk(port: ShopifyPort, active: ActiveBatch, items: BatchItem[]): Promise<void> {
    const max = this.options.maxAttempts ?? 6;
    let settlements: Settlement[] = [];
    for (let attempt = 1; ; attempt++) {
      try {
        const current = await port.readVariants(items.map((i) => i.entityKey));
        const outcomes = new Map<string, ItemOutcome>();
        const byProduct = new Map<string, BatchItem[]>();
        for (const item of items) {
          const doc = current.get(item.entityKey) ?? null;
          const verdict = judge(item, doc);
          if (verdict === 'done') outcomes.set(item.id, { status: 'applied', after: item.target });
          else if (verdict === 'drifted') outcomes.set(item.id, { status: 'drifted', observed: doc ? Object.fromEntries(Object.keys(item.target ?? {}).map((n) => [n, doc[n] ?? null])) : null, error: doc ? 'Shopify changed this variant since approval; left as Shopify has it' : 'It no longer exists in Shopify' });
          else {
            const key = item.productKey ?? item.entityKey;
            byProduct.set(key, [...(byProduct.get(key) ?? []), item]);
          }
        }
        const lines = [...byProduct.entries()].flatMap(([productId, list]) => {
          const chunks: BatchItem[][] = [];
          for (let i = 0; i < list.length; i += 250) chunks.push(list.slice(i, i + 250));
          return chunks.map((chunk) => ({ productId, items: chunk }));
        });
        if (lines.length) {
          const answers = await port.bulkUpdateVariants(lines.map((l) => ({ productId: l.productId, variants: l.items.map((i) => ({ id: i.entityKey, values: i.target ?? {} })) })), `batch-${active.batch.id}`);
          lines.forEach((line, n) => {
            const errors = answers[n];
            for (const item of line.items) {
              if (errors === null || errors === undefined) outcomes.set(item.id, { status: 'failed', error: 'The bulk operation gave no answer for this line' });
              else if (errors.length) outcomes.set(item.id, { status: 'failed', error: errors.map((e) => e.message).join('; ') });
              else outcomes.set(item.id, { status: 'applied', after: item.target });
            }
          });
        }
        settlements = items.map((item) => {
          const outcome = outcomes.get(item.id) ?? { status: 'failed' as const, error: 'No outcome' };
          return { item, status: outcome.status, outcome };
        });
        break;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (isRetryable(err) && attempt < max && !this.stopped) {
          this.stats.retries++;
          await sleep(fullJitter(attempt, this.options.backoffBaseMs ?? 200, this.options.backoffCapMs ?? 8000));
          continue;
        }
        if (this.stopped && isRetryable(err)) {
          await this.options.db.update(batchItems).set({ status: 'queued' }).where(inArray(batchItems.id, items.map((i) => i.id)));
          return;
        }
        const dead = isRetryable(err);
        settlements = items.map((item) => ({ item, status: dead ? 'dead' : 'failed', error: dead ? `Gave up after ${attempt} attempts: ${message}` : message }));
        break;
      }
    }
    for (let i = 0; i < settlements.length; i += 500) {
      const chunk = settlements.slice(i, i + 500);
      await settleItems(this.options.db, chunk);
      for (const s of chunk) active.counts[s.status] = (active.counts[s.status] ?? 0) + 1;
      active.done += chunk.length;
      active.handle.progress(active.done, { current: `bulk operation (${settlements.length} variants)`, counts: { ...active.counts } });
    }
  }

  private limit(storeId: string): number {
    return this.concurrency.get(storeId) ?? Math.max(this.options.minConcurrency ?? 2, 4);
  }

  private adapt(storeId: string, port: ShopifyPort, ok: boolean): void {
    const min = this.options.minConcurrency ?? 2;
    const max = this.options.maxConcurrency ?? 10;
    let next = this.limit(storeId);
    if (!ok) next = Math.max(min, Math.floor(next / 2));
    else {
      const t = port.throttle();
      if (!t || t.available > t.maximum * 0.5) next = Math.min(max, next + 1);
      else if (t.available < t.maximum * 0.1) next = Math.max(min, next - 1);
    }
    this.concurrency.set(storeId, next);
  }

  /** Takes the next product of the highest-priority running batch, marking its items `applying`. */
  private async claimUnit(storeId: string, busy: string[]): Promise<Unit | null> {
    const { db } = this.options;
    const running = [...this.active.values()].filter((a) => a.batch.storeId === storeId && !a.cancelling);
    if (running.length === 0) return null;
    const rank = sql.join(
      running.map((a) => sql`when ${a.batch.id}::uuid then ${PRIORITY_RANK[a.batch.priority] * 1e12 - a.batch.createdAt.getTime() / 1000}::float8`),
      sql` `,
    );
    const bulkIds = running.filter((a) => a.batch.mode === 'bulk').map((a) => sql`${a.batch.id}::uuid`);
    const notBulk = bulkIds.length ? sql`and not (i.batch_id in (${sql.join(bulkIds, sql`, `)}) and i.entity = 'variant' and i.op = 'update')` : sql``;
    const busyList = busy.length ? sql`and coalesce(i.product_key, i.entity_key) not in (${sql.join(busy.map((b) => sql`${b}`), sql`, `)})` : sql``;
    const ids = sql.join(running.map((a) => sql`${a.batch.id}::uuid`), sql`, `);
    const [next] = await queryRows<{ batch_id: string; pk: string }>(
      db,
      sql`select i.batch_id, coalesce(i.product_key, i.entity_key) as pk from batch_items i
          where i.batch_id in (${ids}) and i.status = 'queued' ${busyList} ${notBulk}
          order by case i.batch_id ${rank} end desc, pk limit 1`,
    );
    if (!next) return null;
    const items = await db
      .update(batchItems)
      .set({ status: 'applying', attempts: sql`${batchItems.attempts} + 1`, startedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(batchItems.batchId, next.batch_id), sql`coalesce(${batchItems.productKey}, ${batchItems.entityKey}) = ${next.pk}`, eq(batchItems.status, 'queued')))
      .returning();
    if (items.length === 0) return null;
    await this.markChangesApplying(items);
    return { batchId: next.batch_id, productKey: next.pk, items };
  }

  private async processUnit(port: ShopifyPort, storeId: string, unit: Unit): Promise<void> {
    const max = this.options.maxAttempts ?? 6;
    let settlements: Settlement[] = [];
    let created;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await applyUnit(port, unit.productKey, unit.items);
        created = result.created;
        settlements = unit.items.map((item) => {
          const outcome: ItemOutcome = result.outcomes.get(item.id) ?? { status: 'failed', error: 'No outcome' };
          return { item, status: outcome.status, outcome };
        });
        this.adapt(storeId, port, true);
        break;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (isRetryable(err) && attempt < max && !this.stopped) {
          this.stats.retries++;
          this.adapt(storeId, port, false);
          await sleep(fullJitter(attempt, this.options.backoffBaseMs ?? 200, this.options.backoffCapMs ?? 8000));
          continue;
        }
        const dead = isRetryable(err);
        if (dead) this.stats.deadLetters += unit.items.length;
        if (this.stopped && dead) {
          // Shutting down: leave the items for whoever resumes the store.
          await this.options.db.update(batchItems).set({ status: 'queued' }).where(inArray(batchItems.id, unit.items.map((i) => i.id)));
          return;
        }
        const log = this.active.get(unit.batchId)?.handle.logger ?? this.options.logger.child({ batchId: unit.batchId, storeId });
        log.warn({ err, productKey: unit.productKey }, dead ? 'push unit exhausted its retries' : 'push unit failed');
        settlements = unit.items.map((item) => ({ item, status: dead ? 'dead' : 'failed', error: dead ? `Gave up after ${attempt} attempts: ${message}` : message }));
        break;
      }
    }
    await settleItems(this.options.db, settlements, created);
    this.stats.units++;
    const active = this.active.get(unit.batchId);
    if (active) {
      for (const s of settlements) active.counts[s.status] = (active.counts[s.status] ?? 0) + 1;
      active.done += settlements.length;
      const title = (unit.items[0]?.target?.title as string | undefined) ?? unit.productKey;
      active.handle.progress(active.done, { current: title, counts: { ...active.counts, errors: (active.counts.failed ?? 0) + (active.counts.dead ?? 0) } });
    }
  }

  /** Picks up new batches, applies cancel requests, and finishes batches with nothing left. */
  private async syncBatches(storeId: string): Promise<void> {
    const { db, operations } = this.options;
    const open = await db.select().from(batches).where(and(eq(batches.storeId, storeId), inArray(batches.status, ['queued', 'running']), inArray(batches.kind, ['push', 'rollback'])));
    for (const batch of open) {
      if (this.active.has(batch.id)) continue;
      let handle: OperationHandle;
      try {
        handle = await operations.resume(batch.operationId!);
      } catch (err) {
        // Its operation was cancelled (or settled) before any process took the batch up.
        this.options.logger.warn({ err, batchId: batch.id }, 'batch operation no longer open; cancelling the batch');
        await this.returnToApproved(batch.id);
        await db.update(batches).set({ status: 'cancelled', counts: await batchCounts(db, batch.id), finishedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(batches.id, batch.id));
        continue;
      }
      // Every line this job logs names its operation, store and batch.
      handle.withBatch(batch.id);
      const [done] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from batch_items where batch_id = ${batch.id} and status not in ('queued','applying')`);
      if (batch.status === 'queued') await db.update(batches).set({ status: 'running', startedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(batches.id, batch.id));
      this.active.set(batch.id, { batch: { ...batch, status: 'running' }, handle, done: done?.n ?? 0, counts: {}, cancelling: false });
      handle.progress(done?.n ?? 0, { total: batch.counts.total });
    }
    for (const a of [...this.active.values()].filter((x) => x.batch.storeId === storeId)) {
      if (a.handle.cancelled && !a.cancelling) {
        a.cancelling = true;
        await this.returnToApproved(a.batch.id);
      }
      const [left] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from batch_items where batch_id = ${a.batch.id} and status in ('queued','applying')`);
      if ((left?.n ?? 0) === 0) await this.finish(a);
    }
  }

  /** Cancel: items not taken yet go back to approved, so the next push takes them again. */
  private async returnToApproved(batchId: string): Promise<void> {
    const { db } = this.options;
    await db.transaction(async (tx) => {
      const items = await tx
        .update(batchItems)
        .set({ status: 'cancelled', error: 'Cancelled before it was written', finishedAt: sql`now()`, updatedAt: sql`now()` })
        .where(and(eq(batchItems.batchId, batchId), eq(batchItems.status, 'queued')))
        .returning({ changeId: batchItems.stagedChangeId });
      const ids = items.map((i) => i.changeId).filter((x): x is string => Boolean(x));
      if (ids.length) await tx.update(stagedChanges).set({ status: 'approved', batchId: null, updatedAt: sql`now()` }).where(inArray(stagedChanges.id, ids));
    });
  }

  private async finish(a: ActiveBatch): Promise<void> {
    const { db } = this.options;
    this.active.delete(a.batch.id);
    const counts = await batchCounts(db, a.batch.id);
    const status = a.cancelling ? 'cancelled' : 'completed';
    const [batch] = await db
      .update(batches)
      .set({ status, counts, finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(batches.id, a.batch.id))
      .returning();
    const flat = { ...counts } as unknown as Record<string, number>;
    if (status === 'cancelled') await a.handle.markCancelled(`Cancelled: ${counts.applied} applied, ${counts.cancelled} returned to approved`);
    else await a.handle.complete(flat, `${counts.applied} applied, ${counts.failed + counts.dead} failed, ${counts.drifted} drifted`);
    await Promise.resolve(this.options.onBatchFinished?.(batch!)).catch((err) => this.options.logger.warn({ err }, 'batch finished hook failed'));
  }
}

export async function batchCounts(db: Db, batchId: string): Promise<BatchCounts> {
  const rows = await queryRows<{ status: string; n: number }>(db, sql`select status, count(*)::int as n from batch_items where batch_id = ${batchId} group by status`);
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  return {
    total: rows.reduce((s, r) => s + Number(r.n), 0),
    applied: (by.applied ?? 0) + (by.rolled_back ?? 0),
    failed: by.failed ?? 0,
    drifted: by.drifted ?? 0,
    cancelled: by.cancelled ?? 0,
    dead: by.dead ?? 0,
    rolledBack: by.rolled_back ?? 0,
  };
}
