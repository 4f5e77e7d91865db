import { type SQL, sql } from 'drizzle-orm';
import { normalizeDocument } from '../../lib/sync/fields';
import type { EntityType, FieldValues } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { execCount, queryOne } from '../db/rows';
import { pgTextArray } from '../staging/restage';

/** One entity as Shopify has it: the synced fields plus read-only context. */
export interface RemoteRecord {
  entity: EntityType;
  key: string;
  /** The product it belongs to (itself for a product); null for a collection. */
  productKey: string | null;
  doc: FieldValues;
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

/**
 * Writes a batch of remote documents with one statement (one jsonb parameter expanded by
 * jsonb_to_recordset, so the batch size is not bounded by the bind-parameter limit).
 */
export async function writeRemote(db: Executor, storeId: string, records: RemoteRecord[], options: WriteRemoteOptions): Promise<void> {
  if (records.length === 0) return;
  const payload = JSON.stringify(
    records.map((r) => ({
      entity: r.entity,
      key: r.key,
      product_key: r.productKey,
      doc: normalizeDocument(r.entity, r.doc),
      meta: r.meta ?? {},
      updated_at: r.updatedAt ?? null,
    })),
  );
  const adopt = options.adopt === true;
  const upsert = (source: SQL) => sql`
    insert into catalog_entities (store_id, entity, key, product_key, remote, local, base, meta, remote_updated_at, remote_seen_at, seen_generation, local_updated_at)
    select ${storeId}::uuid, x.entity, x.key, x.product_key, x.doc,
           case when ${adopt} then x.doc end, case when ${adopt} then x.doc end,
           x.meta, x.updated_at, now(), ${options.generation}, case when ${adopt} then now() end
    from ${source}
    on conflict (store_id, entity, key) do update set
      remote = excluded.remote,
      product_key = coalesce(excluded.product_key, catalog_entities.product_key),
      meta = excluded.meta,
      remote_updated_at = excluded.remote_updated_at,
      remote_seen_at = excluded.remote_seen_at,
      seen_generation = excluded.seen_generation`;
  const recordset = sql`jsonb_to_recordset(${payload}::jsonb) as x(entity text, key text, product_key text, doc jsonb, meta jsonb, updated_at timestamptz)`;
  if (!options.skipUnchanged && !options.goneWithinProducts) {
    await db.execute(upsert(recordset));
    return;
  }
  // Unchanged rows are left out by a plain join first: ON CONFLICT would lock (and so write) every
  // row it meets even when its WHERE then skips the update. Every part of the statement sees the
  // same snapshot, and the upsert and the marking touch disjoint rows (in the batch / not in it).
  const changed = options.skipUnchanged
    ? sql`(select x.* from x left join catalog_entities c on c.store_id = ${storeId} and c.entity = x.entity and c.key = x.key
           where c.key is null or c.remote is distinct from x.doc or c.meta is distinct from x.meta
              or c.remote_updated_at is distinct from x.updated_at or c.product_key is distinct from coalesce(x.product_key, c.product_key)) x`
    : sql`x`;
  const gone = options.goneWithinProducts ? sql`, gone as (${markGoneWithinProducts(storeId, sql`x`)} returning 1)` : sql``;
  await db.execute(sql`
    with x as materialized (select * from ${recordset}),
    upserted as (${upsert(changed)} returning 1)${gone}
    select count(*) as upserted from upserted`);
}

/**
 * Rows of the batch's products (children: variants, levels, memberships) that the batch `x`
 * (entity, key) lacks: Shopify no longer has them.
 */
function markGoneWithinProducts(storeId: string, batch: SQL): SQL {
  return sql`update catalog_entities e set remote = null, remote_seen_at = now()
             where e.store_id = ${storeId} and e.entity <> 'product' and e.remote is not null
               and e.product_key in (select p.key from ${batch} p where p.entity = 'product')
               and not exists (select 1 from ${batch} s where s.entity = e.entity and s.key = e.key)`;
}

/**
 * After a full read: every row whose product (or, for a collection, itself) the read did not see
 * is gone from Shopify. `roots` holds the key of every product and collection read; they go
 * through a temporary table so the planner sees their number (an anti-join, not a loop).
 * Must run inside a transaction (the table is dropped on commit).
 */
export async function markGoneOutside(tx: Executor, storeId: string, roots: readonly string[]): Promise<number> {
  await tx.execute(sql`create temporary table pull_seen_roots (key text primary key) on commit drop`);
  for (let i = 0; i < roots.length; i += ROOTS_PER_INSERT) {
    await tx.execute(sql`insert into pull_seen_roots select distinct unnest(${pgTextArray(roots.slice(i, i + ROOTS_PER_INSERT))}::text[]) on conflict do nothing`);
  }
  await tx.execute(sql`analyze pull_seen_roots`);
  return execCount(
    tx,
    sql`update catalog_entities e set remote = null, remote_seen_at = now()
        where e.store_id = ${storeId} and e.remote is not null
          and not exists (select 1 from pull_seen_roots s where s.key = coalesce(e.product_key, e.key))`,
  );
}

const ROOTS_PER_INSERT = 10_000;

/** Starts a read generation: entities of the read scope not seen by it are gone from Shopify. */
export async function nextGeneration(db: Executor, storeId: string): Promise<number> {
  const row = await queryOne<{ g: string | number }>(db, sql`update stores set pull_generation = pull_generation + 1 where id = ${storeId} returning pull_generation as g`);
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
  const filter =
    'all' in scope
      ? sql`true`
      : sql`product_key = any(${pgTextArray(scope.productKeys)}::text[]) and entity = any(${pgTextArray(scope.entities)}::text[])`;
  await db.execute(sql`update catalog_entities set remote = null, remote_seen_at = now()
                       where store_id = ${storeId} and seen_generation < ${generation} and remote is not null and (${filter})`);
}

/** A product deleted in Shopify: every row of it is gone there. */
export async function markProductsGone(db: Executor, storeId: string, productKeys: string[]): Promise<void> {
  if (productKeys.length === 0) return;
  await db.execute(sql`update catalog_entities set remote = null, remote_seen_at = now()
                       where store_id = ${storeId} and product_key = any(${pgTextArray(productKeys)}::text[]) and remote is not null`);
}

/** True when the master holds nothing for this store yet (the first pull adopts Shopify). */
export async function masterIsEmpty(db: Executor, storeId: string): Promise<boolean> {
  const row = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from (select 1 from catalog_entities where store_id = ${storeId} and local is not null limit 1) s`);
  return Number(row?.n ?? 0) === 0;
}
