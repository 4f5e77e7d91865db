import { type SQL, sql } from 'drizzle-orm';
import { FAILED_CHANGE_STATUSES, OPEN_CHANGE_STATUSES } from '../../lib/sync/model';
import { keyset } from '../db/keyset';
import { CHANGE_STATUS, containsPattern, PRODUCT_SYNC_STATUS, sqlConstants } from '../db/literals';
import { pgTextArray } from '../db/rows';

/**
 * Every statement of the catalog (as pg-boss keeps its SQL in plans.ts): the product and collection
 * lists, and the pull's writes of Shopify's side. Products are aliased `p`, collections `c`, a list's
 * rows `s` once wrapped in a subquery.
 */

const OPEN = sqlConstants(OPEN_CHANGE_STATUSES);
const FAILED = sqlConstants(FAILED_CHANGE_STATUSES);

/** Product, collection and member lists: by title, then id. */
export const titlePages = keyset({
  key: { column: sql`s.sort_title`, type: 'text' },
  id: { column: sql`s.id`, type: 'uuid' },
  direction: 'asc',
});

const keyMatch = (alias: SQL, idOrKey: string) =>
  /^[0-9a-f-]{36}$/i.test(idOrKey) ? sql`${alias}.id = ${idOrKey}::uuid` : sql`${alias}.key = ${idOrKey}`;

const paged = (inner: SQL, outer: SQL, cursor: string | undefined, limit: number) => {
  const after = titlePages.after(cursor);
  return sql`select * from (${inner}) s where ${outer} ${after ? sql`and ${after}` : sql``}
    order by ${titlePages.orderBy} limit ${titlePages.fetchLimit(limit)}`;
};

/** Precedence: an open conflict, then a failed or drifted push, then anything open, then never agreed. */
const SYNC_STATUS = sql`case
  when exists (select 1 from staged_changes c where c.store_id = p.store_id and c.product_key = p.key
               and c.status = ${CHANGE_STATUS.pending} and c.kind = 'conflict') then ${PRODUCT_SYNC_STATUS.conflict}
  when exists (select 1 from staged_changes c where c.store_id = p.store_id and c.product_key = p.key and c.status in (${FAILED})
               and not exists (select 1 from staged_changes d where d.store_id = c.store_id and d.entity = c.entity
                               and d.entity_key = c.entity_key and d.status = ${CHANGE_STATUS.applied}
                               and d.updated_at > c.updated_at)) then ${PRODUCT_SYNC_STATUS.error}
  when exists (select 1 from staged_changes c where c.store_id = p.store_id and c.product_key = p.key and c.status in (${OPEN}))
    then ${PRODUCT_SYNC_STATUS.pending}
  when p.base is null or p.remote is null then ${PRODUCT_SYNC_STATUS.not_synced}
  else ${PRODUCT_SYNC_STATUS.synced} end`;

const PRODUCT_SELECT = sql`select p.id, p.store_id, p.key, p.local, p.base, p.remote, p.meta, p.updated_at,
    coalesce(p.local->>'title', p.remote->>'title', '') as sort_title,
    ${SYNC_STATUS} as sync_status,
    (select count(*)::int from staged_changes c where c.store_id = p.store_id and c.product_key = p.key
       and c.status = ${CHANGE_STATUS.pending}) as pending_changes
  from catalog_entities p`;

export interface ProductFilter {
  status?: string;
  vendor?: string;
  q?: string;
  syncStatus?: string;
}

/** Products of the store; `q` matches title, handle and SKU literally, or the Shopify GID exactly. */
function productWhere(storeId: string, filter: ProductFilter): SQL {
  const parts: SQL[] = [sql`p.store_id = ${storeId}`, sql`p.entity = 'product'`, sql`(p.local is not null or p.remote is not null)`];
  if (filter.status) parts.push(sql`coalesce(p.local->>'status', p.remote->>'status') = ${filter.status}`);
  if (filter.vendor) parts.push(sql`coalesce(p.local->>'vendor', p.remote->>'vendor') = ${filter.vendor}`);
  if (filter.q) parts.push(productMatches(filter.q));
  return sql.join(parts, sql` and `);
}

