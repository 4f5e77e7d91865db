import { changeMagnitude, classifyEntity, type ProposedChange } from '../../lib/sync/classify';
import { fieldSpec, sameValue } from '../../lib/sync/fields';
import type { ChangeKind, ChangeSource, EntityType, FieldDiff, FieldValues } from '../../lib/sync/model';
import { normalizeOptions, onlyAddedByVariants } from '../../lib/sync/options';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { Logger } from '../logger';
import { emitStaged } from './hooks';
import * as plans from './plans';

/** A restage that staged nothing (a read that found no difference, an adopting pull). */
export function noneRestaged(): RestageResult {
  return { inserted: 0, updated: 0, superseded: 0, converged: 0, counts: { incoming: 0, outgoing: 0, conflict: 0 }, changeIds: [] };
}

/** Adds one restage's figures to a running total (in place) and returns the total. */
export function addRestaged(into: RestageResult, from: RestageResult): RestageResult {
  into.inserted += from.inserted;
  into.updated += from.updated;
  into.superseded += from.superseded;
  into.converged += from.converged;
  for (const kind of Object.keys(into.counts) as Array<keyof RestageResult['counts']>) into.counts[kind] += from.counts[kind];
  into.changeIds.push(...from.changeIds);
  return into;
}

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

interface CandidateRow extends Record<string, unknown> {
  entity: EntityType;
  key: string;
  product_key: string | null;
  local: FieldValues | null;
  base: FieldValues | null;
  remote: FieldValues | null;
  p_doc: FieldValues | null;
  p_whole: boolean | null;
  /** A product's variants Shopify has and the master does not (their selectedOptions): creates in review. */
  new_variants: Array<Array<{ name: string; value: string }>> | null;
}

/**
 * Shopify adds the values a new variant names to its product's options: while such a variant is in
 * review as an incoming create (or the master deleted it), those values are part of that change
 * (approving it adopts them), not an options change of the product's own.
 */
