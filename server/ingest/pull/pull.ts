import { eq, sql } from 'drizzle-orm';
import { type Store, stores } from '../../../drizzle/schema';
import type { ChangeSource } from '../../../lib/sync/model';
import { saveMetafieldDefinitions } from '../../catalog/metafield-definitions';
import { markGoneOutside, masterIsEmpty, nextGeneration, type RemoteRecord, writeRemote } from '../../catalog/remote';
import type { Executor } from '../../db/client';
import { pgTextArray } from '../../db/rows';
import type { Logger } from '../../logger';
import { OperationCancelled, type OperationHandle } from '../../operations/handle';
import type { Runtime } from '../../runtime';
import { publishStaged } from '../../staging/events';
import { addRestaged, noneRestaged, type RestageResult, restage } from '../../staging/restage';
import { ChunkWriter, stageLevels, stageRecords } from './chunks';
import type { CatalogReader } from './reader';

export type PullMode = 'full' | 'incremental';

/** Incremental reads start this long before the cursor: clocks differ and updatedAt is set late. */
export const OVERLAP_MS = 2 * 60 * 1000;

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
 * Reads Shopify into catalog_entities.remote and restages, chunk by chunk: each batch the reader
 * hands over is written and staged in one transaction (chunks.ts), so a cancel or failure leaves
 * nothing written unstaged. An incremental read takes products by updated_at, then the stock that
 * moved. A full read ends by marking rows it did not see as gone and restaging the store; the
 * first full pull into an empty master adopts Shopify as local and base. The cursor moves only
 * when everything read was staged, so a failed read is retried from where it safely stood.
 */
