import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { EntityType, FieldValues } from '../../lib/sync/model';
import { createdAt, tstz, updatedAt } from './columns';
import { storeRef } from './stores';

/**
 * The three-way catalog: one row per synced entity with its three documents.
 * `local` is the product master, `base` the last agreed value, `remote` what Shopify had when we
 * last looked. A null document means the entity does not exist on that side.
 *
 * Keys: product, variant, collection -> the Shopify GID (or `local:<uuid>` before a create is pushed);
 * inventory_level -> `<inventoryItemGid>|<locationGid>`; membership -> `<collectionGid>|<productGid>`.
 */
export const catalogEntities = pgTable(
  'catalog_entities',
  {
    /** Stable id for the API: survives the key change `local:<uuid>` -> Shopify GID after a create is pushed. */
    id: uuid('id').notNull().defaultRandom(),
    storeId: storeRef(),
    entity: text('entity').$type<EntityType>().notNull(),
    key: text('key').notNull(),
    /** The product this entity belongs to (itself for a product); null for collections. */
    productKey: text('product_key'),
    local: jsonb('local').$type<FieldValues | null>(),
    base: jsonb('base').$type<FieldValues | null>(),
    remote: jsonb('remote').$type<FieldValues | null>(),
    /** Read-only context that is not synced: variant title and options, inventory item id, position... */
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /**
     * A hash of what the pull last wrote of Shopify's side (remote, meta, remote_updated_at,
     * product_key): a full pull compares it to skip unchanged rows without reading their documents.
     * Null when anything else wrote `remote` (a push settling): the next pull then writes the row.
     */
    remoteFingerprint: text('remote_fingerprint'),
    remoteUpdatedAt: tstz('remote_updated_at'),
    localUpdatedAt: tstz('local_updated_at'),
    remoteSeenAt: tstz('remote_seen_at'),
    /** The full-pull generation that last saw this entity in Shopify. */
    seenGeneration: bigint('seen_generation', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.entity, t.key] }),
    index('catalog_entities_product_idx').on(t.storeId, t.productKey),
    uniqueIndex('catalog_entities_id_idx').on(t.id),
  ],
);
export type CatalogEntity = typeof catalogEntities.$inferSelect;
export type NewCatalogEntity = typeof catalogEntities.$inferInsert;
