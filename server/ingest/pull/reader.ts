import type { RemoteEntity } from '../../../lib/shopify';
import type { MetafieldDefinition } from '../../../lib/sync/metafields';
import type { EntityType } from '../../../lib/sync/model';
import type { RemoteRecord } from '../../catalog/remote';

/**
 * What the pull needs from a platform (the adapter boundary of DESIGN.md): read the whole catalog,
 * read products changed since an instant, re-read chosen products or a collection.
 * Records come in batches so that nothing holds the whole catalog in memory.
 */
export interface CatalogReader {
  /**
   * Every product (with variants, inventory levels, memberships) and every collection. A batch
   * holds whole products: all the rows of a product come in the batch of its product record (the
   * pull marks rows of a product that its batch lacks as gone from Shopify).
   */
  fullCatalog(signal: AbortSignal): AsyncIterable<RemoteRecord[]>;
  /** Products updated after `since`, with all their rows; a batch holds whole products, as in fullCatalog. */
  productsUpdatedSince(since: Date, signal: AbortSignal): AsyncIterable<RemoteRecord[]>;
  /** Stock that moved after `since` (a product's updated_at does not move with its stock). */
  stockUpdatedSince(since: Date, signal: AbortSignal): AsyncIterable<StockBatch>;
  /** Chosen products re-read; ids not returned no longer exist. */
  products(ids: string[]): Promise<RemoteRecord[]>;
  /** One collection and its memberships; null when it no longer exists. */
  collection(id: string): Promise<RemoteRecord[] | null>;
  /** The store's locations (names for the inventory columns). */
  locations?(): Promise<Array<{ id: string; name: string; active: boolean }>>;
  /** The store's metafield definitions of products and variants (types and names of the metafields). */
  metafieldDefinitions?(): Promise<MetafieldDefinition[]>;
}

/** Stock that moved: level rows we hold, and whole products re-read for levels we held no row for. */
export interface StockBatch {
  levels: RemoteRecord[];
  products: RemoteRecord[];
}

/** The entity types a product read returns for each product (used to find rows that vanished). */
export const PRODUCT_ROW_ENTITIES: readonly EntityType[] = ['product', 'variant', 'inventory_level', 'membership', 'media', 'metafield'];

/** A catalog entity as lib/shopify reads it, as the record the pull writes. */
export const recordOf = (e: RemoteEntity): RemoteRecord => ({
  entity: e.entity,
  key: e.key,
  productKey: e.productKey,
  doc: e.remote,
  meta: e.meta,
  updatedAt: e.remoteUpdatedAt,
});
