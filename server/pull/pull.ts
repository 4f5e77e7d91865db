import { eq, sql } from 'drizzle-orm';
import { stores, type Store } from '../../drizzle/schema';
import { AppError } from '../../lib/errors';
import type { ChangeSource } from '../../lib/sync/model';
import { markGoneOutside, markProductsGone, markUnseen, masterIsEmpty, nextGeneration, type RemoteRecord, writeRemote } from '../catalog/remote';
import type { Executor } from '../db/client';
import type { Logger } from '../logger';
import { type OperationHandle, OperationCancelled } from '../operations/service';
import type { Runtime } from '../runtime';
import { publishStaged } from '../staging/events';
import { restage, type RestageResult } from '../staging/restage';
import { PRODUCT_ROW_ENTITIES, type CatalogReader } from './reader';

export type PullMode = 'full' | 'incremental';

/** Incremental reads start this long before the cursor: clocks differ and updatedAt is set late. */
export const OVERLAP_MS = 2 * 60 * 1000;
/** Remote rows are written in batches of this many. */
const WRITE_BATCH = 2000;
const WRITES_IN_FLIGHT = 2;

export interface PullOutcome {
  mode: PullMode;
  adopted: boolean;
  productsRead: number;
  rowsRead: number;
  staged: RestageResult;
  counts: Record<string, number>;
  /** Time until Shopify's first records arrived (the bulk query running there), and the whole read. */
  timings: { firstBatchMs: number | null; readMs: number; stageMs: number };
}

export interface PullDeps {
  db: Runtime['db'];
  logger: Logger;
  runtime: Pick<Runtime, 'hub'>;
  reader: CatalogReader;
}

/**
 * Reads Shopify into catalog_entities.remote and restages. A full read ends by marking rows it did
 * not see as gone; the first full pull into an empty master adopts Shopify as local and base.
 * Remote rows are committed batch by batch (they are only "what Shopify had"); classification and
 * staging run in one transaction at the end, so a cancel or failure stages nothing half-way.
 */
