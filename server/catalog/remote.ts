import { hash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { normalizeDocument } from '../../lib/sync/fields';
import type { EntityType, FieldValues } from '../../lib/sync/model';
import type { TaxonomyCategoryName } from '../../lib/sync/taxonomy';
import type { Db, Executor } from '../db/client';
import { copyInto, copyLine } from '../db/copy';
import { queryOne, queryRows } from '../db/rows';
import * as plans from './plans';
import { rememberCategories } from './taxonomy';

/** One entity as Shopify has it: the synced fields plus read-only context. */
export interface RemoteRecord {
  entity: EntityType;
  key: string;
  /** The product it belongs to (itself for a product); null for a collection. */
  productKey: string | null;
  doc: FieldValues | null;
  meta?: Record<string, unknown>;
  updatedAt?: string | null;
}

export interface WriteRemoteOptions {
  generation: number;
  /** First pull into an empty master: Shopify's document becomes local and base too. */
  adopt?: boolean;
  /**
   * Leave rows whose remote document and context did not change untouched (their seen_generation
   * stays behind, so the caller finds vanished rows itself): a full pull of an unchanged catalog
   * then writes nothing.
   */
  skipUnchanged?: boolean;
  /**
   * The batch holds every row Shopify has of each of its products (a full read): rows of those
   * products that the batch lacks are gone from Shopify and marked so in the same statement.
   */
  goneWithinProducts?: boolean;
}

/** What a write changed: rows written, rows marked gone, and the products and collections they belong to. */
export interface RemoteWrite {
  written: number;
  gone: number;
  /** Products (keys) with a row written or marked gone. */
  productKeys: string[];
  /** Collections (keys) written. */
  collectionKeys: string[];
}

/**
 * A record as written: its document and context already in JSON text, which the fingerprint hashes
 * and COPY carries as they are (each is stringified once per row).
 */
interface BatchRow {
  entity: string;
  key: string;
  product_key: string | null;
  /** JSON text of the normalized document ('null' when Shopify has none). */
  doc: string;
  meta: Record<string, unknown>;
  /** JSON text of meta. */
  metaJson: string;
  updated_at: string | null;
  fingerprint: string;
}

/**
 * A hash of what a row's Shopify side holds: the JSON text of [doc, meta, updated_at, product] (the
 * same text JSON.stringify gives for that array, so fingerprints stored before stay comparable).
 */
function fingerprint(doc: string, metaJson: string, updatedAt: string | null, productKey: string | null): string {
  return hash('sha1', `[${doc},${metaJson},${JSON.stringify(updatedAt)},${JSON.stringify(productKey)}]`, 'base64url');
}

function batchRow(r: RemoteRecord): BatchRow {
  const doc = JSON.stringify(normalizeDocument(r.entity, r.doc));
  const meta = r.meta ?? {};
  const metaJson = JSON.stringify(meta);
  const updatedAt = r.updatedAt ?? null;
  return {
    entity: r.entity,
    key: r.key,
    product_key: r.productKey,
    doc,
    meta,
    metaJson,
    updated_at: updatedAt,
    fingerprint: fingerprint(doc, metaJson, updatedAt, r.productKey),
  };
}

/** Per entity, per key: lookups without building a joined key string per row. */
class RefMap<T> {
  private readonly byEntity = new Map<string, Map<string, T>>();
  set(entity: string, key: string, value: T): void {
    const keys = this.byEntity.get(entity);
    if (keys) keys.set(key, value);
    else this.byEntity.set(entity, new Map([[key, value]]));
  }
  get(entity: string, key: string): T | undefined {
    return this.byEntity.get(entity)?.get(key);
  }
  has(entity: string, key: string): boolean {
    return this.byEntity.get(entity)?.has(key) === true;
  }
}

/** Batches from this size go through COPY; smaller ones as one jsonb parameter. */
const COPY_FROM_ROWS = 200;

/**
 * Writes a batch of remote documents. A full read (`skipUnchanged`) first reads the fingerprints of
 * the rows it covers and writes only the rows whose fingerprint moved; with `goneWithinProducts` the
 * rows of its products that the batch lacks are marked gone. An unchanged catalog then writes
 * nothing at all. Large batches are loaded with COPY into a temporary table, then upserted in one
 * statement; small ones travel as one jsonb parameter (jsonb_to_recordset).
 */
export async function writeRemote(
  db: Executor,
  storeId: string,
  records: RemoteRecord[],
  options: WriteRemoteOptions,
): Promise<RemoteWrite> {
  const result: RemoteWrite = { written: 0, gone: 0, productKeys: [], collectionKeys: [] };
  if (records.length === 0) return result;
  let rows: BatchRow[] = records.map(batchRow);
  let gone: Array<{ entity: string; key: string; product_key: string | null }> = [];
  if (options.skipUnchanged || options.goneWithinProducts) {
    const stored = await storedFingerprints(db, storeId, rows, options.goneWithinProducts === true);
    if (options.goneWithinProducts) {
      const inBatch = new RefMap<true>();
      for (const r of rows) inBatch.set(r.entity, r.key, true);
      gone = stored.filter((s) => s.entity !== 'product' && s.entity !== 'collection' && !inBatch.has(s.entity, s.key));
    }
    if (options.skipUnchanged) {
      const known = new RefMap<string | null>();
      for (const s of stored) known.set(s.entity, s.key, s.remote_fingerprint);
      rows = rows.filter((r) => known.get(r.entity, r.key) !== r.fingerprint);
    }
  }
  const products = new Set<string>();
  const collections = new Set<string>();
  for (const r of rows) {
    if (r.entity === 'collection') collections.add(r.key);
    else if (r.product_key) products.add(r.product_key);
  }
  for (const g of gone) if (g.product_key) products.add(g.product_key);
  if (rows.length) await upsertRows(db, storeId, rows, options);
  await rememberCategories(
    db,
    rows.flatMap((r) => (r.entity === 'product' && r.meta.category ? [r.meta.category as TaxonomyCategoryName] : [])),
  );
  if (gone.length)
    await db.execute(
      plans.markRowsGone(
        storeId,
        gone.map((g) => ({ entity: g.entity, key: g.key })),
      ),
    );
  return { written: rows.length, gone: gone.length, productKeys: [...products], collectionKeys: [...collections] };
}

async function storedFingerprints(db: Executor, storeId: string, rows: BatchRow[], wholeProducts: boolean) {
  type Stored = { entity: string; key: string; product_key: string | null; remote_fingerprint: string | null };
  if (!wholeProducts) {
    return queryRows<Stored>(
      db,
      plans.storedFingerprintsOf(
        storeId,
        rows.map((r) => ({ entity: r.entity, key: r.key })),
      ),
    );
  }
  const productKeys = [...new Set(rows.filter((r) => r.entity !== 'collection' && r.product_key).map((r) => r.product_key!))];
  const collectionKeys = rows.filter((r) => r.entity === 'collection').map((r) => r.key);
  return queryRows<Stored>(db, plans.storedFingerprints(storeId, productKeys, collectionKeys));
}

async function upsertRows(db: Executor, storeId: string, rows: BatchRow[], options: WriteRemoteOptions): Promise<void> {
  const upsert = (source: SQL) => plans.upsertRemote(storeId, source, { adopt: options.adopt === true, generation: options.generation });
  if (rows.length < COPY_FROM_ROWS) {
    await db.execute(upsert(plans.remoteRecordset(recordsetJson(rows))));
    return;
  }
  // The temporary table is emptied at commit, so it lives inside a transaction (the caller's, or one of its own).
  await inTransaction(db, async (tx) => {
    await tx.execute(plans.createRemoteBatchTable());
    await tx.execute(plans.clearRemoteBatchTable());
    await copyInto(
      tx,
      'remote_batch',
      plans.REMOTE_BATCH_COLUMNS,
      rows.map((r) => copyLine([r.entity, r.key, r.product_key, r.doc === 'null' ? null : r.doc, r.metaJson, r.updated_at, r.fingerprint])),
    );
    await tx.execute(upsert(plans.remoteBatchTable()));
  });
}

/** The rows as the JSON array remoteRecordset reads, built from their JSON texts. */
function recordsetJson(rows: BatchRow[]): string {
  const items = rows.map(
    (r) =>
      `{"entity":${JSON.stringify(r.entity)},"key":${JSON.stringify(r.key)},"product_key":${JSON.stringify(r.product_key)},` +
      `"doc":${r.doc},"meta":${r.metaJson},"updated_at":${JSON.stringify(r.updated_at)},"fingerprint":${JSON.stringify(r.fingerprint)}}`,
  );
  return `[${items.join(',')}]`;
}

function inTransaction<T>(db: Executor, work: (tx: Executor) => Promise<T>): Promise<T> {
  return db instanceof PgTransaction ? work(db) : (db as Db).transaction((tx) => work(tx));
}

/**
 * After a full read: every row whose product (or, for a collection, itself) the read did not see
 * is gone from Shopify. `roots` holds the key of every product and collection read; they go
 * through a temporary table so the planner sees their number (an anti-join, not a loop).
 * Must run inside a transaction (the table is dropped on commit).
 */
export async function markGoneOutside(
  tx: Executor,
  storeId: string,
  roots: readonly string[],
): Promise<Array<{ entity: 'product' | 'collection'; key: string }>> {
  await tx.execute(plans.createSeenRoots());
  for (let i = 0; i < roots.length; i += ROOTS_PER_INSERT) {
    await tx.execute(plans.insertSeenRoots(roots.slice(i, i + ROOTS_PER_INSERT)));
  }
  await tx.execute(plans.analyzeSeenRoots());
  return queryRows<{ entity: 'product' | 'collection'; key: string }>(tx, plans.markGoneOutsideSeen(storeId));
}

const ROOTS_PER_INSERT = 10_000;

/** Starts a read generation: entities of the read scope not seen by it are gone from Shopify. */
export async function nextGeneration(db: Executor, storeId: string): Promise<number> {
  const row = await queryOne<{ g: string | number }>(db, plans.nextGeneration(storeId));
  return Number(row!.g);
}

/**
 * Marks as gone from Shopify the entities of the scope that the read of `generation` did not see.
 * Full pull: the whole store; a product re-read: those products' rows of the entity types read.
 */
export async function markUnseen(
  db: Executor,
  storeId: string,
  generation: number,
  scope: { all: true } | { productKeys: string[]; entities: EntityType[] },
): Promise<void> {
  await db.execute(plans.markUnseen(storeId, generation, scope));
}

/** A product deleted in Shopify: every row of it is gone there. */
export async function markProductsGone(db: Executor, storeId: string, productKeys: string[]): Promise<void> {
  if (productKeys.length === 0) return;
  await db.execute(plans.markProductsGone(storeId, productKeys));
}

/** True when the master holds nothing for this store yet (the first pull adopts Shopify). */
export async function masterIsEmpty(db: Executor, storeId: string): Promise<boolean> {
  const row = await queryOne<{ n: number }>(db, plans.masterRowCount(storeId));
  return Number(row?.n ?? 0) === 0;
}
