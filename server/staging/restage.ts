import { type SQL, sql } from 'drizzle-orm';
import { classifyEntity, changeMagnitude, type ProposedChange } from '../../lib/sync/classify';
import { type ChangeKind, type ChangeSource, type EntityType, type FieldDiff, type FieldValues, IN_FLIGHT_CHANGE_STATUSES } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { Logger } from '../logger';
import { emitStaged } from './hooks';

/**
 * Re-classifies catalog entities (three-way, lib/sync/classify) and brings staged_changes in line:
 * a new proposal is inserted, a pending change whose diff moved is updated in place, a pending change
 * no longer reproduced is superseded, converged fields move base. Approved and in-flight changes are
 * never touched; their fields are skipped until they settle. Candidates are found in SQL (documents
 * that differ, or entities with open changes) and processed in chunks with set-based writes.
 */

export interface RestageScope {
  storeId: string;
  /** Entities of these products (product, variants, levels, memberships). */
  productKeys?: string[];
  /** Exact entities. */
  entities?: Array<{ entity: EntityType; key: string }>;
  /** Every entity of the store. */
  all?: boolean;
}

export interface RestageResult {
  inserted: number;
  updated: number;
  superseded: number;
  converged: number;
  /** Pending changes per kind among those inserted or updated. */
  counts: Record<ChangeKind, number>;
  changeIds: string[];
}

const CHUNK = 2000;
const OPEN_STATUSES = ['pending', ...IN_FLIGHT_CHANGE_STATUSES] as const;

interface CandidateRow extends Record<string, unknown> {
  entity: EntityType;
  key: string;
  product_key: string | null;
  local: FieldValues | null;
  base: FieldValues | null;
  remote: FieldValues | null;
  p_doc: FieldValues | null;
  p_whole: boolean | null;
}

interface OpenChangeRow extends Record<string, unknown> {
  id: string;
  entity: EntityType;
  entity_key: string;
  kind: ChangeKind;
  op: string;
  status: string;
  fields: FieldDiff[];
}

function scopeFilter(scope: RestageScope): SQL {
  if (scope.all) return sql`true`;
  const parts: SQL[] = [];
  if (scope.productKeys?.length) parts.push(sql`e.product_key = any(${pgTextArray(scope.productKeys)}::text[])`);
  if (scope.entities?.length) {
    parts.push(sql`(e.entity, e.key) in (select x.entity, x.key from jsonb_to_recordset(${JSON.stringify(scope.entities)}::jsonb) as x(entity text, key text))`);
  }
  return parts.length ? sql.join(parts, sql` or `) : sql`false`;
}

/** A text[] literal: binds as one parameter on both drivers. */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

const canonicalFields = (fields: FieldDiff[]) => JSON.stringify(fields.map((f) => [f.name, f.base ?? null, f.local ?? null, f.remote ?? null]));

export async function restage(tx: Executor, scope: RestageScope, source: ChangeSource, logger?: Logger): Promise<RestageResult> {
  const result: RestageResult = { inserted: 0, updated: 0, superseded: 0, converged: 0, counts: { incoming: 0, outgoing: 0, conflict: 0 }, changeIds: [] };
  const filter = scopeFilter(scope);
  let after: [string, string] = ['', ''];
  for (;;) {
    const rows = await queryRows<CandidateRow>(
      tx,
      sql`select e.entity, e.key, e.product_key, e.local, e.base, e.remote,
                 case when e.entity = 'product' then coalesce(e.local, e.remote) else coalesce(p.local, p.remote) end as p_doc,
                 (e.entity not in ('product', 'collection') and p.key is not null and (p.local is null or p.remote is null)) as p_whole
          from catalog_entities e
          left join catalog_entities p on p.store_id = e.store_id and p.entity = 'product' and p.key = e.product_key
          where e.store_id = ${scope.storeId} and (${filter}) and (e.entity, e.key) > (${after[0]}, ${after[1]})
            and (e.local is distinct from e.base or e.remote is distinct from e.base
                 or exists (select 1 from staged_changes c where c.store_id = e.store_id and c.entity = e.entity and c.entity_key = e.key
                            and c.status in ('pending', 'approved', 'queued', 'applying')))
          order by e.entity, e.key
          limit ${CHUNK}`,
    );
    if (rows.length === 0) break;
    await restageChunk(tx, scope.storeId, rows, source, result);
    const last = rows[rows.length - 1]!;
    after = [last.entity, last.key];
    if (rows.length < CHUNK) break;
  }
  if (result.changeIds.length) await emitStaged({ storeId: scope.storeId, changeIds: result.changeIds, source, tx }, logger);
  return result;
}