function optionsFollowVariants(row: CandidateRow): boolean {
  if (row.entity !== 'product' || !row.local || !row.base || !row.remote || !row.new_variants?.length) return false;
  if (!sameValue(fieldSpec('product', 'options'), row.local.options, row.base.options)) return false;
  return onlyAddedByVariants(normalizeOptions(row.base.options), normalizeOptions(row.remote.options), row.new_variants);
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

const canonicalFields = (fields: FieldDiff[]) =>
  JSON.stringify(fields.map((f) => [f.name, f.base ?? null, f.local ?? null, f.remote ?? null]));

export async function restage(tx: Executor, scope: RestageScope, source: ChangeSource, logger?: Logger): Promise<RestageResult> {
  const result: RestageResult = {
    inserted: 0,
    updated: 0,
    superseded: 0,
    converged: 0,
    counts: { incoming: 0, outgoing: 0, conflict: 0 },
    changeIds: [],
  };
  const filter = plans.restageScope(scope);
  let after: [string, string] = ['', ''];
  for (;;) {
    const rows = await queryRows<CandidateRow>(tx, plans.restageCandidates(scope.storeId, filter, after, CHUNK));
    if (rows.length === 0) break;
    await restageChunk(tx, scope.storeId, rows, source, result);
    const last = rows[rows.length - 1]!;
    after = [last.entity, last.key];
    if (rows.length < CHUNK) break;
  }
  if (result.changeIds.length) await emitStaged({ storeId: scope.storeId, changeIds: result.changeIds, source, tx }, logger);
  return result;
}

async function restageChunk(
  tx: Executor,
  storeId: string,
  rows: CandidateRow[],
  source: ChangeSource,
  result: RestageResult,
): Promise<void> {
  const open = await queryRows<OpenChangeRow>(
    tx,
    plans.openChangesOfEntities(
      storeId,
      rows.map((r) => r.key),
    ),
  );
  const openByEntity = new Map<string, OpenChangeRow[]>();
  for (const c of open) {
    const k = `${c.entity}\u0000${c.entity_key}`;
    (openByEntity.get(k) ?? openByEntity.set(k, []).get(k)!).push(c);
  }

  const inserts: Array<Record<string, unknown>> = [];
  const updates: Array<Record<string, unknown>> = [];
  const supersede: string[] = [];
  const bases: Array<{ entity: string; key: string; base: FieldValues | null; local: FieldValues | null }> = [];
  const removals: Array<{ entity: string; key: string }> = [];

  for (const row of rows) {
    const existing = openByEntity.get(`${row.entity}\u0000${row.key}`) ?? [];
    const skipFields = new Set<string>();
    for (const c of existing) if (c.status !== 'pending') for (const f of c.fields) skipFields.add(f.name);
    if (optionsFollowVariants(row)) skipFields.add('options');
    const wholeInFlight = existing.some((c) => c.status !== 'pending' && c.op !== 'update');
    const classification = wholeInFlight ? { changes: [] as ProposedChange[] } : classifyEntity(row.entity, row, { skipFields });
    // A product created or deleted on one side is staged as one change for the product; its rows follow it.
    const proposals = row.p_whole ? classification.changes.filter((c) => c.op === 'update') : classification.changes;
    // Gone from both sides (a deletion both agree on, a master create discarded before its push): it leaves the catalog.
    if (!row.local && !row.remote && (classification.base === null || !row.base)) removals.push({ entity: row.entity, key: row.key });
    else if (classification.base !== undefined) {
      bases.push({ entity: row.entity, key: row.key, base: classification.base, local: classification.local ?? null });
    }
    if (classification.base !== undefined) result.converged++;

    const pending = existing.filter((c) => c.status === 'pending');
    for (const proposal of proposals) {
      const same = pending.find((c) => c.kind === proposal.kind);
      const denorm = denormalize(row);
      const magnitude = changeMagnitude(row.entity, proposal.fields, proposal.kind);
      if (!same) {
        inserts.push({
          entity: row.entity,
          entity_key: row.key,
          product_key: row.product_key,
          kind: proposal.kind,
          op: proposal.op,
          fields: proposal.fields,
          source,
          magnitude,
          ...denorm,
        });
      } else if (same.op !== proposal.op || canonicalFields(same.fields) !== canonicalFields(proposal.fields)) {
        updates.push({ id: same.id, op: proposal.op, fields: proposal.fields, source, magnitude, ...denorm });
        result.changeIds.push(same.id);
        result.counts[proposal.kind]++;
      }
    }
    for (const c of pending) if (!proposals.some((p) => p.kind === c.kind)) supersede.push(c.id);
  }

  if (inserts.length) {
    const ids = await queryRows<{ id: string; kind: ChangeKind }>(tx, plans.insertChanges(storeId, inserts));
    for (const r of ids) {
      result.changeIds.push(r.id);
      result.counts[r.kind]++;
    }
    result.inserted += ids.length;
  }
  if (updates.length) {
    await tx.execute(plans.updatePendingChanges(updates));
    result.updated += updates.length;
  }
  if (supersede.length) {
    await tx.execute(plans.supersedeChanges(supersede));
    result.superseded += supersede.length;
  }
  if (bases.length) {
    await tx.execute(plans.setBases(storeId, bases));
  }
  if (removals.length) {
    await tx.execute(plans.deleteEntities(storeId, removals));
  }
}

function denormalize(row: CandidateRow): { title: string | null; search_text: string; vendor: string | null; product_type: string | null } {
  const own = row.local ?? row.remote ?? {};
  const product = row.entity === 'collection' ? own : (row.p_doc ?? {});
  const title = typeof product.title === 'string' ? product.title : null;
  const parts = [title, product.handle, own.sku, own.barcode, product.vendor, product.productType, row.key].filter(
    (v) => typeof v === 'string' && v,
  );
  return {
    title,
    search_text: parts.join(' ').toLowerCase(),
    vendor: typeof product.vendor === 'string' ? product.vendor : null,
    product_type: typeof product.productType === 'string' ? product.productType : null,
  };
}
