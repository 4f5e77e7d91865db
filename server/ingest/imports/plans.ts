import { sql } from 'drizzle-orm';

/**
 * The import's statements (as pg-boss keeps its SQL in plans.ts): the master's rows a file is read
 * against. Locations and collections are read with the catalog's plans (server/catalog/plans.ts),
 * which the export shares; memberships are written by applyLocalWrites like every master edit.
 */

/** The master's products, variants, stock levels, memberships and metafields (rows deleted locally are not editable). */
export const masterRows = (storeId: string) =>
  sql`select entity, key, product_key, local, remote, meta from catalog_entities
      where store_id = ${storeId} and local is not null
        and entity in ('product', 'variant', 'inventory_level', 'membership', 'media', 'metafield')`;
