import { sql } from 'drizzle-orm';
import { entityKeys } from '../../lib/sync/fields';
import { metafieldKey } from '../../lib/sync/metafields';
import type { EntityType, FieldValues } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { pgTextArray, queryRows } from '../db/rows';

/**
 * One local write: the entity and the fields to merge into its local document. A membership's
 * write is `{member: true}` (the product joins the collection) or `{member: false}` (it leaves);
 * its row may not exist yet.
 */
export interface LocalWrite {
  entity: EntityType;
  key: string;
  values: FieldValues;
  /** An image added (its row is made, with `values` as its document) or removed (its document goes). Absent: an update. */
  op?: 'create' | 'delete';
  /** A metafield's place (its row may not exist yet): product, owner, namespace and key. */
  productKey?: string;
  ownerId?: string;
  namespace?: string;
  metafieldKey?: string;
}

/**
 * The entities a master edit reaches in every store: the master is one, each store holds its copy
 * of it beside that store's base and remote. Linked by stable keys, never by Shopify ids (each
 * store has its own): a product by handle, a variant by SKU (else by its option values), a
 * collection by handle, a metafield by its owner's link and namespace.key. Inventory levels are
 * each store's own stock and images are each store's own files: neither is fanned out.
 */
const FANNED: ReadonlySet<EntityType> = new Set(['product', 'variant', 'metafield', 'membership']);

interface ProductLink extends Record<string, unknown> {
  key: string;
  handle: string | null;
}
interface VariantLink extends Record<string, unknown> {
  key: string;
  product_key: string;
  sku: string | null;
  options: string | null;
}
interface CollectionLink extends Record<string, unknown> {
  key: string;
  handle: string | null;
}

const variantsSql = (storeId: string, column: 'key' | 'product_key', keys: string[]) =>
  sql`select key, product_key, nullif(coalesce(local->>'sku', remote->>'sku'), '') as sku,
             (select string_agg(o->>'value', ' / ' order by n) from jsonb_array_elements(meta->'selectedOptions') with ordinality x(o, n))
               as options
        from catalog_entities
       where store_id = ${storeId} and entity = 'variant' and local is not null
         and ${sql.raw(column)} = any(${pgTextArray(keys)}::text[])`;

/**
 * The writes of a master edit made in store `from`, as the same edit of the linked entities of
 * store `to`. Read before the edit is applied (it may change the handle or SKU that links them).
 * Entities with no counterpart there (a product only one store sells, a variant whose SKU and
 * options match none) are left out: they are edited only where they exist. Rows deleted in that
 * store's master are left out too.
 */
export async function linkWrites(db: Executor, from: string, to: string, writes: readonly LocalWrite[]): Promise<LocalWrite[]> {
  const fanned = writes.filter((w) => FANNED.has(w.entity) && w.op === undefined);
  if (fanned.length === 0) return [];
  const variantKeys = fanned.flatMap((w) =>
    w.entity === 'variant' ? [w.key] : w.entity === 'metafield' && w.ownerId !== w.productKey ? [w.ownerId!] : [],
  );
  const fromVariants = variantKeys.length ? await queryRows<VariantLink>(db, variantsSql(from, 'key', variantKeys)) : [];
  const productKeys = [
    ...new Set([
      ...fanned.flatMap((w) =>
        w.entity === 'product'
          ? [w.key]
          : w.entity === 'metafield'
            ? [w.productKey!]
            : w.entity === 'membership'
              ? [entityKeys.split(w.key)[1]]
              : [],
      ),
      ...fromVariants.map((v) => v.product_key),
    ]),
  ];
  const fromProducts = await productLinks(db, from, sql`key = any(${pgTextArray(productKeys)}::text[])`);
  const handles = fromProducts.map((p) => p.handle).filter((h): h is string => Boolean(h));
  if (handles.length === 0) return [];
  const toProducts = await productLinks(
    db,
    to,
    sql`local is not null and coalesce(local->>'handle', remote->>'handle') = any(${pgTextArray(handles)}::text[])`,
  );
  const productOf = new Map<string, string>();
  for (const p of fromProducts) {
    const there = toProducts.find((t) => t.handle === p.handle);
    if (there) productOf.set(p.key, there.key);
  }
  const toVariants = productOf.size ? await queryRows<VariantLink>(db, variantsSql(to, 'product_key', [...productOf.values()])) : [];
  const variantOf = new Map<string, string>();
  for (const v of fromVariants) {
    const siblings = toVariants.filter((t) => t.product_key === productOf.get(v.product_key));
    const there = (v.sku && siblings.find((t) => t.sku === v.sku)) || (v.options && siblings.find((t) => t.options === v.options));
    if (there) variantOf.set(v.key, there.key);
  }
  const collectionOf = await linkCollections(db, from, to, fanned);

  const out: LocalWrite[] = [];
  for (const w of fanned) {
    if (w.entity === 'product' && productOf.has(w.key)) out.push({ ...w, key: productOf.get(w.key)! });
    else if (w.entity === 'variant' && variantOf.has(w.key)) out.push({ ...w, key: variantOf.get(w.key)! });
    else if (w.entity === 'metafield') {
      const productKey = productOf.get(w.productKey!);
      const ownerId = w.ownerId === w.productKey ? productKey : variantOf.get(w.ownerId!);
      if (productKey && ownerId) out.push({ ...w, key: metafieldKey(ownerId, w.namespace!, w.metafieldKey!), productKey, ownerId });
    } else if (w.entity === 'membership') {
      const [collectionKey, productKey] = entityKeys.split(w.key);
      const collection = collectionOf.get(collectionKey);
      const product = productOf.get(productKey);
      if (collection && product) out.push({ ...w, key: entityKeys.membership(collection, product) });
    }
  }
  return out;
}

function productLinks(db: Executor, storeId: string, where: ReturnType<typeof sql>) {
  return queryRows<ProductLink>(
    db,
    sql`select key, coalesce(local->>'handle', remote->>'handle') as handle
          from catalog_entities where store_id = ${storeId} and entity = 'product' and ${where}`,
  );
}

/** Collections of the memberships written, by handle; smart collections in `to` are not linked (Shopify fills them). */
async function linkCollections(db: Executor, from: string, to: string, writes: LocalWrite[]): Promise<Map<string, string>> {
  const keys = [...new Set(writes.filter((w) => w.entity === 'membership').map((w) => entityKeys.split(w.key)[0]))];
  const linked = new Map<string, string>();
  if (keys.length === 0) return linked;
  const handleSql = sql`coalesce(local->>'handle', remote->>'handle')`;
  const fromRows = await queryRows<CollectionLink>(
    db,
    sql`select key, ${handleSql} as handle from catalog_entities
         where store_id = ${from} and entity = 'collection' and key = any(${pgTextArray(keys)}::text[])`,
  );
  const handles = fromRows.map((c) => c.handle).filter((h): h is string => Boolean(h));
  const toRows = await queryRows<CollectionLink>(
    db,
    sql`select key, ${handleSql} as handle from catalog_entities
         where store_id = ${to} and entity = 'collection' and local is not null
           and not coalesce((meta->>'smart')::boolean, false) and ${handleSql} = any(${pgTextArray(handles)}::text[])`,
  );
  for (const c of fromRows) {
    const there = toRows.find((t) => t.handle === c.handle);
    if (there) linked.set(c.key, there.key);
  }
  return linked;
}