/**
 * Condition on a product row aliased `p`: its title or handle, or a variant's SKU, contains the
 * text literally (case-insensitive), or the text is its Shopify GID. The Products search and the
 * Batches search ask the same question.
 */
export function productMatches(text: string): SQL {
  const like = containsPattern(text);
  return sql`(coalesce(p.local->>'title', p.remote->>'title') ilike ${like}
      or coalesce(p.local->>'handle', p.remote->>'handle') ilike ${like}
      or p.key = ${text}
      or exists (select 1 from catalog_entities v where v.store_id = p.store_id and v.product_key = p.key and v.entity = 'variant'
                 and coalesce(v.local->>'sku', v.remote->>'sku') ilike ${like}))`;
}

/** The sync status is computed per row, so it filters the rows of the subquery. */
const syncStatusIs = (filter: ProductFilter) => (filter.syncStatus ? sql`s.sync_status = ${filter.syncStatus}` : sql`true`);

export const countProducts = (storeId: string, filter: ProductFilter) =>
  sql`select count(*)::int as n from (${PRODUCT_SELECT} where ${productWhere(storeId, filter)}) s where ${syncStatusIs(filter)}`;

export const productPage = (storeId: string, filter: ProductFilter, cursor: string | undefined, limit: number) =>
  paged(sql`${PRODUCT_SELECT} where ${productWhere(storeId, filter)}`, syncStatusIs(filter), cursor, limit);

/** A product's rows (variants, levels with their location's name, memberships). */
export const rowsOfProducts = (storeId: string, keys: string[]) =>
  sql`select e.id, e.entity, e.key, e.product_key, e.local, e.remote, e.base, e.meta, l.name as location_name
      from catalog_entities e
      left join locations l on e.entity = 'inventory_level' and l.store_id = e.store_id and l.id = split_part(e.key, '|', 2)
      where e.store_id = ${storeId} and e.product_key in (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )}) and e.entity <> 'product'
      order by e.entity, coalesce((e.meta->>'position')::int, 0), e.key`;

/** A product by its stable id (uuid) or its Shopify GID. */
export const productByIdOrKey = (idOrKey: string, storeId?: string) =>
  sql`${PRODUCT_SELECT} where p.entity = 'product' and ${keyMatch(sql`p`, idOrKey)} ${storeId ? sql`and p.store_id = ${storeId}` : sql``}
      limit 1`;

const COLLECTION_SELECT = sql`select c.id, c.store_id, c.key, c.local, c.remote, c.base, c.meta,
    coalesce(c.local->>'title', c.remote->>'title', '') as sort_title,
    (select count(*)::int from catalog_entities m where m.store_id = c.store_id and m.entity = 'membership' and m.key like c.key || '|%'
       and coalesce(m.local, m.remote) is not null) as products_count,
    (select count(*)::int from staged_changes s where s.store_id = c.store_id and s.status = ${CHANGE_STATUS.pending}
       and ((s.entity = 'collection' and s.entity_key = c.key) or (s.entity = 'membership' and s.entity_key like c.key || '|%')))
      as pending_changes
  from catalog_entities c`;

/** Collections of the store; `q` matches title and handle literally. */
function collectionWhere(storeId: string, q: string | undefined): SQL {
  const like = q ? containsPattern(q) : null;
  return sql`c.store_id = ${storeId} and c.entity = 'collection' and (c.local is not null or c.remote is not null)
    ${
      like
        ? sql`and (coalesce(c.local->>'title', c.remote->>'title') ilike ${like}
                   or coalesce(c.local->>'handle', c.remote->>'handle') ilike ${like})`
        : sql``
    }`;
}

