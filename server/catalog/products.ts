import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, notFound } from '../../lib/errors';
import { PRODUCT_SYNC_STATUSES, type FieldValues } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryOne, queryRows } from '../db/rows';

export const productListQuery = z.object({
  storeId: z.uuid().optional(),
  q: z.string().max(200).optional(),
  status: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['ACTIVE', 'DRAFT', 'ARCHIVED'])).optional(),
  syncStatus: z.enum(PRODUCT_SYNC_STATUSES).optional(),
  vendor: z.string().max(255).optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ProductListQuery = z.infer<typeof productListQuery>;

interface ProductRow extends Record<string, unknown> {
  id: string;
  store_id: string;
  key: string;
  local: FieldValues | null;
  base: FieldValues | null;
  remote: FieldValues | null;
  meta: Record<string, unknown>;
  sync_status: string;
  sort_title: string;
  pending_changes: number;
  updated_at: string | Date;
}

interface RowDoc extends Record<string, unknown> {
  id: string;
  entity: string;
  key: string;
  product_key: string;
  local: FieldValues | null;
  remote: FieldValues | null;
  base: FieldValues | null;
  meta: Record<string, unknown>;
  location_name: string | null;
}

/** Precedence: an open conflict, then a failed or drifted push, then anything open, then never agreed. */
const SYNC_STATUS = sql`case
  when exists (select 1 from staged_changes c where c.store_id = p.store_id and c.product_key = p.key and c.status = 'pending' and c.kind = 'conflict') then 'conflict'
  when exists (select 1 from staged_changes c where c.store_id = p.store_id and c.product_key = p.key and c.status in ('failed', 'drifted')
               and not exists (select 1 from staged_changes d where d.store_id = c.store_id and d.entity = c.entity and d.entity_key = c.entity_key
                               and d.status = 'applied' and d.updated_at > c.updated_at)) then 'error'
  when exists (select 1 from staged_changes c where c.store_id = p.store_id and c.product_key = p.key and c.status in ('pending', 'approved', 'queued', 'applying')) then 'pending'
  when p.base is null or p.remote is null then 'not_synced'
  else 'synced' end`;

const PRODUCT_SELECT = sql`select p.id, p.store_id, p.key, p.local, p.base, p.remote, p.meta, p.updated_at,
    coalesce(p.local->>'title', p.remote->>'title', '') as sort_title,
    ${SYNC_STATUS} as sync_status,
    (select count(*)::int from staged_changes c where c.store_id = p.store_id and c.product_key = p.key and c.status = 'pending') as pending_changes
  from catalog_entities p`;

function encodeCursor(title: string, id: string): string {
  return Buffer.from(JSON.stringify([title, id])).toString('base64url');
}
function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // fall through
  }
  throw new AppError('validation:cursor', 'Invalid cursor');
}

const locationName = (id: string | undefined) => (id ? `Location ${id.split('/').pop()}` : undefined);

