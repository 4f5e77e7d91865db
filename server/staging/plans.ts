import { type SQL, sql } from 'drizzle-orm';
import { OPEN_CHANGE_STATUSES } from '../../lib/sync/model';
import type { StagedFilter, StagedSort } from '../../lib/sync/staged-filter';
import { keyset } from '../db/keyset';
import { CHANGE_STATUS, containsPattern, sqlConstants } from '../db/literals';
import { pgTextArray } from '../db/rows';
import type { RestageScope } from './restage';

/**
 * Every statement of staging (as pg-boss keeps its SQL in plans.ts): functions that return
 * parameterized SQL; queries.ts and restage.ts run them. Staged changes are aliased `c`, catalog
 * entities `e` (restage) or `p` (a change's product).
 */

const OPEN = sqlConstants(OPEN_CHANGE_STATUSES);

/** The size of a change: its price change in percent, else its stock change in units (magnitude, restage.ts). */
const CHANGE_SIZE = sql`coalesce((c.magnitude->>'pricePercent')::numeric, abs((c.magnitude->>'quantityDelta')::numeric), 0)`;

/**
 * The review list's orders, each a keyset: newest change first; by product title (a product's rows
 * together, its own change first); largest change first.
 */
export const stagedOrders: Record<StagedSort, ReturnType<typeof keyset>> = {
  time: keyset({ key: { column: sql`c.updated_at`, type: 'timestamptz' }, id: { column: sql`c.id`, type: 'uuid' }, direction: 'desc' }),
  product: keyset({
    key: {
      column: sql`(lower(coalesce(c.title, '')) || '|' || coalesce(c.product_key, c.entity_key) || '|' || (c.entity <> 'product')::int)`,
      type: 'text',
    },
    id: { column: sql`c.id`, type: 'uuid' },
    direction: 'asc',
  }),
  size: keyset({ key: { column: CHANGE_SIZE, type: 'numeric' }, id: { column: sql`c.id`, type: 'uuid' }, direction: 'desc' }),
};
export const stagedOrder = (filter: Pick<StagedFilter, 'sort'>) => stagedOrders[filter.sort ?? 'time'];

/**
 * A change with its product's stable id, its entity's read-only context, and what names its row:
 * the variant's title and SKU (of the variant, or of the variant an inventory level counts), the
 * location's name, and a metafield's name as its definition gives it.
 */
const changeSelect = (order: ReturnType<typeof keyset>) => sql`select c.*, ${order.cursorKey} as cursor_key, p.id as product_id,
    e.meta as meta, case when c.entity = 'variant' then e.meta->>'title' else v.meta->>'title' end as variant_title,
    coalesce(v.local->>'sku', v.remote->>'sku', e.local->>'sku', e.remote->>'sku') as sku, l.name as location_name,
    json_build_object('base', e.base->>'weightUnit', 'local', e.local->>'weightUnit', 'remote', e.remote->>'weightUnit') as weight_units,
    md.name as metafield_name
  from staged_changes c
  left join catalog_entities p on p.store_id = c.store_id and p.entity = 'product' and p.key = c.product_key
  left join catalog_entities e on e.store_id = c.store_id and e.entity = c.entity and e.key = c.entity_key
  left join catalog_entities v on c.entity = 'inventory_level' and v.store_id = c.store_id and v.entity = 'variant'
    and v.key = e.meta->>'variantId'
  left join locations l on c.entity = 'inventory_level' and l.store_id = c.store_id and l.id = split_part(c.entity_key, '|', 2)
  left join metafield_definitions md on c.entity = 'metafield' and md.store_id = c.store_id
    and md.owner_type = case when c.entity_key like 'gid://shopify/ProductVariant/%' then 'PRODUCTVARIANT' else 'PRODUCT' end
    and md.namespace || '.' || md.key = split_part(c.entity_key, '|', 2)`;

const inList = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/**
 * The WHERE of the staged-change filter (lib/sync/staged-filter.ts), for the list, its counts and
 * bulk decisions alike. `except` leaves one dimension out (per-kind counts).
 */
