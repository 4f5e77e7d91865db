import type { EntityType, FieldValues } from '../../lib/sync/model';

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
  /** `<productGid>|<mediaGid>` -> media document, in Shopify's order (empty unless asked for). */
  media: Map<string, FieldValues>;
  /** Metafield catalog key -> its document ({value}) and Shopify's digest of it; only the metafields asked for. */
  metafields: Map<string, { doc: FieldValues; digest: string | null }>;
}

export interface ReadNeed {
  variantIds: string[];
  inventoryItemIds: string[];
  collections: boolean;
  /** The product's media (alt, position, src of each, in order). */
  media?: boolean;
  /** Catalog keys of the metafields to re-read (`<owner gid>|<namespace>.<key>`). */
  metafieldKeys: string[];
}

/** An image added to a product by URL. */
export interface MediaAdd {
  src: string;
  alt: string | null;
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
  /** The variants' inventory items, in the same order. */
  inventoryItemIds: string[];
}

/** A variant to create: its synced fields, its option values (in option order) and its first stock per location. */
export interface NewVariantWrite {
  values: FieldValues;
  options: Array<{ name: string; value: string }>;
  inventory: Array<{ locationId: string; quantity: number }>;
}

/** A user error Shopify answered for a write: final for the items it concerns. */
export interface WriteUserError {
  message: string;
  code?: string | null;
  field?: string[] | null;
}

export interface ShopifyPort {
  /**
   * Re-reads what a unit is about to write with one nodes(ids) query: the product, the named
   * variants, the named inventory items' levels, and (when asked) the product's collections.
   * Null when the product no longer exists.
   */
  readState(productId: string, need: ReadNeed): Promise<RemoteProductState | null>;
  /**
   * Re-reads many entities by their catalog keys (products, variants, inventory levels,
   * memberships) in as few requests as the query cost limit allows, for a rollback's preview.
   * An entity absent from the answer no longer exists in Shopify (a membership: the product left).
   */
  readEntities(refs: ReadonlyArray<{ entity: EntityType; key: string }>): Promise<Map<string, FieldValues>>;
  updateProduct(productId: string, values: FieldValues, membership: { join: string[]; leave: string[] }): Promise<WriteUserError[]>;
  updateVariants(productId: string, variants: VariantWrite[]): Promise<WriteUserError[]>;
  setInventory(quantities: InventoryWrite[], idempotencyKey: string): Promise<WriteUserError[]>;
  /** productSet keyed by handle, so a retried create updates the product the first attempt made. */
  createProduct(
    values: FieldValues,
    variants: NewVariantWrite[],
  ): Promise<{ product: CreatedProduct | null; userErrors: WriteUserError[] }>;
  /** productVariantsBulkCreate: new variants of an existing product, all or none; ids in input order. */
  createVariants(
    productId: string,
    variants: NewVariantWrite[],
  ): Promise<{ variants: Array<{ id: string; inventoryItemId: string }> | null; userErrors: WriteUserError[] }>;
  deleteProduct(productId: string): Promise<WriteUserError[]>;
  /** Alt text of media of a product. */
  updateMediaAlt(media: Array<{ id: string; alt: string | null }>): Promise<WriteUserError[]>;
  /** Images added by URL, appended to the product's media: the new media GIDs in the order sent (null on userErrors). */
  addMedia(productId: string, media: MediaAdd[]): Promise<{ ids: string[] | null; userErrors: WriteUserError[] }>;
  /** Media detached from the product (the files stay in Shopify's Files). */
  detachMedia(productId: string, mediaIds: string[]): Promise<WriteUserError[]>;
  /** Files attached to the product again (a rollback of a removal): appended to its media. */
  attachMedia(productId: string, mediaIds: string[]): Promise<WriteUserError[]>;
  /** Moves of the product's media (0-based newPosition, applied in order); waits for Shopify's job. */
  reorderMedia(productId: string, moves: Array<{ id: string; newPosition: number }>): Promise<WriteUserError[]>;
  /**
   * metafieldsSet of up to 25 metafields (all or none), each with the digest the drift check read
   * (null: it had no value), so a value moved between the check and the write is refused.
   */
  setMetafields(writes: Array<{ key: string; value: FieldValues; digest: string | null }>): Promise<WriteUserError[]>;
  /** metafieldsDelete by catalog keys. */
  deleteMetafields(keys: string[]): Promise<WriteUserError[]>;
  /** Re-reads variants by id (nodes(ids)) for a bulk run's drift check; a missing id is absent from the map. */
  readVariants(variantIds: string[]): Promise<Map<string, FieldValues>>;
  /**
   * productVariantsBulkUpdate for many products through bulkOperationRunMutation; the answer is
   * per line (in input order): Shopify's userErrors, or null when the line got no answer.
   */
  bulkUpdateVariants(
    lines: Array<{ productId: string; variants: VariantWrite[] }>,
    clientIdentifier: string,
  ): Promise<Array<WriteUserError[] | null>>;
  /** Cost figures of the client's throttle bucket (and Shopify's answer time, ms), for concurrency and the cost model. */
  throttle(): { available: number; maximum: number; restoreRate: number; latencyMs: number | null } | null;
  /** Points the drift reads are expected to request (a unit's of `ids` nodes, a bulk run's of `ids` variants), for the cost model. */
  readCosts(): { unit(ids: number): number; variants(ids: number): number };
}

/** Thrown by an adapter for an error worth retrying (5xx, timeout, network, THROTTLED). */
export class RetryableShopifyError extends Error {
  override name = 'RetryableShopifyError';
}
