import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { BatchItem, NewBatchItem } from '../../drizzle/schema';
import type { FieldValues } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { pgTextArray, queryRows } from '../db/rows';
import type { CreateContext } from './apply-creates';

/**
 * A create made in the master is reviewed as one change (the product, or the new variant), and its
 * rows follow it into the push: a product's variants and their stock, a variant's stock. These
 * items have no staged change of their own; they settle (and roll back) with the one that brought them.
 */

interface FollowerRow extends Record<string, unknown> {
  entity: 'variant' | 'inventory_level';
  key: string;
  product_key: string;
  local: FieldValues;
}

/** Rows of approved creates that exist only in the master: the new products' variants and levels, the new variants' levels. */
export async function followerItems(
  tx: Executor,
  storeId: string,
  batchId: string,
  items: readonly NewBatchItem[],
): Promise<NewBatchItem[]> {
  const products = items.filter((i) => i.entity === 'product' && i.op === 'create').map((i) => i.entityKey);
  const variants = items.filter((i) => i.entity === 'variant' && i.op === 'create').map((i) => i.entityKey);
  if (products.length === 0 && variants.length === 0) return [];
  const rows = await queryRows<FollowerRow>(
    tx,
    sql`select e.entity, e.key, e.product_key, e.local from catalog_entities e
        where e.store_id = ${storeId} and e.local is not null and e.remote is null
          and ((e.entity in ('variant', 'inventory_level') and e.product_key = any(${pgTextArray(products)}::text[]))
               or (e.entity = 'inventory_level' and e.meta->>'variantId' = any(${pgTextArray(variants)}::text[])))
        order by e.entity desc, (e.meta->>'position')::int nulls last, e.key`,
  );
  const taken = new Set(items.map((i) => `${i.entity}\u0000${i.entityKey}`));
  return rows
    .filter((r) => !taken.has(`${r.entity}\u0000${r.key}`))
    .map((r) => {
      const id = randomUUID();
      return {
        id,
        batchId,
        storeId,
        stagedChangeId: null,
        side: 'shopify' as const,
        entity: r.entity,
        entityKey: r.key,
        productKey: r.product_key,
        op: 'create' as const,
        priority: 'normal' as const,
        before: null,
        target: r.local,
        idempotencyKey: `csd-${id}`,
      };
    });
}

/** The option values of a unit's new variants (their meta), for the create mutations. */
export async function createContext(db: Executor, items: readonly BatchItem[]): Promise<CreateContext> {
  const keys = items.filter((i) => i.entity === 'variant' && i.op === 'create').map((i) => i.entityKey);
  if (keys.length === 0) return { options: new Map(), positions: new Map() };
  const storeId = items[0]!.storeId;
  const rows = await queryRows<{ key: string; options: Array<{ name: string; value: string }> | null; position: number | null }>(
    db,
    sql`select key, meta->'selectedOptions' as options, (meta->>'position')::int as position from catalog_entities
        where store_id = ${storeId} and entity = 'variant' and key = any(${pgTextArray(keys)}::text[])`,
  );
  return {
    options: new Map(rows.map((r) => [r.key, r.options ?? []])),
    positions: new Map(rows.map((r) => [r.key, Number(r.position ?? 0)])),
  };
}