export async function runPull(
  deps: PullDeps,
  store: Store,
  mode: PullMode,
  handle: OperationHandle | null,
  source: ChangeSource = 'pull',
): Promise<PullOutcome> {
  const startedAt = new Date();
  const effective: PullMode = mode === 'incremental' && !store.incrementalCursor ? 'full' : mode;
  const generation = await nextGeneration(deps.db, store.id);
  const adopt = effective === 'full' && (await masterIsEmpty(deps.db, store.id));
  const signal = handle?.signal ?? new AbortController().signal;
  const since = store.incrementalCursor ? new Date(store.incrementalCursor.getTime() - OVERLAP_MS) : new Date(0);
  // Every pull and poll learns the store's locations first (one cheap query): the stock read goes
  // location by location, and a product read asks for as many levels as there are locations, so
  // stock at a location added in Shopify since the last pull is read by this one.
  if (deps.reader.locations) await saveLocations(deps.db, store.id, await deps.reader.locations());
  // The metafield definitions (two cheap queries): edits and imports are checked against their types.
  if (deps.reader.metafieldDefinitions) await saveMetafieldDefinitions(deps.db, store.id, await deps.reader.metafieldDefinitions());
  const stream = effective === 'full' ? deps.reader.fullCatalog(signal) : deps.reader.productsUpdatedSince(since, signal);
  const chunks = new ChunkWriter(deps, {
    storeId: store.id,
    generation,
    read: adopt ? 'adopt' : effective === 'full' ? 'full' : 'reread',
    source,
  });
  const cancelled = () => {
    if (signal.aborted) throw new OperationCancelled(handle!.id);
  };

  let productsRead = 0;
  let rowsRead = 0;
  // A full pull finds rows gone from Shopify without touching unchanged rows: each chunk marks the
  // children its products lack, and the end marks everything of products and collections not read
  // (only their keys are remembered, not every row's).
  const rootKeys: string[] = [];
  const t0 = performance.now();
  let firstBatchMs: number | null = null;
  let levelsRead = 0;
  const progress = () => handle?.progress(productsRead, { counts: { productsRead, rowsRead }, current: `${productsRead} products read` });
  try {
    for await (const batch of stream) {
      firstBatchMs ??= performance.now() - t0;
      cancelled();
      for (const record of batch) {
        if (record.entity === 'product') productsRead++;
        if (chunks.scope.read === 'full' && (record.entity === 'product' || record.entity === 'collection')) rootKeys.push(record.key);
      }
      rowsRead += batch.length;
      await chunks.add((tx) => stageRecords(tx, chunks.scope, batch, deps.logger));
      progress();
    }
    if (effective === 'incremental') {
      for await (const stock of deps.reader.stockUpdatedSince(since, signal)) {
        cancelled();
        productsRead += stock.products.filter((r) => r.entity === 'product').length;
        levelsRead += stock.levels.length;
        rowsRead += stock.products.length + stock.levels.length;
        await chunks.add(async (tx) =>
          addRestaged(
            await stageRecords(tx, chunks.scope, stock.products, deps.logger),
            await stageLevels(tx, chunks.scope, stock.levels, deps.logger),
          ),
        );
        progress();
      }
    }
  } finally {
    await chunks.settled();
  }
  const staged = await chunks.drain();
  cancelled();

  const readMs = performance.now() - t0;
  // The first pull wrote the whole table: fresh statistics for the plans that follow.
  if (adopt) await deps.db.execute(sql`analyze catalog_entities`);
  handle?.log(adopt ? 'Adopting Shopify as the master (first pull)' : 'Classifying changes');
  const last = await deps.db.transaction(async (tx) => {
    let result = noneRestaged();
    // Adopting: nothing of the master was there before, so nothing can have vanished.
    // The whole store is classified again: besides what vanished, the master may have moved
    // without a restage of its own (a rollback restoring it), and a full pull proposes that.
    if (chunks.scope.read === 'full') {
      await markGoneOutside(tx, store.id, rootKeys);
      result = await restage(tx, { storeId: store.id, all: true }, source, deps.logger);
    }
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
  addRestaged(staged, last);
  const stageMs = performance.now() - t0 - readMs;
  await publishStaged(deps.runtime.hub, store.id, last, source);
  const counts = {
    productsRead,
    rowsRead,
    ...(effective === 'incremental' ? { levelsRead } : {}),
    staged: staged.changeIds.length,
    ...prefixed(staged.counts),
    superseded: staged.superseded,
  };
  handle?.progress(productsRead, { total: productsRead, counts });
  return { mode: effective, adopted: adopt, productsRead, rowsRead, staged, counts, timings: { firstBatchMs, readMs, stageMs } };
}

/** Re-reads chosen products (a webhook, a drift check) and restages them. */
export async function refreshProducts(deps: PullDeps, storeId: string, ids: string[], source: ChangeSource): Promise<RestageResult> {
  const records = await deps.reader.products(ids);
  return applyProductRecords(deps, storeId, ids, records, source);
}

export async function applyProductRecords(
  deps: PullDeps,
  storeId: string,
  ids: string[],
  records: RemoteRecord[],
  source: ChangeSource,
): Promise<RestageResult> {
  const seen = new Set(records.filter((r) => r.entity === 'product').map((r) => r.key));
  const gone = ids.filter((id) => !seen.has(id));
  const staged = await deps.db.transaction(async (tx) => {
    const generation = await nextGeneration(tx, storeId);
    return stageRecords(tx, { storeId, generation, read: 'reread', source }, records, deps.logger, gone);
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
    return restage(
      tx,
      { storeId, entities: [{ entity: 'collection', key: id }], productKeys: await membershipProducts(tx, storeId, id) },
      source,
      deps.logger,
    );
  });
  await publishStaged(deps.runtime.hub, storeId, staged, source);
  return staged;
}

async function membershipProducts(tx: Executor, storeId: string, collectionId: string): Promise<string[]> {
  const rows = (await tx.execute(
    sql`select distinct product_key from catalog_entities
        where store_id = ${storeId} and entity = 'membership' and key like ${`${collectionId}|%`}`,
  )) as unknown;
  const list = Array.isArray(rows) ? rows : ((rows as { rows: unknown[] }).rows ?? []);
  return (list as Array<{ product_key: string }>).map((r) => r.product_key);
}

/**
 * The store's locations as Shopify lists them now: new ones added, names and states updated, and
 * one no longer listed (Shopify lists active locations only) kept as inactive. Nothing is
 * written when nothing changed.
 */
async function saveLocations(db: Executor, storeId: string, list: Array<{ id: string; name: string; active: boolean }>): Promise<void> {
  if (list.length === 0) return;
  await db.execute(sql`insert into locations (store_id, id, name, active)
                       select ${storeId}::uuid, x.id, x.name, x.active
                        from jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as x(id text, name text, active boolean)
                       on conflict (store_id, id) do update set name = excluded.name, active = excluded.active, updated_at = now()
                       where (locations.name, locations.active) is distinct from (excluded.name, excluded.active)`);
  await db.execute(sql`update locations set active = false, updated_at = now()
                       where store_id = ${storeId} and active and id <> all(${pgTextArray(list.map((l) => l.id))}::text[])`);
}

function prefixed(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`staged_${k}`, v]));
}