export const countCollections = (storeId: string, q: string | undefined) =>
  sql`select count(*)::int as n from catalog_entities c where ${collectionWhere(storeId, q)}`;

export const collectionPage = (storeId: string, q: string | undefined, cursor: string | undefined, limit: number) =>
  paged(sql`${COLLECTION_SELECT} where ${collectionWhere(storeId, q)}`, sql`true`, cursor, limit);

export const collectionByIdOrKey = (idOrKey: string) =>
  sql`${COLLECTION_SELECT} where c.entity = 'collection' and ${keyMatch(sql`c`, idOrKey)} limit 1`;

/** Members of a collection (keys `<collection>|<product>`), with the product's title and the membership's state. */
export function collectionMembersPage(storeId: string, collectionKey: string, cursor: string | undefined, limit: number): SQL {
  const members = sql`select p.id, p.key, coalesce(p.local->>'title', p.remote->>'title', '') as sort_title,
        m.local is not null as member_local, m.remote is not null as member_remote,
        exists (select 1 from staged_changes s where s.store_id = m.store_id and s.entity = 'membership' and s.entity_key = m.key
                and s.status = ${CHANGE_STATUS.pending}) as pending
      from catalog_entities m
      join catalog_entities p on p.store_id = m.store_id and p.entity = 'product' and p.key = m.product_key
      where m.store_id = ${storeId} and m.entity = 'membership' and m.key like ${`${collectionKey}|%`}
        and (m.local is not null or m.remote is not null)`;
  return paged(members, sql`true`, cursor, limit);
}

/**
 * Upserts Shopify's documents from the rows `source` (a FROM item aliased x with columns entity, key,
 * product_key, doc, meta, updated_at, fingerprint). `adopt`: the first pull into an empty master,
 * Shopify's document becomes local and base.
 */
export function upsertRemote(storeId: string, source: SQL, options: { adopt: boolean; generation: number }): SQL {
  const adopt = options.adopt;
  return sql`
    insert into catalog_entities (store_id, entity, key, product_key, remote, local, base, meta, remote_updated_at, remote_seen_at,
                                  seen_generation, local_updated_at, remote_fingerprint)
    select ${storeId}::uuid, x.entity, x.key, x.product_key, x.doc,
           case when ${adopt} then x.doc end, case when ${adopt} then x.doc end,
           x.meta, x.updated_at, now(), ${options.generation}, case when ${adopt} then now() end, x.fingerprint
    from ${source}
    on conflict (store_id, entity, key) do update set
      remote = excluded.remote,
      product_key = coalesce(excluded.product_key, catalog_entities.product_key),
      meta = excluded.meta,
      remote_updated_at = excluded.remote_updated_at,
      remote_seen_at = excluded.remote_seen_at,
      seen_generation = excluded.seen_generation,
      remote_fingerprint = excluded.remote_fingerprint`;
}

/** The columns of a batch of remote records, in the order COPY and the recordset carry them. */
export const REMOTE_BATCH_COLUMNS = ['entity', 'key', 'product_key', 'doc', 'meta', 'updated_at', 'fingerprint'] as const;

/** A JSON array of remote records as the rows `x` that upsertRemote reads. */
export const remoteRecordset = (payload: string) =>
  sql`jsonb_to_recordset(${payload}::jsonb)
        as x(entity text, key text, product_key text, doc jsonb, meta jsonb, updated_at timestamptz, fingerprint text)`;

/** The table a large batch is copied into (COPY FROM), emptied at commit; upsertRemote then reads it as `x`. */
export const createRemoteBatchTable = () =>
  sql`create temporary table if not exists remote_batch (entity text, key text, product_key text, doc jsonb, meta jsonb,
        updated_at timestamptz, fingerprint text) on commit delete rows`;
export const clearRemoteBatchTable = () => sql`truncate remote_batch`;
export const remoteBatchTable = () => sql`remote_batch x`;

/**
 * What a full read compares against: the fingerprint of every row Shopify had (remote not null) of
 * the batch's products, and of its collections.
 */
