import { z } from 'zod';
import { notFound } from '../../lib/errors';
import { pickFields } from '../../lib/sync/fields';
import { type FieldValues, PRODUCT_SYNC_STATUSES } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryOne, queryRows } from '../db/rows';
import { catalogListQuery, type EntityRow } from './list';
import { loadMetafieldDefinitions } from './metafield-definitions';
import * as plans from './plans';
import { productMetafields, referenceTitles } from './product-metafields';
import { categoryNames } from './taxonomy';

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

/** A product as the API shows it; `names` gives its category's full name (server/catalog/taxonomy.ts). */
function present(row: ProductRow, rows: RowDoc[] = [], names: ReadonlyMap<string, string> = new Map()) {
  const doc = row.local ?? row.remote ?? {};
  const variants = rows.filter((r) => r.entity === 'variant');
  const levels = rows.filter((r) => r.entity === 'inventory_level');
  const memberships = rows.filter((r) => r.entity === 'membership');
  const media = rows.filter((r) => r.entity === 'media');
  return {
    id: row.id,
    storeId: row.store_id,
    shopifyId: row.key.startsWith('local:') ? null : row.key,
    key: row.key,
    ...pickFields('product', doc),
    tags: doc.tags ?? [],
    categoryName: typeof doc.category === 'string' ? (names.get(doc.category) ?? null) : null,
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
    media: presentMedia(media),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
export type ProductView = ReturnType<typeof present>;

/**
 * The product's images in the master's order; one removed in the master (still in Shopify until a
 * push) comes last, marked. `url` is where Shopify serves the picture (an image added in the master: its source).
 */
function presentMedia(rows: RowDoc[]) {
  const position = (r: RowDoc) => Number((r.local ?? r.remote)?.position ?? 0) + (r.local ? 0 : 10_000);
  return rows
    .filter((r) => r.local !== null || r.remote !== null)
    .sort((a, b) => position(a) - position(b))
    .map((r) => {
      const doc = r.local ?? r.remote ?? {};
      const mediaId = r.key.split('|')[1] ?? '';
      return {
        id: r.id,
        key: r.key,
        mediaId: mediaId.startsWith('local:') ? null : mediaId,
        alt: (doc.alt as string | null) ?? null,
        position: Number(doc.position ?? 0),
        src: (doc.src as string | null) ?? null,
        url: (r.meta.url as string | undefined) ?? (doc.src as string | null) ?? null,
        width: (r.meta.width as number | undefined) ?? null,
        height: (r.meta.height as number | undefined) ?? null,
        existsLocally: r.local !== null,
        existsInShopify: r.remote !== null,
        local: r.local,
        remote: r.remote,
      };
    });
}

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
  const names = await categoryNames(
    db,
    page.items.map((r) => (r.local ?? r.remote)?.category),
  );
  const items = page.items.map((r) =>
    present(
      r,
      children.filter((c) => c.product_key === r.key),
      names,
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

/**
 * One product as its page shows it: besides the list's view, its own metafields (one per definition
 * of the store, with its name and type) and the titles of what its reference metafields point at.
 */
export async function getProduct(db: Executor, idOrKey: string, storeId?: string) {
  const row = await findProductRow(db, idOrKey, storeId);
  const [names, rows, definitions] = await Promise.all([
    categoryNames(db, [(row.local ?? row.remote)?.category]),
    rowsOfProducts(db, row.store_id, [row.key]),
    loadMetafieldDefinitions(db, row.store_id, 'PRODUCT'),
  ]);
  const metafields = productMetafields(
    row.key,
    rows.filter((r) => r.entity === 'metafield'),
    definitions,
  );
  return { ...present(row, rows, names), metafields, referenceTitles: await referenceTitles(db, row.store_id, metafields) };
}
