import { and, eq, inArray, sql } from 'drizzle-orm';
import { batches, batchItems, stagedChanges, type Batch, type BatchItem } from '../../drizzle/schema';
import { PRIORITY_RANK, type Priority } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { transactionAdapter } from '../queue/boss';
import type { Runtime } from '../runtime';
import { notFound } from '../../lib/errors';
import { currentDoc, judge, readNeed } from './apply';
import { LeaseHeldElsewhere, PushEngine } from './engine';
import type { RemoteProductState, ShopifyPort } from './port';
import { applyMasterItem, rollbackable, snapshotPushBatch, snapshotRollbackBatch } from './snapshot';

export const PUSH_QUEUE = 'push';

export interface PushServiceOptions {
  portFor(storeId: string): Promise<ShopifyPort>;
  leaseMs?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  onBatchFinished?(batch: Batch): Promise<void> | void;
  /** Start draining in this process as soon as a batch is created (default true). */
  wakeOnCreate?: boolean;
}

/**
 * The push subsystem of one process: the engine, its pg-boss worker, and recovery at start.
 * Batches are found through the database, so a job is only a durable wake-up call: a restarted
 * process resumes every open batch even if the job that started it died with its process.
 */
export class PushService {
  readonly engine: PushEngine;
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private stopped = false;
  private readonly portFor: (storeId: string) => Promise<ShopifyPort>;
  private readonly wakeOnCreate: boolean;

  constructor(
    private readonly runtime: Runtime,
    options: PushServiceOptions,
  ) {
    this.portFor = options.portFor;
    this.wakeOnCreate = options.wakeOnCreate ?? true;
    this.engine = new PushEngine({
      db: runtime.db,
      logger: runtime.logger.child({ component: 'push' }),
      operations: runtime.operations,
      holder: runtime.instanceId,
      portFor: options.portFor,
      leaseMs: options.leaseMs,
      maxAttempts: options.maxAttempts,
      backoffBaseMs: options.backoffBaseMs,
      backoffCapMs: options.backoffCapMs,
      onBatchFinished: options.onBatchFinished,
    });
  }

