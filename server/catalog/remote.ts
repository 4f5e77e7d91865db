import { sql } from 'drizzle-orm';
import { normalizeDocument } from '../../lib/sync/fields';
import type { EntityType, FieldValues } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryOne } from '../db/rows';
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
  await db.execute(sql`
    insert into catalog_entities (store_id, entity, key, product_key, remote, local, base, meta, remote_updated_at, remote_seen_at, seen_generation, local_updated_at)
    select ${storeId}::uuid, x.entity, x.key, x.product_key, x.doc,
           case when ${adopt} then x.doc end, case when ${adopt} then x.doc end,
           x.meta, x.updated_at, now(), ${options.generation}, case when ${adopt} then now() end
    from jsonb_to_recordset(${payload}::jsonb) as x(entity text, key text, product_key text, doc jsonb, meta jsonb, updated_at timestamptz)
    on conflict (store_id, entity, key) do update set
      remote = excluded.remote,
      product_key = coalesce(excluded.product_key, catalog_entities.product_key),
      meta = excluded.meta,
      remote_updated_at = excluded.remote_updated_at,
      remote_seen_at = excluded.remote_seen_at,
      seen_generation = excluded.seen_generation`);
}

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
