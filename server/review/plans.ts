import { type SQL, sql } from 'drizzle-orm';
import { catalogEntities } from '../../drizzle/schema';
import type { FieldValues } from '../../lib/sync/model';
import { CHANGE_STATUS, ITEM_STATUS } from '../db/literals';
import { pgTextArray } from '../db/rows';

/**
 * The statements of review's decisions (as pg-boss keeps its SQL in plans.ts): set-based, one
 * statement per kind of write whatever the number of changes decided. Rows travel as one jsonb
 * parameter read by jsonb_to_recordset.
 */

/** Condition on catalog_entities: one of the (entity, key) pairs, or any row of one of the products. */
export function entitiesOrProducts(refs: Array<{ entity: string; key: string }>, productKeys: string[]): SQL {
  const pairs = sql`(${catalogEntities.entity}, ${catalogEntities.key}) in (select x.entity, x.key
    from jsonb_to_recordset(${JSON.stringify(refs)}::jsonb) as x(entity text, key text))`;
  if (productKeys.length === 0) return pairs;
  return sql`(${pairs} or ${catalogEntities.productKey} = any(${pgTextArray(productKeys)}::text[]))`;
}

export interface MasterRow {
  entity: string;
  key: string;
  product_key: string | null;
  local: FieldValues | null;
  base: FieldValues | null;
  /** The master document changed (not only base): local_updated_at moves. */
  edited: boolean;
}

/** The decided documents of the master, inserted where the entity had no row yet. */
export const writeMaster = (storeId: string, rows: MasterRow[]) =>
  sql`insert into catalog_entities (store_id, entity, key, product_key, local, base, local_updated_at)
      select ${storeId}::uuid, x.entity, x.key, x.product_key, x.local, x.base, case when x.edited then now() end
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(entity text, key text, product_key text, local jsonb, base jsonb, edited boolean)
      on conflict (store_id, entity, key) do update set local = excluded.local, base = excluded.base,
        local_updated_at = coalesce(excluded.local_updated_at, catalog_entities.local_updated_at), updated_at = now()`;

export interface AdoptItemRow {
  id: string;
  staged_change_id: string;
  entity: string;
  entity_key: string;
  product_key: string | null;
  op: string;
  before: FieldValues | null;
  target: FieldValues | null;
}

/** The items of an adopt batch: written to the master already, so applied. */
export const insertAdoptItems = (batchId: string, storeId: string, rows: AdoptItemRow[]) =>
  sql`insert into batch_items (id, batch_id, store_id, staged_change_id, side, entity, entity_key, product_key, op,
                               before, target, after, status, idempotency_key, started_at, finished_at)
      select x.id, ${batchId}::uuid, ${storeId}::uuid, x.staged_change_id, 'master', x.entity, x.entity_key, x.product_key, x.op,
             x.before, x.target, x.target, ${ITEM_STATUS.applied}, 'csd-' || x.id::text, now(), now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(id uuid, staged_change_id uuid, entity text, entity_key text, product_key text, op text, before jsonb, target jsonb)`;

export interface DecisionRow {
  id: string;
  status: string;
  approved_fields: string[] | null;
  target: FieldValues | null;
  reason: string | null;
  batch_id: string | null;
}

/** The decisions on changes locked by the caller (still pending: checked under the lock). */
export const recordDecisions = (by: { id: string; rule?: string | null }, rows: DecisionRow[]) =>
  sql`update staged_changes c set status = x.status, approved_fields = x.approved_fields, target = x.target, reason = x.reason,
        batch_id = x.batch_id, decided_by = ${by.id}, decided_at = now(), auto_rule = ${by.rule ?? null}, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(id uuid, status text, approved_fields jsonb, target jsonb, reason text, batch_id uuid)
      where c.id = x.id`;

/**
 * Marks the pending outgoing change of each entity as the restore a rejected incoming change left:
 * restaging proposed it from the master's value, this says why and links the rejection.
 */
export const markRestores = (storeId: string, rows: Array<{ entity: string; key: string; rejected_id: string }>) =>
  sql`update staged_changes c set origin = 'restore_shopify', origin_change_id = x.rejected_id
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(entity text, key text, rejected_id uuid)
      where c.store_id = ${storeId} and c.entity = x.entity and c.entity_key = x.key
        and c.kind = 'outgoing' and c.status = ${CHANGE_STATUS.pending}
      returning c.id`;

/** The decided changes of an entity, newest first: what a change's history shows beside it. */
export const changesOfEntity = (storeId: string, entity: string, key: string, limit: number) =>
  sql`select id, kind, op, status, fields, source, origin, origin_change_id, decided_by, decided_at, reason, auto_rule, batch_id,
             created_at, updated_at
      from staged_changes where store_id = ${storeId} and entity = ${entity} and entity_key = ${key}
      order by created_at desc, id desc limit ${limit}`;

/**
 * Outgoing updates among the filter's changes (`where` on staged_changes c) whose every field still
 * differs from Shopify: approving them as they are takes the master's value of each field (no
 * master write), so a bulk approval decides them all with one UPDATE.
 */
const plainOutgoing = (where: SQL) =>
  sql`${where} and c.status = ${CHANGE_STATUS.pending} and c.kind = 'outgoing' and c.op = 'update'
      and case when jsonb_array_length(c.fields) = 1 then c.fields->0->'local' is distinct from c.fields->0->'remote'
        else not exists (select 1 from jsonb_array_elements(c.fields) f where f->'local' is not distinct from f->'remote') end`;

/**
 * A change of one field (most are) is read straight from fields[0]; a change of more goes
 * through jsonb_array_elements. Both give what planApproval gives an outgoing change taken as proposed.
 */
const approvedFields = sql`case when jsonb_array_length(c.fields) = 1 then jsonb_build_array(c.fields->0->>'name')
  else (select jsonb_agg(f->>'name' order by n) from jsonb_array_elements(c.fields) with ordinality as t(f, n)) end`;
const approvedTarget = sql`case when jsonb_array_length(c.fields) = 1 then jsonb_build_object(c.fields->0->>'name', c.fields->0->'local')
  else (select jsonb_object_agg(f->>'name', f->'local') from jsonb_array_elements(c.fields) f) end`;

/**
 * A statement over a whole filter's changes (a bulk approval of 100,000) runs without JIT (its
 * compile costs more than it saves on these expressions) and sorts its locks in memory.
 */
export const setBulkStatementSettings = sql`select set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`;

/** Locks the catalog rows of those changes, in the order staging and decisions lock them. */
export const lockPlainOutgoing = (where: SQL) =>
  sql`select 1 from catalog_entities e
      where (e.store_id, e.entity, e.key) in (select c.store_id, c.entity, c.entity_key from staged_changes c where ${plainOutgoing(where)})
      order by e.store_id, e.entity, e.key for update of e`;

/** Approves them: every field, the master's value as the target (as planApproval plans an outgoing change). */
export const approvePlainOutgoing = (where: SQL, by: { id: string; rule?: string | null }) =>
  sql`update staged_changes c set status = ${CHANGE_STATUS.approved},
        approved_fields = ${approvedFields}, target = ${approvedTarget},
        reason = null, batch_id = null, decided_by = ${by.id}, decided_at = now(), auto_rule = ${by.rule ?? null}, updated_at = now()
      where ${plainOutgoing(where)}
      returning c.id, c.store_id`;
