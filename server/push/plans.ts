import { type SQL, sql } from 'drizzle-orm';
import { OPEN_ITEM_STATUSES, PUSHED_BATCH_KINDS } from '../../lib/sync/model';
import { productMatches } from '../catalog/plans';
import { CHANGE_STATUS, containsPattern, ITEM_STATUS } from '../db/literals';
import { pgTextArray } from '../db/rows';

/**
 * The push subsystem's raw SQL, one function per statement or condition, parameterized; the
 * drizzle builder covers the rest. Status and kind lists come from lib/sync/model.
 */

const list = (values: readonly string[]): SQL =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

const uuids = (ids: readonly string[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/** The key a unit of work is taken by: the product, or the entity itself when it has none. */
const UNIT_KEY = sql`coalesce(product_key, entity_key)`;

/** Condition on batch_items: the item belongs to the unit of this product key. */
export function inUnit(productKey: string): SQL {
  return sql`${UNIT_KEY} = ${productKey}`;
}

/** Queued variant updates of a bulk batch, `limit` at most, in product order (one bulk line per product). */
export function bulkVariantIds(batchId: string, limit: number): SQL {
  return sql`select id from batch_items
    where batch_id = ${batchId} and status = ${ITEM_STATUS.queued} and entity = 'variant' and op = 'update'
    order by product_key limit ${limit}`;
}

export interface RankedBatch {
  id: string;
  /** Higher is taken first. */
  rank: number;
  bulk: boolean;
}

/**
 * The next unit to take: the highest-ranked batch's first queued product that no unit in flight
 * holds. A bulk batch's variant updates are left to its bulk run.
 */
export function nextUnit(running: RankedBatch[], busy: string[]): SQL {
  const rank = sql.join(
    running.map((b) => sql`when ${b.id}::uuid then ${b.rank}::float8`),
    sql` `,
  );
  const bulk = running.filter((b) => b.bulk).map((b) => b.id);
  const notBulk = bulk.length ? sql`and not (batch_id in (${uuids(bulk)}) and entity = 'variant' and op = 'update')` : sql``;
  const notBusy = busy.length ? sql`and ${UNIT_KEY} not in (${list(busy)})` : sql``;
  return sql`select batch_id, ${UNIT_KEY} as pk from batch_items
    where batch_id in (${uuids(running.map((b) => b.id))}) and status = ${ITEM_STATUS.queued} ${notBusy} ${notBulk}
    order by case batch_id ${rank} end desc, pk limit 1`;
}

/** Items of a batch still to settle. */
export function openItemCount(batchId: string): SQL {
  return sql`select count(*)::int as n from batch_items where batch_id = ${batchId} and status in (${list(OPEN_ITEM_STATUSES)})`;
}

/** Items of a batch settled already. */
export function settledItemCount(batchId: string): SQL {
  return sql`select count(*)::int as n from batch_items where batch_id = ${batchId} and status not in (${list(OPEN_ITEM_STATUSES)})`;
}

export function itemStatusCounts(batchId: string): SQL {
  return sql`select status, count(*)::int as n from batch_items where batch_id = ${batchId} group by status`;
}

/** Item counts per status of several batches (a page of the batch list). */
export function itemStatusCountsOf(batchIds: string[]): SQL {
  return sql`select batch_id, status, count(*)::int as n from batch_items
    where batch_id = any(${pgTextArray(batchIds)}::uuid[]) group by batch_id, status`;
}

/**
 * Condition on batches: an item of the batch belongs to a product the text finds (title, handle, a
 * variant's SKU, the GID: the Products search's own condition), or names it in what it wrote (a
 * product deleted since).
 */
export function batchTouches(text: string): SQL {
  const like = containsPattern(text);
  return sql`(exists (select 1 from batch_items i
        join catalog_entities p on p.store_id = i.store_id and p.entity = 'product' and p.key = coalesce(i.product_key, i.entity_key)
        where i.batch_id = batches.id and ${productMatches(text)})
      or exists (select 1 from batch_items i where i.batch_id = batches.id
        and (coalesce(i.target->>'title', i.before->>'title') ilike ${like}
             or coalesce(i.target->>'sku', i.before->>'sku') ilike ${like})))`;
}

/** The kind, size and time of the batches these rolled back, to name a rollback after its source. */
export function sourceBatches(ids: string[]): SQL {
  return sql`select id, kind, created_at, (select count(*)::int from batch_items i where i.batch_id = b.id) as total
    from batches b where id = any(${pgTextArray(ids)}::uuid[])`;
}

/** Condition on staged_changes: an approved change a change window holds until its start (its scheduled apply pushes it). */
export function heldForWindow(): SQL {
  return sql`exists (select 1 from scheduled_operations s where s.kind = 'apply' and s.status in ('scheduled', 'running')
    and staged_changes.id = any(s.change_ids))`;
}

/** Condition on staged_changes: the change a rolled-back item had pushed. */
export function changeOfItem(itemId: string): SQL {
  return sql`staged_changes.id = (select staged_change_id from batch_items where batch_items.id = ${itemId})`;
}

/**
 * Titles and display details of catalog entities, for labelling batch items: a level's variant and
 * location names, a membership's collection title.
 */
export function entityLabels(storeId: string, keys: string[]): SQL {
  return sql`select e.entity, e.key, coalesce(e.local->>'title', e.remote->>'title', e.base->>'title') as title, e.meta,
      coalesce(v.meta->>'title', v.local->>'sku', v.remote->>'sku') as variant_title, l.name as location_name,
      coalesce(c.local->>'title', c.remote->>'title') as collection_title
    from catalog_entities e
    left join catalog_entities v on e.entity = 'inventory_level' and v.store_id = e.store_id and v.entity = 'variant'
      and v.key = e.meta->>'variantId'
    left join locations l on e.entity = 'inventory_level' and l.store_id = e.store_id and l.id = split_part(e.key, '|', 2)
    left join catalog_entities c on e.entity = 'membership' and c.store_id = e.store_id and c.entity = 'collection'
      and c.key = split_part(e.key, '|', 1)
    where e.store_id = ${storeId} and e.key = any(${pgTextArray(keys)}::text[])`;
}

/** Items of a batch that a rollback still has to settle, with that rollback: one live rollback per item. */
export function liveRollbackItems(sourceBatchId: string): SQL {
  return sql`select i.source_item_id, i.batch_id from batch_items i join batches b on b.id = i.batch_id
    where b.rollback_of = ${sourceBatchId} and b.kind = 'rollback' and i.status in (${list(OPEN_ITEM_STATUSES)})`;
}

/** The batches whose items these items roll back. */
export function batchesOfItems(itemIds: string[]): SQL {
  return sql`select distinct batch_id from batch_items where id = any(${pgTextArray(itemIds)}::uuid[])`;
}

const since = (hours: number): SQL => sql`now() - ${`${hours} hours`}::interval`;

export function changesByStatus(): SQL {
  return sql`select status, count(*)::int as n from staged_changes group by status`;
}

/** Shopify-side items of push and rollback batches created in the last `hours`. */
export function pushedItemsByStatus(hours: number): SQL {
  return sql`select i.status, count(*)::int as n from batch_items i join batches b on b.id = i.batch_id
    where b.kind in (${list(PUSHED_BATCH_KINDS)}) and i.side = 'shopify' and i.created_at > ${since(hours)}
    group by i.status`;
}

export function batchesByStatus(hours: number): SQL {
  return sql`select status, count(*)::int as n from batches where created_at > ${since(hours)} group by status`;
}

/** Average and 95th percentile run time of the push and rollback batches finished in the last `hours`. */
export function batchSeconds(hours: number): SQL {
  return sql`select avg(extract(epoch from finished_at - started_at))::float8 as avg_s,
      percentile_cont(0.95) within group (order by extract(epoch from finished_at - started_at))::float8 as p95_s
    from batches
    where kind in (${list(PUSHED_BATCH_KINDS)}) and finished_at is not null and created_at > ${since(hours)}`;
}

export function notificationsByStatus(hours: number): SQL {
  return sql`select status, count(*)::int as n from notification_attempts where at > ${since(hours)} group by status`;
}

/** Catalog rows of these (entity, key) pairs in a store, as a condition on catalog_entities. */
export function entityPairs(storeId: string, refs: ReadonlyArray<{ entity: string; key: string }>): SQL {
  return sql`catalog_entities.store_id = ${storeId} and (catalog_entities.entity, catalog_entities.key) in (select x.entity, x.key
    from jsonb_to_recordset(${JSON.stringify(refs)}::jsonb) as x(entity text, key text))`;
}

export interface SettledItemRow {
  id: string;
  status: string;
  after: unknown;
  observed: unknown;
  error: string | null;
}

/** The outcome of many items of a batch, one statement. */
export const settleItemRows = (rows: SettledItemRow[]) =>
  sql`update batch_items b set status = x.status, after = x.after, observed = x.observed, error = x.error,
        finished_at = now(), updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, status text, after jsonb, observed jsonb, error text)
      where b.id = x.id`;

/** Their staged changes follow (a dead letter's change is failed). */
export const settleChangeRows = (rows: Array<{ id: string; status: string; error: string | null }>) =>
  sql`update staged_changes c set status = x.status, error = x.error, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, status text, error text)
      where c.id = x.id`;

/** Items a rollback restored, and their staged changes, are rolled back. */
export const markRolledBackItems = (itemIds: string[]) =>
  sql`update batch_items set status = ${ITEM_STATUS.rolled_back}, updated_at = now() where id = any(${pgTextArray(itemIds)}::uuid[])`;
export const markRolledBackChanges = (itemIds: string[]) =>
  sql`update staged_changes set status = ${CHANGE_STATUS.rolled_back}, updated_at = now()
      where id in (select staged_change_id from batch_items where id = any(${pgTextArray(itemIds)}::uuid[]))`;

/** Catalog documents written back whole (rows the caller locked and read). */
export const writeCatalogDocuments = (rows: Array<{ id: string; local: unknown; base: unknown; remote: unknown }>) =>
  sql`update catalog_entities e set local = x.local, base = x.base, remote = x.remote, remote_seen_at = now(), updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, local jsonb, base jsonb, remote jsonb)
      where e.id = x.id`;
