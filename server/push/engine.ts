import { and, eq, sql } from 'drizzle-orm';
import { type Batch, type BatchItem, batchItems } from '../../drizzle/schema';
import type { RetryPolicy } from '../../lib/retry';
import type { Db } from '../db/client';
import { acquireLease, releaseLease, renewLease } from '../db/lease';
import type { Logger } from '../logger';
import type { OperationService } from '../operations/service';
import { applyUnit, type UnitResult } from './apply';
import { applyBulk } from './apply-bulk';
import { BatchLifecycle } from './batch-lifecycle';
import { bulkKey, claimBulk, claimProduct, type Unit } from './claims';
import { AdaptiveConcurrency } from './concurrency';
import { type BulkRunRates, conditionsOf, DEFAULT_CONDITIONS } from './cost-model';
import { createContext } from './create-items';
import type { ShopifyPort } from './port';
import { type EngineStats, OUTAGE_WAIT_MS, runUnit, UNIT_RETRY, type UnitContext } from './run-unit';

export interface PushEngineOptions {
  db: Db;
  logger: Logger;
  operations: OperationService;
  holder: string;
  portFor(storeId: string): Promise<ShopifyPort>;
  /** Called once a batch has settled (notifications, metrics). */
  onBatchFinished?(batch: Batch): Promise<void> | void;
  /** Called with a store's items found drifted, once settled: ingest re-reads and restages their entities. */
  onDrift?: DriftHandler;
  leaseMs?: number;
  /** Attempts of one unit before its items become dead letters (UNIT_RETRY by default). */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** How long a unit waits out Shopify not answering at all before its items are dead letters (OUTAGE_WAIT_MS). */
  outageWaitMs?: number;
  minConcurrency?: number;
  maxConcurrency?: number;
  /** Where bulk runs report their line rate, for the cost model. */
  bulkRates?: BulkRunRates;
}

/** What Shopify moved under a push: the products and collections whose entities drifted (Shopify ids only). */
export interface DriftedEntities {
  products: string[];
  collections: string[];
}

export type DriftHandler = (storeId: string, drifted: DriftedEntities) => Promise<unknown>;

function driftedEntities(items: BatchItem[]): DriftedEntities {
  const products = new Set<string>();
  const collections = new Set<string>();
  for (const item of items) {
    const key = item.entity === 'collection' ? item.entityKey : (item.productKey ?? item.entityKey);
    // A product created by the push has no Shopify id until it lands: nothing there to re-read.
    if (key.startsWith('gid://')) (item.entity === 'collection' ? collections : products).add(key);
  }
  return { products: [...products], collections: [...collections] };
}

export class LeaseHeldElsewhere extends Error {
  override name = 'LeaseHeldElsewhere';
}

/** How often the loop looks for new batches and cancel requests while units are in flight. */
const SYNC_MS = 250;

/**
 * Pushes the batches of a store under its lease: picks the highest-priority product unit next
 * (so a CRITICAL batch overtakes a running BATCH one), keeps 2 to 10 units in flight adapting to
 * the throttle bucket and to errors, and settles every item it takes.
 */
export class PushEngine {
  private readonly draining = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly stopping = new AbortController();
  private readonly batches: BatchLifecycle;
  private readonly concurrency: AdaptiveConcurrency;
  private readonly retry: RetryPolicy;
  readonly stats: EngineStats = { units: 0, retries: 0, deadLetters: 0 };

  constructor(private readonly options: PushEngineOptions) {
    this.batches = new BatchLifecycle(options);
    this.concurrency = new AdaptiveConcurrency(options.minConcurrency, options.maxConcurrency);
    this.retry = {
      attempts: options.maxAttempts ?? UNIT_RETRY.attempts,
      baseMs: options.backoffBaseMs ?? UNIT_RETRY.baseMs,
      capMs: options.backoffCapMs ?? UNIT_RETRY.capMs,
    };
  }

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

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.draining.values()]);
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async drain(storeId: string): Promise<void> {
    const { db, holder } = this.options;
    if (!(await acquireLease(db, storeId, holder, this.leaseMs)))
      throw new LeaseHeldElsewhere(`Store ${storeId} is being pushed by another process`);
    let leaseLost = false;
    const renew = setInterval(
      () => {
        renewLease(db, storeId, holder, this.leaseMs)
          .then((ok) => {
            if (!ok) leaseLost = true;
          })
          .catch((err) => this.options.logger.warn({ err, storeId }, 'lease renewal failed'));
      },
      Math.max(200, this.leaseMs / 3),
    );
    renew.unref?.();
    try {
      // Whatever was `applying` belonged to a holder that died: the drift check re-reads and settles it.
      await db
        .update(batchItems)
        .set({ status: 'queued', updatedAt: sql`now()` })
        .where(and(eq(batchItems.storeId, storeId), eq(batchItems.status, 'applying')));
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

  /** Takes units while there is work, room and the lease; returns once none is left in flight. */
  private async runUnits(storeId: string, port: ShopifyPort, leaseLost: () => boolean): Promise<void> {
    const inflight = new Map<string, Promise<void>>();
    const context = this.unitContext(storeId, port);
    const start = (unit: Unit, apply: () => Promise<UnitResult>) =>
      inflight.set(
        unit.key,
        runUnit(context, unit, apply).finally(() => inflight.delete(unit.key)),
      );
    let lastSync = 0;
    for (;;) {
      if (Date.now() - lastSync > SYNC_MS || inflight.size === 0) {
        await this.batches.sync(storeId);
        lastSync = Date.now();
      }
      const taking = !this.stopped && !leaseLost();
      for (const batchId of taking ? this.batches.bulk(storeId) : []) {
        if (inflight.has(bulkKey(batchId))) continue;
        const unit = await claimBulk(this.options.db, batchId);
        if (unit)
          start(unit, () =>
            applyBulk(port, batchId, unit.items, (lines, seconds) => this.options.bulkRates?.observe(storeId, lines, seconds)),
          );
      }
      while (taking && inflight.size < this.concurrency.limit(storeId)) {
        const unit = await claimProduct(this.options.db, this.batches.ranked(storeId), [...inflight.keys()]);
        if (!unit) break;
        start(unit, async () => applyUnit(port, unit.key, unit.items, await createContext(this.options.db, unit.items)));
      }
      if (inflight.size === 0) {
        await this.batches.sync(storeId);
        return;
      }
      await Promise.race(inflight.values());
    }
  }

  private unitContext(storeId: string, port: ShopifyPort): UnitContext {
    return {
      db: this.options.db,
      retry: this.retry,
      outageWaitMs: this.options.outageWaitMs ?? OUTAGE_WAIT_MS,
      signal: this.stopping.signal,
      stats: this.stats,
      logger: (batchId) => this.batches.logger(batchId),
      attempted: (ok) => this.concurrency.adapt(storeId, ok, port.throttle()),
      settled: (unit, settlements) =>
        this.batches.record(
          unit.batchId,
          settlements.map((s) => s.status),
          unit.label,
          conditionsOf(port.throttle(), this.options.bulkRates?.linesPerSecond(storeId) ?? DEFAULT_CONDITIONS.bulkLinesPerSecond),
        ),
      drifted: async (items) => {
        // A failed re-read leaves the conflict to the next poll; the push itself has settled.
        await this.options
          .onDrift?.(storeId, driftedEntities(items))
          .catch((err) => this.options.logger.warn({ err, storeId }, 'drifted items could not be restaged'));
      },
    };
  }
}
