import { sql } from 'drizzle-orm';
import { normalizeDocument } from '../../lib/sync/fields';
import type { EntityType, FieldValues } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryOne, queryRows } from '../db/rows';
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
      seen_generation = excluded.seen_generation
    ${options.skipUnchanged ? sql`where catalog_entities.remote is distinct from excluded.remote or catalog_entities.meta is distinct from excluded.meta
      or catalog_entities.remote_updated_at is distinct from excluded.remote_updated_at
      or catalog_entities.product_key is distinct from coalesce(excluded.product_key, catalog_entities.product_key)` : sql``}`);
}

/**
 * Marks as gone from Shopify every row of the store a full read did not see (`seen` holds
 * entity + NUL + key of every record read). Keys are compared in JS, page by page.
 */
export async function markMissing(db: Executor, storeId: string, seen: ReadonlySet<string>): Promise<number> {
  let after: [string, string] = ['', ''];
  let gone = 0;
  for (;;) {
    const rows = await queryRows<{ entity: string; key: string }>(
      db,
      sql`select entity, key from catalog_entities where store_id = ${storeId} and remote is not null and (entity, key) > (${after[0]}, ${after[1]})
          order by entity, key limit 20000`,
    );
    if (rows.length === 0) break;
    const missing = rows.filter((r) => !seen.has(`${r.entity}\u0000${r.key}`));
    if (missing.length) {
      gone += missing.length;
      await db.execute(sql`update catalog_entities e set remote = null, remote_seen_at = now()
                           from jsonb_to_recordset(${JSON.stringify(missing)}::jsonb) as x(entity text, key text)
                           where e.store_id = ${storeId} and e.entity = x.entity and e.key = x.key`);
    }
    const last = rows[rows.length - 1]!;
    after = [last.entity, last.key];
  }
  return gone;
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