export const storedFingerprints = (storeId: string, productKeys: string[], collectionKeys: string[]) =>
  sql`select entity, key, product_key, remote_fingerprint from catalog_entities
      where store_id = ${storeId} and remote is not null
        and (product_key = any(${pgTextArray(productKeys)}::text[])
             or (entity = 'collection' and key = any(${pgTextArray(collectionKeys)}::text[])))`;

/** The fingerprints of exact rows (level rows read alone). */
export const storedFingerprintsOf = (storeId: string, refs: Array<{ entity: string; key: string }>) =>
  sql`select e.entity, e.key, e.product_key, e.remote_fingerprint from catalog_entities e
      join jsonb_to_recordset(${JSON.stringify(refs)}::jsonb) as x(entity text, key text) on x.entity = e.entity and x.key = e.key
      where e.store_id = ${storeId} and e.remote is not null`;

/** Rows gone from Shopify, by (entity, key). */
export const markRowsGone = (storeId: string, refs: Array<{ entity: string; key: string }>) =>
  sql`update catalog_entities e set remote = null, remote_seen_at = now()
      from jsonb_to_recordset(${JSON.stringify(refs)}::jsonb) as x(entity text, key text)
      where e.store_id = ${storeId} and e.entity = x.entity and e.key = x.key and e.remote is not null`;

export const createSeenRoots = () => sql`create temporary table pull_seen_roots (key text primary key) on commit drop`;

export const insertSeenRoots = (roots: readonly string[]) =>
  sql`insert into pull_seen_roots select distinct unnest(${pgTextArray(roots)}::text[]) on conflict do nothing`;

export const analyzeSeenRoots = () => sql`analyze pull_seen_roots`;

/** Every row whose product (or, for a collection, itself) is not among the seen roots; their roots. */
export const markGoneOutsideSeen = (storeId: string) =>
  sql`with gone as (update catalog_entities e set remote = null, remote_seen_at = now()
      where e.store_id = ${storeId} and e.remote is not null
        and not exists (select 1 from pull_seen_roots s where s.key = coalesce(e.product_key, e.key))
      returning e.entity, e.key, e.product_key)
      select distinct case when entity = 'collection' then 'collection' else 'product' end as entity, coalesce(product_key, key) as key
      from gone`;

export const nextGeneration = (storeId: string) =>
  sql`update stores set pull_generation = pull_generation + 1 where id = ${storeId} returning pull_generation as g`;

export function markUnseen(storeId: string, generation: number, scope: { all: true } | { productKeys: string[]; entities: string[] }): SQL {
  const filter =
    'all' in scope
      ? sql`true`
      : sql`product_key = any(${pgTextArray(scope.productKeys)}::text[]) and entity = any(${pgTextArray(scope.entities)}::text[])`;
  return sql`update catalog_entities set remote = null, remote_seen_at = now()
             where store_id = ${storeId} and seen_generation < ${generation} and remote is not null and (${filter})`;
}

export const markProductsGone = (storeId: string, productKeys: string[]) =>
  sql`update catalog_entities set remote = null, remote_seen_at = now()
      where store_id = ${storeId} and product_key = any(${pgTextArray(productKeys)}::text[]) and remote is not null`;

export const masterRowCount = (storeId: string) =>
  sql`select count(*)::int as n from (select 1 from catalog_entities where store_id = ${storeId} and local is not null limit 1) s`;

/** The store's active locations, by name. */
export const activeLocations = (storeId: string) =>
  sql`select id, name from locations where store_id = ${storeId} and active order by name, id`;

/** Collections of the master, with their handle, title and whether Shopify fills them by rules. */
export const masterCollections = (storeId: string) =>
  sql`select key, local->>'handle' as handle, local->>'title' as title, coalesce((meta->>'smart')::boolean, false) as smart
      from catalog_entities where store_id = ${storeId} and entity = 'collection' and local is not null`;