export function stagedWhere(filter: StagedFilter, except?: 'kind'): SQL {
  const parts: SQL[] = [sql`true`];
  if (filter.storeId) parts.push(sql`c.store_id = ${filter.storeId}`);
  parts.push(filter.status?.length ? sql`c.status in (${inList(filter.status)})` : sql`c.status = ${CHANGE_STATUS.pending}`);
  if (filter.kind?.length && except !== 'kind') parts.push(sql`c.kind in (${inList(filter.kind)})`);
  if (filter.entity?.length) parts.push(sql`c.entity in (${inList(filter.entity)})`);
  if (filter.source?.length) parts.push(sql`c.source in (${inList(filter.source)})`);
  if (filter.field) parts.push(sql`c.fields @> ${JSON.stringify([{ name: filter.field }])}::jsonb`);
  if (filter.vendor) parts.push(sql`c.vendor = ${filter.vendor}`);
  if (filter.productType) parts.push(sql`c.product_type = ${filter.productType}`);
  // search_text is stored lowercased (restage.ts denormalize), by the same toLowerCase.
  if (filter.q) parts.push(sql`c.search_text like ${containsPattern(filter.q.toLowerCase())}`);
  if (filter.minPricePercent !== undefined) parts.push(sql`(c.magnitude->>'pricePercent')::numeric >= ${filter.minPricePercent}`);
  if (filter.minQuantity !== undefined) parts.push(sql`abs((c.magnitude->>'quantityDelta')::numeric) >= ${filter.minQuantity}`);
  if (filter.productId) parts.push(changeOfProduct(filter.productId));
  return sql.join(parts, sql` and `);
}

/** Condition on staged_changes `c`: the change is of this product, named by its catalog row id (a uuid) or its key. */
export function changeOfProduct(productId: string): SQL {
  return /^[0-9a-f-]{36}$/i.test(productId)
    ? sql`c.product_key = (select key from catalog_entities where id = ${productId}::uuid)`
    : sql`c.product_key = ${productId}`;
}

export function stagedPage(where: SQL, sort: StagedFilter['sort'], cursor: string | undefined, limit: number): SQL {
  const order = stagedOrder({ sort });
  const after = order.after(cursor);
  return sql`${changeSelect(order)} where ${where} ${after ? sql`and ${after}` : sql``}
    order by ${order.orderBy} limit ${order.fetchLimit(limit)}`;
}

export const countStaged = (where: SQL) => sql`select count(*)::int as n from staged_changes c where ${where}`;

export const countStagedByKind = (where: SQL) =>
  sql`select c.kind, count(*)::int as n from staged_changes c where ${where} group by c.kind`;

/**
 * The pending creates and deletes among the changes a filter lists, by kind and op: the whole
 * entries a bulk decision by the filter would create or remove (conflicts wait for a resolution).
 */
export const countStagedWholeByKind = (where: SQL) =>
  sql`select c.kind, c.op, count(*)::int as n from staged_changes c
        where ${where} and c.status = 'pending' and c.kind in ('incoming', 'outgoing') and c.op in ('create', 'delete')
        group by c.kind, c.op`;

/** The changes a bulk decision by filter takes: the list's rows, in the list's order. */
export const stagedSelection = (where: SQL, sort: StagedFilter['sort']) =>
  sql`select c.id, c.status from staged_changes c where ${where} order by ${stagedOrder({ sort }).orderBy}`;

export const changeById = (id: string) => sql`${changeSelect(stagedOrders.time)} where c.id = ${id}`;

/** The product's other open changes, shown beside one change. */
export const openChangesOfProduct = (storeId: string, productKey: string, exceptId: string) =>
  sql`${changeSelect(stagedOrders.time)} where c.store_id = ${storeId} and c.product_key = ${productKey} and c.id <> ${exceptId}
        and c.status in (${OPEN}) order by c.entity, c.entity_key limit 200`;

/** Restage's scope as a condition on catalog entities `e`. */
export function restageScope(scope: RestageScope): SQL {
  if (scope.all) return sql`true`;
  const parts: SQL[] = [];
  if (scope.productKeys?.length) parts.push(sql`e.product_key = any(${pgTextArray(scope.productKeys)}::text[])`);
  if (scope.entities?.length) {
    parts.push(
      sql`(e.entity, e.key) in (select x.entity, x.key
            from jsonb_to_recordset(${JSON.stringify(scope.entities)}::jsonb) as x(entity text, key text))`,
    );
  }
  return parts.length ? sql.join(parts, sql` or `) : sql`false`;
}

