import { z } from 'zod';
import { notFound } from '../../lib/errors';
import { pickFields } from '../../lib/sync/fields';
import type { Executor } from '../db/client';
import { pageParams } from '../db/keyset';
import { queryOne, queryRows } from '../db/rows';
import { catalogListQuery, type EntityRow } from './list';
import * as plans from './plans';

export const collectionListQuery = catalogListQuery;
export type CollectionListQuery = z.infer<typeof collectionListQuery>;

interface CollectionRow extends EntityRow {
  sort_title: string;
  products_count: number;
  pending_changes: number;
}

function present(row: CollectionRow) {
  const doc = row.local ?? row.remote ?? {};
  return {
    id: row.id,
    storeId: row.store_id,
    shopifyId: row.key.startsWith('local:') ? null : row.key,
    ...pickFields('collection', doc),
    smart: row.meta.smart === true,
    productsCount: Number(row.products_count),
    pendingChanges: Number(row.pending_changes),
    syncStatus: Number(row.pending_changes) > 0 ? 'pending' : row.base === null || row.remote === null ? 'not_synced' : 'synced',
    local: row.local,
    remote: row.remote,
  };
}

export async function listCollections(db: Executor, storeId: string, query: CollectionListQuery) {
  const total = await queryOne<{ n: number }>(db, plans.countCollections(storeId, query.q));
  const rows = await queryRows<CollectionRow>(db, plans.collectionPage(storeId, query.q, query.cursor, query.limit));
  const page = plans.titlePages.page(rows, query.limit, (r) => ({ key: r.sort_title, id: r.id }));
  return { items: page.items.map(present), total: Number(total?.n ?? 0), nextCursor: page.nextCursor };
}

async function findCollection(db: Executor, idOrKey: string): Promise<CollectionRow> {
  const row = await queryOne<CollectionRow>(db, plans.collectionByIdOrKey(idOrKey));
  if (!row) throw notFound('collection', idOrKey);
  return row;
}

export async function getCollection(db: Executor, idOrKey: string) {
  return present(await findCollection(db, idOrKey));
}

interface MemberRow extends Record<string, unknown> {
  id: string;
  key: string;
  sort_title: string;
  member_local: boolean;
  member_remote: boolean;
  pending: boolean;
}

export const collectionProductsQuery = z.object({
  ...pageParams(500, 100),
});

/** Products in the collection (master side, else Shopify's), with the membership's own sync state. */
export async function listCollectionProducts(db: Executor, idOrKey: string, query: z.infer<typeof collectionProductsQuery>) {
  const collection = await findCollection(db, idOrKey);
  const rows = await queryRows<MemberRow>(db, plans.collectionMembersPage(collection.store_id, collection.key, query.cursor, query.limit));
  const page = plans.titlePages.page(rows, query.limit, (r) => ({ key: r.sort_title, id: r.id }));
  return {
    collection: present(collection),
    items: page.items.map((r) => ({
      id: r.id,
      shopifyId: r.key,
      title: r.sort_title,
      inMaster: r.member_local,
      inShopify: r.member_remote,
      pending: r.pending,
    })),
    total: Number(collection.products_count),
    nextCursor: page.nextCursor,
  };
}