async function restageChunk(tx: Executor, storeId: string, rows: CandidateRow[], source: ChangeSource, result: RestageResult): Promise<void> {
  const open = await queryRows<OpenChangeRow>(
    tx,
    sql`select id, entity, entity_key, kind, op, status, fields from staged_changes
        where store_id = ${storeId} and entity_key = any(${pgTextArray(rows.map((r) => r.key))}::text[])
          and status in (${sql.join(OPEN_STATUSES.map((s) => sql`${s}`), sql`, `)})`,
  );
  const openByEntity = new Map<string, OpenChangeRow[]>();
  for (const c of open) {
    const k = `${c.entity}\u0000${c.entity_key}`;
    (openByEntity.get(k) ?? openByEntity.set(k, []).get(k)!).push(c);
  }

  const inserts: Array<Record<string, unknown>> = [];
  const updates: Array<Record<string, unknown>> = [];
  const supersede: string[] = [];
  const bases: Array<{ entity: string; key: string; base: FieldValues | null }> = [];
  const removals: Array<{ entity: string; key: string }> = [];

  for (const row of rows) {
    const existing = openByEntity.get(`${row.entity}\u0000${row.key}`) ?? [];
    const skipFields = new Set<string>();
    for (const c of existing) if (c.status !== 'pending') for (const f of c.fields) skipFields.add(f.name);
    const wholeInFlight = existing.some((c) => c.status !== 'pending' && c.op !== 'update');
    const classification = wholeInFlight ? { changes: [] as ProposedChange[] } : classifyEntity(row.entity, row, { skipFields });
    // A product created or deleted on one side is staged as one change for the product; its rows follow it.
    const proposals = row.p_whole ? classification.changes.filter((c) => c.op === 'update') : classification.changes;
    if (classification.base === null && !row.local && !row.remote) removals.push({ entity: row.entity, key: row.key });
    else if (classification.base !== undefined) bases.push({ entity: row.entity, key: row.key, base: classification.base });
    if (classification.base !== undefined) result.converged++;

    const pending = existing.filter((c) => c.status === 'pending');
    for (const proposal of proposals) {
      const same = pending.find((c) => c.kind === proposal.kind);
      const denorm = denormalize(row);
      const magnitude = changeMagnitude(row.entity, proposal.fields, proposal.kind);
      if (!same) {
        inserts.push({ entity: row.entity, entity_key: row.key, product_key: row.product_key, kind: proposal.kind, op: proposal.op, fields: proposal.fields, source, magnitude, ...denorm });
      } else if (same.op !== proposal.op || canonicalFields(same.fields) !== canonicalFields(proposal.fields)) {
        updates.push({ id: same.id, op: proposal.op, fields: proposal.fields, source, magnitude, ...denorm });
        result.changeIds.push(same.id);
        result.counts[proposal.kind]++;
      }
    }
    for (const c of pending) if (!proposals.some((p) => p.kind === c.kind)) supersede.push(c.id);
  }

  if (inserts.length) {
    const ids = await queryRows<{ id: string; kind: ChangeKind }>(
      tx,
      sql`insert into staged_changes (store_id, entity, entity_key, product_key, kind, op, status, fields, source, magnitude, title, search_text, vendor, product_type)
          select ${storeId}::uuid, x.entity, x.entity_key, x.product_key, x.kind, x.op, 'pending', x.fields, x.source, x.magnitude, x.title, x.search_text, x.vendor, x.product_type
          from jsonb_to_recordset(${JSON.stringify(inserts)}::jsonb) as x(entity text, entity_key text, product_key text, kind text, op text, fields jsonb,
               source text, magnitude jsonb, title text, search_text text, vendor text, product_type text)
          returning id, kind`,
    );
    for (const r of ids) {
      result.changeIds.push(r.id);
      result.counts[r.kind]++;
    }
    result.inserted += ids.length;
  }
  if (updates.length) {
    await tx.execute(sql`update staged_changes c set op = x.op, fields = x.fields, source = x.source, magnitude = x.magnitude, title = x.title,
                           search_text = x.search_text, vendor = x.vendor, product_type = x.product_type, updated_at = now()
                         from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as x(id uuid, op text, fields jsonb, source text, magnitude jsonb,
                              title text, search_text text, vendor text, product_type text)
                         where c.id = x.id and c.status = 'pending'`);
    result.updated += updates.length;
  }
  if (supersede.length) {
    await tx.execute(sql`update staged_changes set status = 'superseded', updated_at = now()
                         where id = any(${pgTextArray(supersede)}::uuid[]) and status = 'pending'`);
    result.superseded += supersede.length;
  }
  if (bases.length) {
    await tx.execute(sql`update catalog_entities e set base = x.base, updated_at = now()
                         from jsonb_to_recordset(${JSON.stringify(bases)}::jsonb) as x(entity text, key text, base jsonb)
                         where e.store_id = ${storeId} and e.entity = x.entity and e.key = x.key`);
  }
  if (removals.length) {
    await tx.execute(sql`delete from catalog_entities e using jsonb_to_recordset(${JSON.stringify(removals)}::jsonb) as x(entity text, key text)
                         where e.store_id = ${storeId} and e.entity = x.entity and e.key = x.key`);
  }
}

function denormalize(row: CandidateRow): { title: string | null; search_text: string; vendor: string | null; product_type: string | null } {
  const own = row.local ?? row.remote ?? {};
  const product = row.entity === 'collection' ? own : row.p_doc ?? {};
  const title = typeof product.title === 'string' ? product.title : null;
  const parts = [title, product.handle, own.sku, own.barcode, product.vendor, product.productType, row.key].filter((v) => typeof v === 'string' && v);
  return {
    title,
    search_text: parts.join(' ').toLowerCase(),
    vendor: typeof product.vendor === 'string' ? product.vendor : null,
    product_type: typeof product.productType === 'string' ? product.productType : null,
  };
}