/**
 * The next chunk of entities to classify after (entity, key): documents that differ, or entities with
 * an open change; with the product document a variant's title and search text are taken from, and
 * whether the product exists on one side only (its rows then follow the product's create or delete).
 */
export function restageCandidates(storeId: string, scope: SQL, after: readonly [string, string], chunk: number): SQL {
  return sql`select e.entity, e.key, e.product_key, e.local, e.base, e.remote,
                 case when e.entity = 'product' then coalesce(e.local, e.remote) else coalesce(p.local, p.remote) end as p_doc,
                 ((e.entity not in ('product', 'collection') and p.key is not null and (p.local is null or p.remote is null))
                  or (e.entity = 'inventory_level' and v.key is not null and (v.local is null or v.remote is null))) as p_whole,
                 case when e.entity = 'product' then (
                   select jsonb_agg(n.meta->'selectedOptions') from catalog_entities n
                   where n.store_id = e.store_id and n.entity = 'variant' and n.product_key = e.key
                     and n.local is null and n.remote is not null) end as new_variants
          from catalog_entities e
          left join catalog_entities p on p.store_id = e.store_id and p.entity = 'product' and p.key = e.product_key
          -- A level of a variant created or deleted on one side follows its variant, as a product's rows follow it.
          left join catalog_entities v on e.entity = 'inventory_level' and v.store_id = e.store_id and v.entity = 'variant'
                                      and v.key = e.meta->>'variantId'
          where e.store_id = ${storeId} and (${scope}) and (e.entity, e.key) > (${after[0]}, ${after[1]})
            and (e.local is distinct from e.base or e.remote is distinct from e.base or (e.local is null and e.remote is null)
                 or (e.entity, e.key) in (select c.entity, c.entity_key from staged_changes c where c.store_id = ${storeId}
                                          and c.status in (${OPEN})))
          order by e.entity, e.key
          limit ${chunk}`;
}

export const openChangesOfEntities = (storeId: string, keys: string[]) =>
  sql`select id, entity, entity_key, kind, op, status, fields from staged_changes
        where store_id = ${storeId} and entity_key = any(${pgTextArray(keys)}::text[]) and status in (${OPEN})`;

export const insertChanges = (storeId: string, rows: Array<Record<string, unknown>>) =>
  sql`insert into staged_changes (store_id, entity, entity_key, product_key, kind, op, status, fields, source, magnitude,
                                  title, search_text, vendor, product_type)
      select ${storeId}::uuid, x.entity, x.entity_key, x.product_key, x.kind, x.op, ${CHANGE_STATUS.pending},
             x.fields, x.source, x.magnitude,
             x.title, x.search_text, x.vendor, x.product_type
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(entity text, entity_key text, product_key text, kind text, op text, fields jsonb,
             source text, magnitude jsonb, title text, search_text text, vendor text, product_type text)
      returning id, kind`;

/** New diffs for pending changes (one still pending: a decision taken meanwhile wins). */
export const updatePendingChanges = (rows: Array<Record<string, unknown>>) =>
  sql`update staged_changes c set op = x.op, fields = x.fields, source = x.source, magnitude = x.magnitude, title = x.title,
        search_text = x.search_text, vendor = x.vendor, product_type = x.product_type, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, op text, fields jsonb, source text, magnitude jsonb,
           title text, search_text text, vendor text, product_type text)
      where c.id = x.id and c.status = ${CHANGE_STATUS.pending}`;

export const supersedeChanges = (ids: string[]) =>
  sql`update staged_changes set status = ${CHANGE_STATUS.superseded}, updated_at = now()
      where id = any(${pgTextArray(ids)}::uuid[]) and status = ${CHANGE_STATUS.pending}`;

/** New bases of converged fields, and master documents with fields adopted from Shopify (local null: unchanged). */
export const setBases = (storeId: string, rows: Array<{ entity: string; key: string; base: unknown; local: unknown }>) =>
  sql`update catalog_entities e set base = x.base, local = coalesce(x.local, e.local), updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(entity text, key text, base jsonb, local jsonb)
      where e.store_id = ${storeId} and e.entity = x.entity and e.key = x.key`;

/** Entities gone from both sides (and never agreed on) leave the catalog. */
export const deleteEntities = (storeId: string, rows: Array<{ entity: string; key: string }>) =>
  sql`delete from catalog_entities e using jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(entity text, key text)
      where e.store_id = ${storeId} and e.entity = x.entity and e.key = x.key`;
