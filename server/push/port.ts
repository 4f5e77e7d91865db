import type { FieldValues } from '../../lib/sync/model';

/**
 * What the push engine needs from Shopify, in the sync model's terms (normalized field documents
 * keyed like catalog_entities). The adapter over lib/shopify (shopify-port.ts) is the only
 * implementation; the engine never sees GraphQL shapes.
 */

/** Shopify's current state of one product, as the drift check reads it. */
export interface RemoteProductState {
  product: FieldValues;
  /** Variant GID -> variant document. */
  variants: Map<string, FieldValues>;
  /** `<inventoryItemGid>|<locationGid>` -> {available}. */
  inventory: Map<string, FieldValues>;
  /** Custom collection GIDs the product is in. */
  collections: Set<string>;
  /** Variant GID -> inventory item GID (to address inventory of new variants). */
  inventoryItemOf: Map<string, string>;
}

export interface VariantWrite {
  id: string;
  values: FieldValues;
}

export interface InventoryWrite {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
  /** Compare-and-set: the value we saw; a mismatch answers CHANGE_FROM_QUANTITY_STALE. */
  changeFromQuantity: number | null;
}

export interface CreatedProduct {
  id: string;
  /** In the order the variants were sent. */
  variantIds: string[];
}

/** A user error Shopify answered for a write: final for the items it concerns. */
export interface WriteUserError {
  message: string;
  code?: string | null;
  field?: string[] | null;
}

export interface ShopifyPort {
  /** Re-reads products (nodes(ids)); a missing id maps to null. */
  readProducts(productIds: string[]): Promise<Map<string, RemoteProductState | null>>;
  updateProduct(productId: string, values: FieldValues, membership: { join: string[]; leave: string[] }): Promise<WriteUserError[]>;
  updateVariants(productId: string, variants: VariantWrite[]): Promise<WriteUserError[]>;
  setInventory(quantities: InventoryWrite[], idempotencyKey: string): Promise<WriteUserError[]>;
  /** productSet keyed by handle, so a retried create updates the product the first attempt made. */
  createProduct(values: FieldValues, variants: FieldValues[]): Promise<{ product: CreatedProduct | null; userErrors: WriteUserError[] }>;
  deleteProduct(productId: string): Promise<WriteUserError[]>;
  /** Cost figures of the client's throttle bucket, for adapting concurrency. */
  throttle(): { available: number; maximum: number; restoreRate: number } | null;
}

/** Thrown by an adapter for an error worth retrying (5xx, timeout, network, THROTTLED). */
export class RetryableShopifyError extends Error {
  override name = 'RetryableShopifyError';
}
