import type { z } from 'zod';
import { notFound } from '../../lib/errors';
import { type DisplayContext, diffDisplay } from '../../lib/sync/display';
import { ENTITY_LABELS, fieldSpec } from '../../lib/sync/fields';
import { metafieldLabel, referenceIds } from '../../lib/sync/metafields';
import type { ChangeStatus, FieldDiff } from '../../lib/sync/model';
import { type StagedFilter, stagedFilterSchema } from '../../lib/sync/staged-filter';
import { getProduct } from '../catalog/products';
import { valueNamesOf } from '../catalog/references';
import type { Executor } from '../db/client';
import { pageParams } from '../db/keyset';
import { queryOne, queryRows } from '../db/rows';
import * as plans from './plans';

/** GET /api/sync/staged: the staged-change filter, a page size and a cursor. */
export const stagedListQuery = stagedFilterSchema.extend({
  ...pageParams(500),
});
export type StagedListQuery = z.output<typeof stagedListQuery>;

interface ChangeRow extends Record<string, unknown> {
  id: string;
  store_id: string;
  entity: string;
  entity_key: string;
  product_key: string | null;
  product_id: string | null;
  kind: string;
  op: string;
  status: string;
  fields: FieldDiff[];
  approved_fields: string[] | null;
  target: Record<string, unknown> | null;
  source: string;
  title: string | null;
  vendor: string | null;
  product_type: string | null;
  magnitude: Record<string, number> | null;
  decided_by: string | null;
  decided_at: string | Date | null;
  reason: string | null;
  auto_rule: string | null;
  superseded_by: string | null;
  origin: string | null;
  origin_change_id: string | null;
  origin_at?: string | Date | null;
  batch_id: string | null;
  error: string | null;
  meta: Record<string, unknown> | null;
  created_at: string | Date;
  updated_at: string | Date;
  cursor_key: string;
  variant_title?: string | null;
  sku?: string | null;
  location_name?: string | null;
  weight_units?: DisplayContext['weightUnits'] | null;
  metafield_name?: string | null;
}

