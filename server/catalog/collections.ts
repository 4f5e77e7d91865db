import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, notFound } from '../../lib/errors';
import type { FieldValues } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryOne, queryRows } from '../db/rows';

export const collectionListQuery = z.object({
  storeId: z.uuid().optional(),
  q: z.string().max(200).optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type CollectionListQuery = z.infer<typeof collectionListQuery>;

interface CollectionRow extends Record<string, unknown> {
  id: string;
  store_id: string;
  key: string;
  local: FieldValues | null;
  remote: FieldValues | null;
  base: FieldValues | null;
  meta: Record<string, unknown>;
  sort_title: string;
  products_count: number;
  pending_changes: number;
}

const SELECT = sql`select c.id, c.store_id, c.key, c.local, c.remote, c.base, c.meta,
    coalesce(c.local->>'title', c.remote->>'title', '') as sort_title,
    (select count(*)::int from catalog_entities m where m.store_id = c.store_id and m.entity = 'membership' and m.key like c.key || '|%'
       and coalesce(m.local, m.remote) is not null) as products_count,
    (select count(*)::int from staged_changes s where s.store_id = c.store_id and s.status = 'pending'
       and ((s.entity = 'collection' and s.entity_key = c.key) or (s.entity = 'membership' and s.entity_key like c.key || '|%'))) as pending_changes
  from catalog_entities c`;

function present(row: CollectionRow) {
  const doc = row.local ?? row.remote ?? {};
  return {
    id: row.id,
    storeId: row.store_id,
    shopifyId: row.key.startsWith('local:') ? null : row.key,
    title: doc.title ?? null,
    handle: doc.handle ?? null,
    descriptionHtml: doc.descriptionHtml ?? null,
    smart: row.meta.smart === true,
    productsCount: Number(row.products_count),
    pendingChanges: Number(row.pending_changes),
    syncStatus: Number(row.pending_changes) > 0 ? 'pending' : row.base === null || row.remote === null ? 'not_synced' : 'synced',
    local: row.local,
    remote: row.remote,
  };
}

const cursorOf = (row: CollectionRow) => Buffer.from(JSON.stringify([row.sort_title, row.id])).toString('base64url');
function decode(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new AppError('validation:cursor', 'Invalid cursor');
}

export async function listCollections(db: Executor, storeId: string, query: CollectionListQuery) {
  const q = query.q ? `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
  const where = sql`c.store_id = ${storeId} and c.entity = 'collection' and (c.local is not null or c.remote is not null)
    ${q ? sql`and (coalesce(c.local->>'title', c.remote->>'title') ilike ${q} or coalesce(c.local->>'handle', c.remote->>'handle') ilike ${q})` : sql``}`;
  const total = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from catalog_entities c where ${where}`);
  const after = query.cursor ? decode(query.cursor) : null;
  const rows = await queryRows<CollectionRow>(
    db,
    sql`select * from (${SELECT} where ${where}) s ${after ? sql`where (s.sort_title, s.id) > (${after[0]}, ${after[1]}::uuid)` : sql``}
        order by s.sort_title, s.id limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  return { items: page.map(present), total: Number(total?.n ?? 0), nextCursor: rows.length > query.limit ? cursorOf(page[page.length - 1]!) : null };
}

async function findCollection(db: Executor, idOrKey: string): Promise<CollectionRow> {
  const match = /^[0-9a-f-]{36}$/i.test(idOrKey) ? sql`c.id = ${idOrKey}::uuid` : sql`c.key = ${idOrKey}`;
  const row = await queryOne<CollectionRow>(db, sql`${SELECT} where c.entity = 'collection' and ${match} limit 1`);
  if (!row) throw notFound('collection', idOrKey);
  return row;
}

export async function getCollection(db: Executor, idOrKey: string) {
  return present(await findCollection(db, idOrKey));
}

export const collectionProductsQuery = z.object({
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Products in the collection (master side, else Shopify's), with the membership's own sync state. */
export async function listCollectionProducts(db: Executor, idOrKey: string, query: z.infer<typeof collectionProductsQuery>) {
  const collection = await findCollection(db, idOrKey);
  const prefix = `${collection.key}|`;
  const after = query.cursor ? decode(query.cursor) : null;
  const rows = await queryRows<{ id: string; key: string; title: string; member_local: boolean; member_remote: boolean; pending: boolean }>(
    db,
    sql`select * from (
          select p.id, p.key, coalesce(p.local->>'title', p.remote->>'title', '') as title, m.local is not null as member_local, m.remote is not null as member_remote,
                 exists (select 1 from staged_changes s where s.store_id = m.store_id and s.entity = 'membership' and s.entity_key = m.key and s.status = 'pending') as pending
          from catalog_entities m
          join catalog_entities p on p.store_id = m.store_id and p.entity = 'product' and p.key = m.product_key
          where m.store_id = ${collection.store_id} and m.entity = 'membership' and m.key like ${`${prefix}%`} and (m.local is not null or m.remote is not null)
        ) s ${after ? sql`where (s.title, s.id) > (${after[0]}, ${after[1]}::uuid)` : sql``}
        order by s.title, s.id limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    collection: present(collection),
    items: page.map((r) => ({ id: r.id, shopifyId: r.key, title: r.title, inMaster: r.member_local, inShopify: r.member_remote, pending: r.pending })),
    total: Number(collection.products_count),
    nextCursor: rows.length > query.limit && last ? Buffer.from(JSON.stringify([last.title, last.id])).toString('base64url') : null,
  };
}
