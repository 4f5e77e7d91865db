import { and, desc, eq, inArray } from 'drizzle-orm';
import { type Operation, operations, type Store } from '../../../drizzle/schema';
import { AppError } from '../../../lib/errors';
import { type ChangeSource, OPEN_OPERATION_STATUSES } from '../../../lib/sync/model';
import { acquireLease, releaseLease, renewLease } from '../../db/lease';
import { OperationCancelled, type OperationHandle } from '../../operations/handle';
import type { Runtime } from '../../runtime';
import type { ShopifyGateways } from '../../stores/gateway';
import { getStore } from '../../stores/stores';
import { type PullDeps, type PullMode, type PullOutcome, refreshCollection, refreshProducts, runPull } from './pull';
import type { CatalogReader } from './reader';
import { createShopifyReader } from './shopify-reader';

/** A pull holds the store's pull lease, renewed while it runs; a crashed holder's lapses after this. */
const PULL_LEASE_MS = 60_000;

/**
 * Starts pulls as operations, and re-reads single products or collections for webhooks. One pull
 * (or poll) of a store at a time: in this process by a slot taken before the first await, across
 * processes sharing the database by the store's pull lease. Shopify is reached through the
 * store's gateway (the poll with its fail-fast tuning).
 */
export class PullService {
  private readonly running = new Map<string, { operationId: string; done: Promise<PullOutcome | null> }>();
  /** A reader per store and purpose, kept while the store row is unchanged (it caches the smart collections). */
  private readonly readers = new Map<string, { updatedAt: number; reader: CatalogReader }>();

  constructor(
    private readonly runtime: Runtime,
    private readonly shopify: ShopifyGateways,
  ) {}

  private readerFor(store: Store, purpose: 'pull' | 'poll' | 'webhook'): CatalogReader {
    const key = `${store.id}:${purpose}`;
    const known = this.readers.get(key);
    if (known?.updatedAt === store.updatedAt.getTime()) return known.reader;
    const reader = createShopifyReader(this.runtime.db, store, this.shopify.for(store).client(purpose));
    this.readers.set(key, { updatedAt: store.updatedAt.getTime(), reader });
    return reader;
  }

  private deps(store: Store, purpose: 'pull' | 'poll' | 'webhook' = 'pull'): PullDeps {
    return { db: this.runtime.db, logger: this.runtime.logger, runtime: this.runtime, reader: this.readerFor(store, purpose) };
  }

  /** The pull operation running for the store in this process, if any. */
  current(storeId: string): string | null {
    const op = this.running.get(storeId)?.operationId ?? null;
    return op;
  }

  /** Starts a pull operation and returns at once; `done` settles when it ends (null: failed or cancelled). */
  async start(
    storeId: string,
    mode: PullMode,
    startedBy: string,
    source: ChangeSource = 'pull',
  ): Promise<{ operation: Operation; done: Promise<PullOutcome | null> }> {
    const store = await getStore(this.runtime.db, storeId);
    const busy = this.running.get(store.id);
    if (busy) throw new AppError('conflict:pull_running', `A pull of ${store.name} is already running`, { operationId: busy.operationId });
    // The slot is taken before the first await, so two requests at once cannot both start.
    this.running.set(store.id, { operationId: 'starting', done: Promise.resolve(null) });
    let lease: (() => Promise<void>) | null;
    try {
      lease = await this.lease(store.id);
    } catch (err) {
      this.running.delete(store.id);
      throw err;
    }
    if (!lease) {
      this.running.delete(store.id);
      const [other] = await this.runtime.db
        .select({ id: operations.id })
        .from(operations)
        .where(and(eq(operations.storeId, store.id), eq(operations.kind, 'pull'), inArray(operations.status, [...OPEN_OPERATION_STATUSES])))
        .orderBy(desc(operations.createdAt))
        .limit(1);
      throw new AppError('conflict:pull_running', `A pull of ${store.name} is already running (in another server process)`, {
        operationId: other?.id ?? null,
      });
    }
    const release = lease;
    let handle: OperationHandle;
    try {
      handle = await this.runtime.operations.start({
        kind: 'pull',
        storeId: store.id,
        title: `${mode === 'full' ? 'Full' : 'Incremental'} pull of ${store.name}`,
        startedBy,
        meta: { mode, source },
      });
    } catch (err) {
      this.running.delete(store.id);
      await release();
      throw err;
    }
    const done = handle
      .run(async (h) => {
        const outcome = await runPull(this.deps(store), store, mode, h, source);
        const message = outcome.adopted
          ? `Adopted ${outcome.productsRead} products from Shopify as the master`
          : `${outcome.productsRead} products read, ${outcome.staged.changeIds.length} changes staged`;
        return { ...outcome, counts: outcome.counts, message };
      })
      .catch((err) => {
        if (!(err instanceof OperationCancelled)) this.runtime.logger.warn({ err, storeId: store.id }, 'pull failed');
        return null;
      })
      .finally(async () => {
        this.running.delete(store.id);
        await release();
      });
    this.running.set(store.id, { operationId: handle.id, done });
    return { operation: handle.operation, done };
  }

  /** The backup poll's incremental pull: no operation row (it runs every minute), same staging. */
  async poll(storeId: string): Promise<PullOutcome | null> {
    const store = await getStore(this.runtime.db, storeId);
    if (this.running.has(store.id)) return null;
    let settle: (o: PullOutcome | null) => void = () => {};
    this.running.set(store.id, { operationId: 'poll', done: new Promise((r) => (settle = r)) });
    let release: (() => Promise<void>) | null = null;
    try {
      // Another process pulling or polling this store: this minute's poll is theirs.
      release = await this.lease(store.id);
      if (!release) return null;
      const outcome = await runPull(this.deps(store, 'poll'), store, 'incremental', null, 'poll');
      settle(outcome);
      return outcome;
    } finally {
      settle(null); // a failed poll (after a success this is a no-op)
      this.running.delete(store.id);
      await release?.();
    }
  }

  /** Takes the store's pull lease and keeps it renewed; resolves to its release, or null when another process holds it. */
  private async lease(storeId: string): Promise<(() => Promise<void>) | null> {
    const { db, instanceId: holder, logger } = this.runtime;
    if (!(await acquireLease(db, storeId, holder, PULL_LEASE_MS, 'pull'))) return null;
    const timer = setInterval(() => {
      renewLease(db, storeId, holder, PULL_LEASE_MS, 'pull').catch((err) => logger.warn({ err, storeId }, 'pull lease renewal failed'));
    }, PULL_LEASE_MS / 3);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await releaseLease(db, storeId, holder, 'pull').catch((err) => logger.warn({ err, storeId }, 'pull lease release failed'));
    };
  }

  async refreshProducts(storeId: string, productIds: string[], source: ChangeSource) {
    const store = await getStore(this.runtime.db, storeId);
    // Re-reads draw from the webhook lane of the store's budget, so a backlog of them never holds a push.
    return refreshProducts(this.deps(store, 'webhook'), store.id, productIds, source);
  }

  async refreshCollection(storeId: string, collectionId: string, source: ChangeSource) {
    const store = await getStore(this.runtime.db, storeId);
    return refreshCollection(this.deps(store, 'webhook'), store.id, collectionId, source);
  }

  /** Waits for running pulls (graceful stop and tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
