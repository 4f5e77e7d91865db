import type { EntityType } from '../../lib/sync/model';
import type { RemoteRecord } from '../catalog/remote';

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
  /** Products updated after `since`, with all their rows. */
  productsUpdatedSince(since: Date, signal: AbortSignal): AsyncIterable<RemoteRecord[]>;
  /** Chosen products re-read; ids not returned no longer exist. */
  products(ids: string[]): Promise<RemoteRecord[]>;
  /** One collection and its memberships; null when it no longer exists. */
  collection(id: string): Promise<RemoteRecord[] | null>;
  /** The store's locations (names for the inventory columns). */
  locations?(): Promise<Array<{ id: string; name: string; active: boolean }>>;
}

/** The entity types a product read returns for each product (used to find rows that vanished). */
export const PRODUCT_ROW_ENTITIES: readonly EntityType[] = ['product', 'variant', 'inventory_level', 'membership'];