export async function runPull(deps: PullDeps, store: Store, mode: PullMode, handle: OperationHandle | null, source: ChangeSource = 'pull'): Promise<PullOutcome> {
  const startedAt = new Date();
  const effective: PullMode = mode === 'incremental' && !store.incrementalCursor ? 'full' : mode;
  const generation = await nextGeneration(deps.db, store.id);
  const adopt = effective === 'full' && (await masterIsEmpty(deps.db, store.id));
  const signal = handle?.signal ?? new AbortController().signal;
  const since = store.incrementalCursor ? new Date(store.incrementalCursor.getTime() - OVERLAP_MS) : new Date(0);
  const stream = effective === 'full' ? deps.reader.fullCatalog(signal) : deps.reader.productsUpdatedSince(since, signal);

  let productsRead = 0;
  let rowsRead = 0;
  const productKeys: string[] = [];
  let pendingRows: RemoteRecord[] = [];
  // A full pull finds rows gone from Shopify without touching unchanged rows: each write marks the
  // children its products lack, and the end marks everything of products and collections not read
  // (only their keys are remembered, not every row's).
  const markGone = effective === 'full' && !adopt;
  const rootKeys: string[] = [];
  // Writes overlap with reading the next batch: at most WRITES_IN_FLIGHT statements run at once.
  const inFlight = new Set<Promise<void>>();
  let writeError: unknown = null;
  const flush = async () => {
    if (pendingRows.length === 0) return;
    const rows = pendingRows;
    pendingRows = [];
    // Batches commit without waiting for their WAL flush: they only cache what Shopify had, and the
    // staging transaction at the end commits synchronously, which flushes every batch before it.
    const write = deps.db
      .transaction(async (tx) => {
        await tx.execute(sql`set local synchronous_commit = off`);
        await writeRemote(tx, store.id, rows, { generation, adopt, skipUnchanged: markGone, goneWithinProducts: markGone });
      })
      .catch((err) => {
        writeError ??= err;
      })
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
    if (inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(inFlight);
    if (writeError) throw writeError;
  };
  const t0 = performance.now();
  let firstBatchMs: number | null = null;
  for await (const batch of stream) {
    firstBatchMs ??= performance.now() - t0;
    if (signal.aborted) throw new OperationCancelled(handle!.id);
    for (const record of batch) {
      if (record.entity === 'product') {
        productsRead++;
        if (effective === 'incremental') productKeys.push(record.key);
      }
      pendingRows.push(record);
      if (markGone && (record.entity === 'product' || record.entity === 'collection')) rootKeys.push(record.key);
    }
    rowsRead += batch.length;
    if (pendingRows.length >= WRITE_BATCH) await flush();
    handle?.progress(productsRead, { counts: { productsRead, rowsRead }, current: `${productsRead} products read` });
  }
  await flush();
  await Promise.all(inFlight);
  if (writeError) throw writeError;
  if (signal.aborted) throw new OperationCancelled(handle!.id);

  const readMs = performance.now() - t0;
  if (effective === 'full' && deps.reader.locations) await saveLocations(deps.db, store.id, await deps.reader.locations());
  // A full pull may have written most of the table: fresh statistics for classification's plans.
  if (effective === 'full') await deps.db.execute(sql`analyze catalog_entities`);
  handle?.log(adopt ? 'Adopting Shopify as the master (first pull)' : 'Classifying changes');
  const staged = await deps.db.transaction(async (tx) => {
    // Adopting: nothing of the master was there before, so nothing can have vanished.
    if (markGone) await markGoneOutside(tx, store.id, rootKeys);
    else if (productKeys.length) await markUnseen(tx, store.id, generation, { productKeys, entities: [...PRODUCT_ROW_ENTITIES] });
    const result = adopt
      ? emptyResult()
      : effective === 'full'
        ? await restage(tx, { storeId: store.id, all: true }, source, deps.logger)
        : await restage(tx, { storeId: store.id, productKeys }, source, deps.logger);
    await tx
      .update(stores)
      .set({
        lastPullAt: startedAt,
        incrementalCursor: startedAt,
        ...(effective === 'full' ? { lastFullPullAt: startedAt } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(stores.id, store.id));
    return result;
  });
  const stageMs = performance.now() - t0 - readMs;
  await publishStaged(deps.runtime.hub, store.id, staged, source);
  const counts = { productsRead, rowsRead, staged: staged.changeIds.length, ...prefixed(staged.counts), superseded: staged.superseded };
  handle?.progress(productsRead, { total: productsRead, counts });
  return { mode: effective, adopted: adopt, productsRead, rowsRead, staged, counts, timings: { firstBatchMs, readMs, stageMs } };
}

/** Re-reads chosen products (a webhook, a drift check) and restages them. */
export async function refreshProducts(deps: PullDeps, storeId: string, ids: string[], source: ChangeSource): Promise<RestageResult> {
  const records = await deps.reader.products(ids);
  return applyProductRecords(deps, storeId, ids, records, source);
}

export async function applyProductRecords(deps: PullDeps, storeId: string, ids: string[], records: RemoteRecord[], source: ChangeSource): Promise<RestageResult> {
  const seen = new Set(records.filter((r) => r.entity === 'product').map((r) => r.key));
  const gone = ids.filter((id) => !seen.has(id));
  const staged = await deps.db.transaction(async (tx) => {
    const generation = await nextGeneration(tx, storeId);
    await writeRemote(tx, storeId, records, { generation });
    if (seen.size) await markUnseen(tx, storeId, generation, { productKeys: [...seen], entities: [...PRODUCT_ROW_ENTITIES] });
    await markProductsGone(tx, storeId, gone);
    return restage(tx, { storeId, productKeys: ids }, source, deps.logger);
  });
  await publishStaged(deps.runtime.hub, storeId, staged, source);
  return staged;
}

/** Re-reads one collection (title, handle, description, memberships) and restages it. */
export async function refreshCollection(deps: PullDeps, storeId: string, id: string, source: ChangeSource): Promise<RestageResult> {
  const records = await deps.reader.collection(id);
  const staged = await deps.db.transaction(async (tx: Executor) => {
    const generation = await nextGeneration(tx, storeId);
    if (records) await writeRemote(tx, storeId, records, { generation });
    await tx.execute(sql`update catalog_entities set remote = null, remote_seen_at = now()
                         where store_id = ${storeId} and remote is not null and seen_generation < ${generation}
                           and ((entity = 'collection' and key = ${id}) or (entity = 'membership' and key like ${`${id}|%`}))`);
    return restage(tx, { storeId, entities: [{ entity: 'collection', key: id }], productKeys: await membershipProducts(tx, storeId, id) }, source, deps.logger);
  });
  await publishStaged(deps.runtime.hub, storeId, staged, source);
  return staged;
}

async function membershipProducts(tx: Executor, storeId: string, collectionId: string): Promise<string[]> {
  const rows = (await tx.execute(sql`select distinct product_key from catalog_entities where store_id = ${storeId} and entity = 'membership' and key like ${`${collectionId}|%`}`)) as unknown;
  const list = Array.isArray(rows) ? rows : ((rows as { rows: unknown[] }).rows ?? []);
  return (list as Array<{ product_key: string }>).map((r) => r.product_key);
}

async function saveLocations(db: Executor, storeId: string, list: Array<{ id: string; name: string; active: boolean }>): Promise<void> {
  if (list.length === 0) return;
  await db.execute(sql`insert into locations (store_id, id, name, active)
                       select ${storeId}::uuid, x.id, x.name, x.active from jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as x(id text, name text, active boolean)
                       on conflict (store_id, id) do update set name = excluded.name, active = excluded.active, updated_at = now()`);
}

function emptyResult(): RestageResult {
  return { inserted: 0, updated: 0, superseded: 0, converged: 0, counts: { incoming: 0, outgoing: 0, conflict: 0 }, changeIds: [] };
}

function prefixed(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`staged_${k}`, v]));
}

export function assertPullMode(mode: string): asserts mode is PullMode {
  if (mode !== 'full' && mode !== 'incremental') throw new AppError('validation:mode', 'mode must be "full" or "incremental"');
}