  async start(): Promise<void> {
    const boss = this.runtime.queue;
    if (boss) {
      await boss.createQueue(PUSH_QUEUE);
      await boss.work<{ storeId: string }>(PUSH_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
        await this.run(job!.data.storeId);
      });
    }
    const open = await this.runtime.db
      .selectDistinct({ storeId: batches.storeId })
      .from(batches)
      .where(and(inArray(batches.status, ['queued', 'running']), inArray(batches.kind, ['push', 'rollback'])));
    for (const { storeId } of open) this.wake(storeId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.retryTimers.values()) clearTimeout(t);
    await this.engine.stop();
  }

  /** Drains the store now, or keeps trying while another process holds its lease. */
  wake(storeId: string): void {
    if (this.stopped || this.retryTimers.has(storeId)) return;
    this.engine.kick(storeId).catch((err) => {
      if (!(err instanceof LeaseHeldElsewhere)) this.runtime.logger.error({ err, storeId }, 'push drain failed');
      if (this.stopped) return;
      const timer = setTimeout(() => {
        this.retryTimers.delete(storeId);
        void this.stillOpen(storeId).then((open) => open && this.wake(storeId));
      }, Math.max(250, this.engine.leaseMs / 3));
      timer.unref?.();
      this.retryTimers.set(storeId, timer);
    });
  }

  private async run(storeId: string): Promise<void> {
    try {
      await this.engine.kick(storeId);
    } catch (err) {
      // Another process pushes this store and takes our batch with it; nothing to retry here.
      if (err instanceof LeaseHeldElsewhere) return;
      throw err;
    }
  }

  private async stillOpen(storeId: string): Promise<boolean> {
    const [row] = await this.runtime.db
      .select({ id: batches.id })
      .from(batches)
      .where(and(eq(batches.storeId, storeId), inArray(batches.status, ['queued', 'running']), inArray(batches.kind, ['push', 'rollback'])))
      .limit(1);
    return Boolean(row);
  }

  /** The job of a batch, sent inside the caller's transaction: the batch and its wake-up commit together. */
  private async enqueue(tx: Executor, storeId: string, priority: Priority): Promise<void> {
    const boss = this.runtime.queue;
    if (!boss) return;
    await boss.send(PUSH_QUEUE, { storeId }, { priority: PRIORITY_RANK[priority], retryLimit: 5, retryDelay: 2, db: transactionAdapter(tx) });
  }

  async push(input: { storeId: string; createdBy: string; priority?: Priority }): Promise<{ batchId: string; operationId: string; items: number; mode: string }> {
    const result = await this.runtime.db.transaction(async (tx) => {
      const snap = await snapshotPushBatch(tx, input);
      const opId = await this.createOperation(tx, 'push', input.storeId, input.createdBy, snap.items, `Push of ${snap.items} change${snap.items === 1 ? '' : 's'} (${snap.products} product${snap.products === 1 ? '' : 's'})`, snap.batchId);
      await this.enqueue(tx, input.storeId, snap.priority);
      return { batchId: snap.batchId, operationId: opId, items: snap.items, mode: snap.mode };
    });
    if (this.wakeOnCreate) this.wake(input.storeId);
    return result;
  }

  async rollback(input: { batchId: string; itemIds?: string[]; createdBy: string; priority?: Priority }) {
    const result = await this.runtime.db.transaction(async (tx) => {
      const snap = await snapshotRollbackBatch(tx, { sourceBatchId: input.batchId, itemIds: input.itemIds, createdBy: input.createdBy, priority: input.priority });
      const [batch] = await tx.select().from(batches).where(eq(batches.id, snap.batchId));
      await this.applyMasterSide(tx, snap.batchId);
      const opId = await this.createOperation(tx, 'rollback', batch!.storeId, input.createdBy, snap.items, `Rollback of batch ${input.batchId.slice(0, 8)} (${snap.items} item${snap.items === 1 ? '' : 's'})`, snap.batchId);
      await this.enqueue(tx, batch!.storeId, snap.priority);
      return { batchId: snap.batchId, operationId: opId, storeId: batch!.storeId, items: snap.items, skipped: snap.skipped };
    });
    if (this.wakeOnCreate) this.wake(result.storeId);
    return result;
  }

  /**
   * What a rollback would do, without doing it: per applied item, whether Shopify (or the master)
   * still holds what the batch wrote (restorable) or has moved since (skipped as drifted).
   */
  async previewRollback(batchId: string, itemIds?: string[]) {
    const [source] = await this.runtime.db.select().from(batches).where(eq(batches.id, batchId));
    if (!source) throw notFound('batch', batchId);
    const all = await this.runtime.db.select().from(batchItems).where(eq(batchItems.batchId, batchId));
    const chosen = itemIds ? all.filter((i) => itemIds.includes(i.id)) : all;
    const restore: Array<{ itemId: string; entity: string; entityId: string; from: unknown; to: unknown }> = [];
    const skipped: Array<{ itemId: string; entity: string; entityId: string; reason: string; observed?: unknown }> = [];
    const shopifyItems = chosen.filter((i) => i.status === 'applied' && rollbackable(i) && i.side === 'shopify');
    for (const i of chosen) {
      if (i.status !== 'applied') skipped.push({ itemId: i.id, entity: i.entity, entityId: i.entityKey, reason: i.status === 'rolled_back' ? 'already rolled back' : `not applied (${i.status})` });
      else if (!rollbackable(i)) skipped.push({ itemId: i.id, entity: i.entity, entityId: i.entityKey, reason: `a ${i.entity} ${i.op} is not rolled back automatically` });
      else if (i.side === 'master') restore.push({ itemId: i.id, entity: i.entity, entityId: i.entityKey, from: i.after ?? i.target, to: i.before });
    }
    if (shopifyItems.length) {
      const port = await this.portFor(source.storeId);
      const products = [...new Set(shopifyItems.map((i) => i.productKey ?? i.entityKey))];
      const byProduct = new Map<string, BatchItem[]>();
      for (const i of shopifyItems) byProduct.set(i.productKey ?? i.entityKey, [...(byProduct.get(i.productKey ?? i.entityKey) ?? []), i]);
      // A few reads at a time: the throttle bucket paces them.
      const states = new Map<string, RemoteProductState | null>();
      const queue = [...products];
      await Promise.all(
        Array.from({ length: Math.min(8, queue.length) }, async () => {
          for (let key = queue.shift(); key !== undefined; key = queue.shift()) states.set(key, await port.readState(key, readNeed(byProduct.get(key)!)));
        }),
      );
      for (const productKey of products) {
        const items = byProduct.get(productKey)!;
        const state = states.get(productKey) ?? null;
        for (const item of items) {
          const current = currentDoc(item, state);
          const asRollback = { ...item, op: item.op === 'create' ? 'delete' as const : item.op === 'delete' ? 'create' as const : item.op, before: item.after ?? item.target, target: item.before };
          const verdict = judge(asRollback, current);
          if (verdict === 'drifted') {
            skipped.push({ itemId: item.id, entity: item.entity, entityId: item.entityKey, reason: 'Shopify no longer holds the pushed value', observed: current ? Object.fromEntries(Object.keys(item.before ?? {}).map((n) => [n, current[n] ?? null])) : null });
          } else {
            restore.push({ itemId: item.id, entity: item.entity, entityId: item.entityKey, from: asRollback.before, to: asRollback.target });
          }
        }
      }
    }
    return { batchId, restore, skipped };
  }

  /** Master-side items of a rollback are settled at once, in the transaction that creates it. */
  private async applyMasterSide(tx: Executor, batchId: string): Promise<void> {
    const items = await tx.select().from(batchItems).where(and(eq(batchItems.batchId, batchId), eq(batchItems.side, 'master')));
    for (const item of items) {
      const res = await applyMasterItem(tx, item);
      await tx
        .update(batchItems)
        .set({
          status: res.status,
          after: res.status === 'applied' ? item.target : null,
          observed: res.observed ?? null,
          error: res.status === 'drifted' ? 'The master was edited since; left as it is' : null,
          finishedAt: sql`now()`,
        })
        .where(eq(batchItems.id, item.id));
      if (res.status === 'applied' && item.sourceItemId) {
        await tx.update(batchItems).set({ status: 'rolled_back' }).where(eq(batchItems.id, item.sourceItemId));
        const [source] = await tx.select({ changeId: batchItems.stagedChangeId }).from(batchItems).where(eq(batchItems.id, item.sourceItemId));
        if (source?.changeId) await tx.update(stagedChanges).set({ status: 'rolled_back', updatedAt: sql`now()` }).where(eq(stagedChanges.id, source.changeId));
      }
    }
  }

  private async createOperation(tx: Executor, kind: 'push' | 'rollback', storeId: string, by: string, total: number, title: string, batchId: string): Promise<string> {
    const rows = await tx.execute(sql`insert into operations (kind, status, store_id, title, started_by, progress_total, meta)
      values (${kind}, 'queued', ${storeId}, ${title}, ${by}, ${total}, ${JSON.stringify({ batchId })}::jsonb) returning id`);
    const id = (Array.isArray(rows) ? rows[0] : (rows as unknown as { rows: Array<{ id: string }> }).rows[0])!.id as string;
    await tx.update(batches).set({ operationId: id }).where(eq(batches.id, batchId));
    return id;
  }
}

export function getPushService(runtime: Runtime): PushService {
  const service = runtime.services.get('push') as PushService | undefined;
  if (!service) throw new Error('The push subsystem is not started in this process');
  return service;
}