/** The names the rows' values are read by (categories and reference metafield targets by GID). */
async function displayNames(db: Executor, rows: readonly ChangeRow[]): Promise<ReadonlyMap<string, string>> {
  if (rows.length === 0) return new Map();
  const values = rows.flatMap((r) => r.fields.flatMap((f) => [f.base, f.local, f.remote]));
  return new Map(Object.entries(await valueNamesOf(db, rows[0]!.store_id, values)));
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

/** The staged-change shape of DESIGN.md's API; `names` reads categories by their full name (displayNames). */
export function presentChange(row: ChangeRow, names: ReadonlyMap<string, string> = new Map()) {
  const context: DisplayContext = { categoryNames: names, weightUnits: row.weight_units ?? undefined };
  const entityId = row.entity_key.startsWith('local:') ? null : row.entity_key;
  return {
    id: row.id,
    storeId: row.store_id,
    entity: row.entity,
    entityLabel: ENTITY_LABELS[row.entity as keyof typeof ENTITY_LABELS] ?? row.entity,
    entityId,
    entityKey: row.entity_key,
    productKey: row.product_key,
    productId: row.product_id,
    kind: row.kind,
    op: row.op,
    status: row.status,
    fields: row.fields.map((f) => ({
      name: f.name,
      label:
        row.entity === 'metafield'
          ? metafieldLabel(row.entity_key, row.metafield_name)
          : (fieldSpec(row.entity as never, f.name)?.label ?? f.name),
      base: f.base ?? null,
      local: f.local ?? null,
      remote: f.remote ?? null,
      display: diffDisplay(row.entity as never, f, context),
    })),
    approvedFields: row.approved_fields,
    target: row.target,
    source: row.source,
    title: row.title,
    vendor: row.vendor,
    productType: row.product_type,
    magnitude: row.magnitude,
    /** What names the row beside the product: the variant (option values), its SKU, the location. */
    variantTitle: row.variant_title ?? null,
    sku: row.sku ?? null,
    locationName: row.location_name ?? null,
    /** A metafield's name from the store's definition (null without one). */
    metafieldName: row.metafield_name ?? null,
    /** The names of what a reference metafield's values point at, by GID. */
    valueNames: Object.fromEntries(
      referenceIds(row.fields.flatMap((f) => [f.base, f.local, f.remote]))
        .filter((id) => names.has(id))
        .map((id) => [id, names.get(id)!]),
    ),
    context: row.meta ?? {},
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    reason: row.reason,
    autoRule: row.auto_rule,
    supersededBy: row.superseded_by,
    /** `restore_shopify`: proposes writing the master's value back to Shopify after the linked incoming change was rejected. */
    origin: row.origin,
    originChangeId: row.origin_change_id,
    /** `revert`: the point in time the product was reverted to. */
    originAt: iso(row.origin_at ?? null),
    batchId: row.batch_id,
    error: row.error,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}
export type StagedChangeView = ReturnType<typeof presentChange>;

/**
 * A page of the list, the total, the counts per kind (the kind filter left out, for the tabs) and
 * `ops`: the pending creates and deletes matching, per kind, which a bulk decision's confirmation names.
 */
export async function listStaged(db: Executor, query: StagedListQuery) {
  const where = plans.stagedWhere(query);
  const rows = await queryRows<ChangeRow>(db, plans.stagedPage(where, query.sort, query.cursor, query.limit));
  const page = plans.stagedOrder(query).page(rows, query.limit, (r) => ({ key: r.cursor_key, id: r.id }));
  const total = await queryOne<{ n: number }>(db, plans.countStaged(where));
  const perKind = await queryRows<{ kind: string; n: number }>(db, plans.countStagedByKind(plans.stagedWhere(query, 'kind')));
  const counts: Record<string, number> = { incoming: 0, outgoing: 0, conflict: 0 };
  for (const r of perKind) counts[r.kind] = Number(r.n);
  counts.all = counts.incoming! + counts.outgoing! + counts.conflict!;
  const whole = await queryRows<{ kind: 'incoming' | 'outgoing'; op: 'create' | 'delete'; n: number }>(
    db,
    plans.countStagedWholeByKind(where),
  );
  const ops = { incoming: { create: 0, delete: 0 }, outgoing: { create: 0, delete: 0 } };
  for (const r of whole) ops[r.kind][r.op] = Number(r.n);
  const names = await displayNames(db, page.items);
  return {
    items: page.items.map((r) => presentChange(r, names)),
    total: Number(total?.n ?? 0),
    nextCursor: page.nextCursor,
    counts,
    ops,
  };
}

/** The changes a filter lists, in the list's order, with their status (what a bulk decision takes). */
export async function selectStaged(db: Executor, filter: StagedFilter): Promise<Array<{ id: string; status: ChangeStatus }>> {
  return queryRows<{ id: string; status: ChangeStatus }>(db, plans.stagedSelection(plans.stagedWhere(filter), filter.sort));
}

/** One change with its context: the product (variants, inventory) and the product's other open changes. */
export async function getStaged(db: Executor, id: string) {
  const row = await queryOne<ChangeRow>(db, plans.changeById(id));
  if (!row) throw notFound('staged_change', id);
  const change = presentChange(row, await displayNames(db, [row]));
  if (!row.product_key) return { ...change, product: null, inventory: null, related: [] };
  const product = await getProduct(db, row.product_key, row.store_id).catch(() => null);
  const related = await queryRows<ChangeRow>(db, plans.openChangesOfProduct(row.store_id, row.product_key, row.id));
  const variant = product?.variants.find(
    (v) => v.shopifyId === row.entity_key || (row.entity === 'inventory_level' && v.inventory.some((l) => l.key === row.entity_key)),
  );
  const names = await displayNames(db, related);
  return { ...change, product, inventory: variant?.inventory ?? null, related: related.map((r) => presentChange(r, names)) };
}
