import { z } from 'zod';
import { notFound } from '../../lib/errors';
import { pickFields } from '../../lib/sync/fields';
import { type FieldValues, PRODUCT_SYNC_STATUSES } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryOne, queryRows } from '../db/rows';
import { catalogListQuery, type EntityRow } from './list';
import * as plans from './plans';

export const productListQuery = catalogListQuery.extend({
  status: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['ACTIVE', 'DRAFT', 'ARCHIVED'])).optional(),
  syncStatus: z.enum(PRODUCT_SYNC_STATUSES).optional(),
  vendor: z.string().max(255).optional(),
});
export type ProductListQuery = z.infer<typeof productListQuery>;

interface ProductRow extends EntityRow {
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
    ...pickFields('product', doc),
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
      selectedOptions: v.meta.selectedOptions ?? [],
      inventoryItemId: v.meta.inventoryItemId ?? null,
      local: v.local,
      remote: v.remote,
      inventory: levels
        .filter((l) => l.meta.variantId === v.key || (v.meta.inventoryItemId && l.key.startsWith(`${String(v.meta.inventoryItemId)}|`)))
        .map((l) => ({
          key: l.key,
          location: l.key.split('|')[1],
          locationName: l.location_name ?? locationName(l.key.split('|')[1]),
          available: (l.local ?? l.remote)?.available ?? null,
          local: l.local,
          remote: l.remote,
        })),
    })),
    collections: memberships.filter((m) => m.local !== null).map((m) => m.key.split('|')[0]),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
export type ProductView = ReturnType<typeof present>;

export async function listProducts(db: Executor, storeId: string, query: ProductListQuery) {
  const countRow = await queryOne<{ n: number }>(db, plans.countProducts(storeId, query));
  const rows = await queryRows<ProductRow>(db, plans.productPage(storeId, query, query.cursor, query.limit));
  const page = plans.titlePages.page(rows, query.limit, (r) => ({ key: r.sort_title, id: r.id }));
  const children = page.items.length
    ? await rowsOfProducts(
        db,
        storeId,
        page.items.map((r) => r.key),
      )
    : [];
  const items = page.items.map((r) =>
    present(
      r,
      children.filter((c) => c.product_key === r.key),
    ),
  );
  return { items, total: Number(countRow?.n ?? 0), nextCursor: page.nextCursor };
}

async function rowsOfProducts(db: Executor, storeId: string, keys: string[]): Promise<RowDoc[]> {
  return queryRows<RowDoc>(db, plans.rowsOfProducts(storeId, keys));
}

/** A product by its stable id (uuid) or its Shopify GID. */
export async function findProductRow(db: Executor, idOrKey: string, storeId?: string): Promise<ProductRow> {
  const row = await queryOne<ProductRow>(db, plans.productByIdOrKey(idOrKey, storeId));
  if (!row) throw notFound('product', idOrKey);
  return row;
}

export async function getProduct(db: Executor, idOrKey: string, storeId?: string): Promise<ProductView> {
  const row = await findProductRow(db, idOrKey, storeId);
  return present(row, await rowsOfProducts(db, row.store_id, [row.key]));
}
