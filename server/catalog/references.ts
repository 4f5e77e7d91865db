import { sql } from 'drizzle-orm';
import { type ReferenceEntity, type ReferenceLookup, referenceIds, referenceInputs, referenceLookupKey } from '../../lib/sync/metafields';
import type { Executor } from '../db/client';
import { pgTextArray, queryRows } from '../db/rows';
import { categoryNames } from './taxonomy';

/**
 * What reference metafields point at, read the way people read them (lib/sync/metafields.ts): the
 * target's name (a product's or collection's title, a variant as "<product> / <variant>") and the
 * cell the CSV writes for it (a product's or collection's handle, a variant's SKU when no other
 * variant of the store has it, else the GID). One lookup serves the review, batch history, the CSV
 * and the product page; a target the catalog does not hold (a page, a file) keeps its GID.
 */
export interface ReferenceTarget {
  name: string;
  cell: string;
}

export async function referenceTargets(db: Executor, storeId: string, ids: readonly string[]): Promise<Map<string, ReferenceTarget>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{
    key: string;
    entity: string;
    title: string | null;
    handle: string | null;
    sku: string | null;
    variant_title: string | null;
    product_title: string | null;
    sku_shared: boolean;
  }>(
    db,
    sql`select e.key, e.entity,
          coalesce(e.local->>'title', e.remote->>'title') as title,
          coalesce(e.local->>'handle', e.remote->>'handle') as handle,
          coalesce(e.local->>'sku', e.remote->>'sku') as sku,
          e.meta->>'title' as variant_title,
          coalesce(p.local->>'title', p.remote->>'title') as product_title,
          e.entity = 'variant' and exists (
            select 1 from catalog_entities s where s.store_id = e.store_id and s.entity = 'variant' and s.key <> e.key
              and s.local->>'sku' = coalesce(e.local->>'sku', e.remote->>'sku')
          ) as sku_shared
        from catalog_entities e
        left join catalog_entities p on e.entity = 'variant' and p.store_id = e.store_id and p.entity = 'product' and p.key = e.product_key
        where e.store_id = ${storeId} and e.entity in ('product', 'collection', 'variant')
          and e.key = any(${pgTextArray([...new Set(ids)])}::text[])`,
  );
  const out = new Map<string, ReferenceTarget>();
  for (const r of rows) {
    if (r.entity === 'variant') {
      const name = [r.product_title, r.variant_title && r.variant_title !== 'Default Title' ? r.variant_title : r.sku].filter(Boolean);
      out.set(r.key, { name: name.join(' / ') || r.key, cell: r.sku && !r.sku_shared ? r.sku : r.key });
    } else out.set(r.key, { name: r.title || r.handle || r.key, cell: r.handle || r.key });
  }
  return out;
}

/** Names of what documents' values point at, by GID: categories by full name and reference metafield targets by name. */
export async function valueNamesOf(db: Executor, storeId: string, docs: readonly unknown[]): Promise<Record<string, string>> {
  const values = docs.flatMap((d) => (d && typeof d === 'object' && !Array.isArray(d) ? Object.values(d) : [d]));
  const [categories, targets] = await Promise.all([categoryNames(db, values), referenceTargets(db, storeId, referenceIds(docs))]);
  return { ...Object.fromEntries(categories), ...Object.fromEntries([...targets].map(([id, t]) => [id, t.name])) };
}

/**
 * The GIDs of the readable forms people gave for reference values (edits, CSV cells): a product or
 * collection by its handle, a variant by its SKU (refused when several variants share it).
 */
export async function lookupReferences(
  db: Executor,
  storeId: string,
  given: ReadonlyArray<{ type: string; value: unknown }>,
): Promise<ReferenceLookup> {
  const inputs = given.flatMap((g) => referenceInputs(g.type, g.value));
  if (inputs.length === 0) return new Map();
  const texts = [...new Set(inputs.map((i) => i.text.toLowerCase()))];
  const entities = [...new Set(inputs.map((i) => i.entity))];
  const rows = await queryRows<{ key: string; entity: ReferenceEntity; text: string }>(
    db,
    sql`select key, entity, lower(case when entity = 'variant' then local->>'sku' else local->>'handle' end) as text
        from catalog_entities
        where store_id = ${storeId} and local is not null and entity = any(${pgTextArray(entities)}::text[])
          and lower(case when entity = 'variant' then local->>'sku' else local->>'handle' end) = any(${pgTextArray(texts)}::text[])`,
  );
  const out = new Map<string, string | { reason: string }>();
  for (const r of rows) {
    const key = referenceLookupKey(r.entity, r.text);
    const had = out.get(key);
    out.set(key, had === undefined ? r.key : { reason: `several variants have SKU "${r.text}": give the variant's GID` });
  }
  return out;
}
