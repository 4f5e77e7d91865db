import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, notFound } from '../../lib/errors';
import { fieldSpec, ENTITY_LABELS } from '../../lib/sync/fields';
import { CHANGE_KINDS, CHANGE_STATUSES, ENTITY_TYPES, type FieldDiff } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { getProduct } from '../catalog/products';
import { queryOne, queryRows } from '../db/rows';

/** Filters of GET /api/sync/staged (and of bulk decisions by filter). Lists accept comma-separated values. */
const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)))
    .optional();

export const stagedFilterSchema = z.object({
  storeId: z.uuid().optional(),
  status: csv(CHANGE_STATUSES),
  kind: csv(CHANGE_KINDS),
  entity: csv(ENTITY_TYPES),
  field: z.string().max(100).optional(),
  vendor: z.string().max(255).optional(),
  productType: z.string().max(255).optional(),
  q: z.string().max(200).optional(),
  productId: z.string().max(300).optional(),
  source: z.string().max(40).optional(),
});
export type StagedFilter = z.infer<typeof stagedFilterSchema>;

export const stagedListQuery = stagedFilterSchema.extend({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type StagedListQuery = z.infer<typeof stagedListQuery>;

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
  batch_id: string | null;
  error: string | null;
  meta: Record<string, unknown> | null;
  created_at: string | Date;
  updated_at: string | Date;
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

/** The staged-change shape of DESIGN.md's API. */
export function presentChange(row: ChangeRow) {
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
      label: fieldSpec(row.entity as never, f.name)?.label ?? f.name,
      base: f.base ?? null,
      local: f.local ?? null,
      remote: f.remote ?? null,
    })),
    approvedFields: row.approved_fields,
    target: row.target,
    source: row.source,
    title: row.title,
    vendor: row.vendor,
    productType: row.product_type,
    magnitude: row.magnitude,
    context: row.meta ?? {},
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    reason: row.reason,
    autoRule: row.auto_rule,
    supersededBy: row.superseded_by,
    batchId: row.batch_id,
    error: row.error,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}
export type StagedChangeView = ReturnType<typeof presentChange>;

const SELECT = sql`select c.*, c.updated_at::text as cursor_at, p.id as product_id, e.meta as meta
  from staged_changes c
  left join catalog_entities p on p.store_id = c.store_id and p.entity = 'product' and p.key = c.product_key
  left join catalog_entities e on e.store_id = c.store_id and e.entity = c.entity and e.key = c.entity_key`;

/** WHERE conditions of a filter; `except` leaves one dimension out (for per-kind counts). */
export function stagedWhere(filter: StagedFilter, except?: 'kind'): SQL {
  const parts: SQL[] = [sql`true`];
  const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
  if (filter.storeId) parts.push(sql`c.store_id = ${filter.storeId}`);
  parts.push(filter.status?.length ? sql`c.status in (${list(filter.status)})` : sql`c.status = 'pending'`);
  if (filter.kind?.length && except !== 'kind') parts.push(sql`c.kind in (${list(filter.kind)})`);
  if (filter.entity?.length) parts.push(sql`c.entity in (${list(filter.entity)})`);
  if (filter.field) parts.push(sql`c.fields @> ${JSON.stringify([{ name: filter.field }])}::jsonb`);
  if (filter.vendor) parts.push(sql`c.vendor = ${filter.vendor}`);
  if (filter.productType) parts.push(sql`c.product_type = ${filter.productType}`);
  if (filter.source) parts.push(sql`c.source = ${filter.source}`);
  if (filter.q) parts.push(sql`c.search_text like ${`%${filter.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
  if (filter.productId) {
    parts.push(
      /^[0-9a-f-]{36}$/i.test(filter.productId)
        ? sql`c.product_key = (select key from catalog_entities where id = ${filter.productId}::uuid)`
        : sql`c.product_key = ${filter.productId}`,
    );
  }
  return sql.join(parts, sql` and `);
}

/** The timestamp travels as Postgres text: microseconds survive, which an ISO string from JS would cut. */
function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!id || !at || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('validation:cursor', 'Invalid cursor');
  return { at, id };
}

export async function listStaged(db: Executor, query: StagedListQuery) {
  const where = stagedWhere(query);
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const page = after ? sql`and (c.updated_at, c.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``;
  const rows = await queryRows<ChangeRow>(db, sql`${SELECT} where ${where} ${page} order by c.updated_at desc, c.id desc limit ${query.limit + 1}`);
  const more = rows.length > query.limit;
  const items = rows.slice(0, query.limit).map(presentChange);
  const total = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from staged_changes c where ${where}`);
  const perKind = await queryRows<{ kind: string; n: number }>(
    db,
    sql`select c.kind, count(*)::int as n from staged_changes c where ${stagedWhere(query, 'kind')} group by c.kind`,
  );
  const counts: Record<string, number> = { incoming: 0, outgoing: 0, conflict: 0 };
  for (const r of perKind) counts[r.kind] = Number(r.n);
  counts.all = counts.incoming! + counts.outgoing! + counts.conflict!;
  const last = rows[query.limit - 1];
  return { items, total: Number(total?.n ?? 0), nextCursor: more && last ? encodeCursor(String(last.cursor_at), last.id) : null, counts };
}

/** One change with its context: the product (variants, inventory) and the product's other open changes. */
export async function getStaged(db: Executor, id: string) {
  const row = await queryOne<ChangeRow>(db, sql`${SELECT} where c.id = ${id}`);
  if (!row) throw notFound('staged_change', id);
  const change = presentChange(row);
  if (!row.product_key) return { ...change, product: null, inventory: null, related: [] };
  const product = await getProduct(db, row.product_key, row.store_id).catch(() => null);
  const related = await queryRows<ChangeRow>(
    db,
    sql`${SELECT} where c.store_id = ${row.store_id} and c.product_key = ${row.product_key} and c.id <> ${row.id}
        and c.status in ('pending', 'approved', 'queued', 'applying') order by c.entity, c.entity_key limit 200`,
  );
  const variant = product?.variants.find((v) => v.shopifyId === row.entity_key || (row.entity === 'inventory_level' && v.inventory.some((l) => l.key === row.entity_key)));
  return { ...change, product, inventory: variant?.inventory ?? null, related: related.map(presentChange) };
}