function present(row: ProductRow, rows: RowDoc[] = []) {
  const doc = row.local ?? row.remote ?? {};
  const variants = rows.filter((r) => r.entity === 'variant');
  const levels = rows.filter((r) => r.entity === 'inventory_level');
  const memberships = rows.filter((r) => r.entity === 'membership');
  return {
    id: row.id,
    storeId: row.store_id,
    shopifyId: row.key.startsWith('local:') ? null : row.key,
    key: row.key,
    title: doc.title ?? null,
    handle: doc.handle ?? null,
    descriptionHtml: doc.descriptionHtml ?? null,
    vendor: doc.vendor ?? null,
    productType: doc.productType ?? null,
    status: doc.status ?? null,
    tags: doc.tags ?? [],
    syncStatus: row.sync_status,
    pendingChanges: Number(row.pending_changes),
    existsLocally: row.local !== null,
    existsInShopify: row.remote !== null,
    local: row.local,
    remote: row.remote,
    base: row.base,
    variants: variants.map((v) => ({
      id: v.id,
      shopifyId: v.key.startsWith('local:') ? null : v.key,
      ...(v.local ?? v.remote ?? {}),
      title: v.meta.title ?? null,
      inventoryItemId: v.meta.inventoryItemId ?? null,
      local: v.local,
      remote: v.remote,
      inventory: levels
        .filter((l) => l.meta.variantId === v.key || (v.meta.inventoryItemId && l.key.startsWith(`${String(v.meta.inventoryItemId)}|`)))
        .map((l) => ({ key: l.key, location: l.key.split('|')[1], locationName: l.location_name ?? locationName(l.key.split('|')[1]), available: (l.local ?? l.remote)?.available ?? null, local: l.local, remote: l.remote })),
    })),
    collections: memberships.filter((m) => m.local !== null).map((m) => m.key.split('|')[0]),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
export type ProductView = ReturnType<typeof present>;

export async function listProducts(db: Executor, storeId: string, query: ProductListQuery) {
  const parts: SQL[] = [sql`p.store_id = ${storeId}`, sql`p.entity = 'product'`, sql`(p.local is not null or p.remote is not null)`];
  if (query.status) parts.push(sql`coalesce(p.local->>'status', p.remote->>'status') = ${query.status}`);
  if (query.vendor) parts.push(sql`coalesce(p.local->>'vendor', p.remote->>'vendor') = ${query.vendor}`);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    parts.push(sql`(coalesce(p.local->>'title', p.remote->>'title') ilike ${like} or coalesce(p.local->>'handle', p.remote->>'handle') ilike ${like}
      or p.key = ${query.q}
      or exists (select 1 from catalog_entities v where v.store_id = p.store_id and v.product_key = p.key and v.entity = 'variant'
                 and coalesce(v.local->>'sku', v.remote->>'sku') ilike ${like}))`);
  }
  const where = sql.join(parts, sql` and `);
  const outer: SQL[] = [sql`true`];
  if (query.syncStatus) outer.push(sql`s.sync_status = ${query.syncStatus}`);
  const countRow = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from (${PRODUCT_SELECT} where ${where}) s where ${sql.join(outer, sql` and `)}`);
  if (query.cursor) {
    const [title, id] = decodeCursor(query.cursor);
    outer.push(sql`(s.sort_title, s.id) > (${title}, ${id}::uuid)`);
  }
  const rows = await queryRows<ProductRow>(
    db,
    sql`select * from (${PRODUCT_SELECT} where ${where}) s where ${sql.join(outer, sql` and `)} order by s.sort_title, s.id limit ${query.limit + 1}`,
  );
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const children = page.length ? await rowsOfProducts(db, storeId, page.map((r) => r.key)) : [];
  const items = page.map((r) => present(r, children.filter((c) => c.product_key === r.key)));
  const last = page[page.length - 1];
  return { items, total: Number(countRow?.n ?? 0), nextCursor: more && last ? encodeCursor(last.sort_title, last.id) : null };
}

async function rowsOfProducts(db: Executor, storeId: string, keys: string[]): Promise<RowDoc[]> {
  return queryRows<RowDoc>(
    db,
    sql`select e.id, e.entity, e.key, e.product_key, e.local, e.remote, e.base, e.meta, l.name as location_name from catalog_entities e
        left join locations l on e.entity = 'inventory_level' and l.store_id = e.store_id and l.id = split_part(e.key, '|', 2)
        where e.store_id = ${storeId} and e.product_key in (${sql.join(keys.map((k) => sql`${k}`), sql`, `)}) and e.entity <> 'product'
        order by e.entity, coalesce((e.meta->>'position')::int, 0), e.key`,
  );
}

/** A product by its stable id (uuid) or its Shopify GID. */
export async function findProductRow(db: Executor, idOrKey: string, storeId?: string): Promise<ProductRow> {
  const match = /^[0-9a-f-]{36}$/i.test(idOrKey) ? sql`p.id = ${idOrKey}::uuid` : sql`p.key = ${idOrKey}`;
  const store = storeId ? sql`and p.store_id = ${storeId}` : sql``;
  const row = await queryOne<ProductRow>(db, sql`${PRODUCT_SELECT} where p.entity = 'product' and ${match} ${store} limit 1`);
  if (!row) throw notFound('product', idOrKey);
  return row;
}

export async function getProduct(db: Executor, idOrKey: string, storeId?: string): Promise<ProductView> {
  const row = await findProductRow(db, idOrKey, storeId);
  return present(row, await rowsOfProducts(db, row.store_id, [row.key]));
}
