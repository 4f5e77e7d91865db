import { sql } from 'drizzle-orm';
import type { ChangeSource } from '../../../lib/sync/model';
import { markProductsGone, markUnseen, type RemoteRecord, writeRemote } from '../../catalog/remote';
import type { Executor } from '../../db/client';
import type { Logger } from '../../logger';
import type { Runtime } from '../../runtime';
import { publishStaged } from '../../staging/events';
import { addRestaged, noneRestaged, type RestageResult, restage } from '../../staging/restage';
import { PRODUCT_ROW_ENTITIES } from './reader';

/**
 * A pull writes what Shopify has chunk by chunk, and each chunk's remote rows are restaged in the
 * transaction that writes them. A read that fails half-way has staged everything it wrote: the
 * next incremental read skips products whose remote rows are current, so rows written without
 * their staging would never be staged.
 */

/**
 * How the products of a chunk were read: adopted into an empty master (nothing to stage), by a
 * full read (unchanged rows left untouched, rows a product's batch lacks gone), or re-read one by
 * one (rows of a re-read product that this read did not write are gone).
 */
export type ChunkRead = 'adopt' | 'full' | 'reread';

export interface ChunkScope {
  storeId: string;
  generation: number;
  read: ChunkRead;
  source: ChangeSource;
}

/**
 * Whole products (every row Shopify has of each product in `records`) and collections: written,
 * then restaged with `goneProducts` (products the read asked for and Shopify no longer has).
 */
export async function stageRecords(
  tx: Executor,
  scope: ChunkScope,
  records: RemoteRecord[],
  logger: Logger,
  goneProducts: string[] = [],
): Promise<RestageResult> {
  const full = scope.read === 'full';
  const written = await writeRemote(tx, scope.storeId, records, {
    generation: scope.generation,
    adopt: scope.read === 'adopt',
    skipUnchanged: full,
    goneWithinProducts: full,
  });
  const productKeys = records.filter((r) => r.entity === 'product').map((r) => r.key);
  if (scope.read === 'reread' && productKeys.length)
    await markUnseen(tx, scope.storeId, scope.generation, { productKeys, entities: [...PRODUCT_ROW_ENTITIES] });
  await markProductsGone(tx, scope.storeId, goneProducts);
  if (scope.read === 'adopt') return noneRestaged();
  // A full read restages only what it wrote: a product whose rows all kept their fingerprint
  // classifies as it did (a master edit restages when it is made).
  const restaged = full ? written.productKeys : productKeys;
  const collections = full ? written.collectionKeys : records.filter((r) => r.entity === 'collection').map((r) => r.key);
  if (restaged.length === 0 && collections.length === 0 && goneProducts.length === 0) return noneRestaged();
  const entities = collections.map((key) => ({ entity: 'collection' as const, key }));
  return restage(tx, { storeId: scope.storeId, productKeys: [...restaged, ...goneProducts], entities }, scope.source, logger);
}

/** Level rows alone (stock that moved, the products untouched): written, then restaged one by one. */
export async function stageLevels(tx: Executor, scope: ChunkScope, levels: RemoteRecord[], logger: Logger): Promise<RestageResult> {
  if (levels.length === 0) return noneRestaged();
  await writeRemote(tx, scope.storeId, levels, { generation: scope.generation, skipUnchanged: true });
  const entities = levels.map((l) => ({ entity: l.entity, key: l.key }));
  return restage(tx, { storeId: scope.storeId, entities }, scope.source, logger);
}

/**
 * Chunk transactions run while the reader fetches the next chunk. Adopting stages nothing, so two
 * chunks are written at once; staging chunks go one at a time (staging listeners such as
 * auto-approval then never run in two transactions at once), each beside the next chunk's read. The first failure is thrown by the
 * next `add` or by `drain`; what committed before it stays committed, and staged.
 */
export class ChunkWriter {
  private readonly inFlight = new Set<Promise<void>>();
  private error: unknown = null;
  private readonly staged = noneRestaged();

  constructor(
    private readonly deps: { db: Runtime['db']; runtime: Pick<Runtime, 'hub'> },
    readonly scope: ChunkScope,
  ) {}

  async add(work: (tx: Executor) => Promise<RestageResult>): Promise<void> {
    const max = this.scope.read === 'adopt' ? 2 : 1;
    while (this.inFlight.size >= max) await Promise.race(this.inFlight);
    if (this.error) throw this.error;
    // Chunks commit without waiting for their WAL flush: the pull's last transaction commits
    // synchronously, which flushes every chunk before it; a chunk lost in a crash is lost whole.
    const write = this.deps.db
      .transaction(async (tx) => {
        await tx.execute(sql`set local synchronous_commit = off`);
        return work(tx);
      })
      .then(async (result) => {
        addRestaged(this.staged, result);
        await publishStaged(this.deps.runtime.hub, this.scope.storeId, result, this.scope.source);
      })
      .catch((err) => {
        this.error ??= err;
      })
      .finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
  }

  /** Waits for the chunks in flight, whatever their end: a failed read returns only once nothing of it is still writing. */
  async settled(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  /** Waits for the chunks in flight; the sum of what they staged. */
  async drain(): Promise<RestageResult> {
    await Promise.all(this.inFlight);
    if (this.error) throw this.error;
    return this.staged;
  }
}
