import { entityKeys, pickFields } from '@/lib/sync/fields';
import { canonicalMetafieldValue, metafieldKey } from '@/lib/sync/metafields';
import type { EntityType, FieldValues } from '@/lib/sync/model';
import type { ProductOption } from '@/lib/sync/options';

/**
 * Domain shapes of Shopify data, after the reshape step (no edges/nodes). The synced fields carry
 * exactly the names of lib/sync/fields.ts, so `document(...)` below is a plain pick.
 */

export type ProductStatus = 'ACTIVE' | 'DRAFT' | 'ARCHIVED';

/** The synced fields of a product (entity `product`). */
export type ProductDocument = {
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  tags: string[];
  seoTitle: string | null;
  seoDescription: string | null;
  /** Option names and values in order; none for a product with only Shopify's default option. */
  options: ProductOption[];
  /** The TaxonomyCategory GID (lib/sync/taxonomy.ts). */
  category: string | null;
};

/** The synced fields of a variant (entity `variant`); sku lives on the inventory item since 2024-07 but reads on the variant. */
export type VariantDocument = {
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryPolicy: 'DENY' | 'CONTINUE';
  taxable: boolean;
  tracked: boolean;
  cost: string | null;
  /** Decimal text in weightUnit (lib/sync/weight.ts); null when Shopify reports no weight. */
  weight: string | null;
  weightUnit: 'GRAMS' | 'KILOGRAMS' | 'OUNCES' | 'POUNDS' | null;
};

/** Entity `inventory_level`: one inventory item at one location. */
export type InventoryLevelDocument = {
  available: number | null;
};

/** Entity `collection`. */
export type CollectionDocument = Pick<ProductDocument, 'title' | 'handle' | 'descriptionHtml'>;

/** Entity `membership`: present means the product is in the collection. */
export type MembershipDocument = {
  member: true;
};

/** Entity `media`: one image of a product (lib/sync/fields.ts). */
export type MediaDocument = {
  alt: string | null;
  /** 1-based place in the product's media list. */
  position: number;
  src: string | null;
};

/** A product's media item as read: an image (MediaImage) or another media type, which has no src. */
export type ShopifyMedia = MediaDocument & {
  id: string;
  productId: string;
  contentType: string;
  status: string | null;
  width: number | null;
  height: number | null;
};

export type ShopifyInventoryLevel = InventoryLevelDocument & {
  /** entityKeys.inventoryLevel(inventoryItemId, locationId) */
  key: string;
  inventoryItemId: string;
  locationId: string;
  variantId: string;
  productId: string;
};

export type ShopifyVariant = VariantDocument & {
  id: string;
  productId: string;
  title: string;
  position: number;
  inventoryItemId: string;
  selectedOptions: Array<{ name: string; value: string }>;
  updatedAt: string | null;
  inventoryLevels: ShopifyInventoryLevel[];
  /** Its values of the store's variant metafield definitions (only defined ones are read). */
  metafields: ShopifyMetafield[];
};

/** A metafield as Shopify answers it: the value is Shopify's string (lib/sync/metafields.ts reads it by type). */
export type ShopifyMetafield = {
  id: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  /** Shopify's digest of the value: metafieldsSet's compare-and-set. */
  compareDigest?: string | null;
};

export type ShopifyProduct = ProductDocument & {
  id: string;
  createdAt: string | null;
  updatedAt: string | null;
  variants: ShopifyVariant[];
  /** Collections the product is in (custom and smart; smart membership is read-only). */
  collectionIds: string[];
  /** The full name of the product's category as Shopify names it (shown instead of its GID). */
  categoryName: string | null;
  /** The product's media in Shopify's order (position 1 first). */
  media: ShopifyMedia[];
  /** The product's own metafields (all of them, not only defined ones: each carries its type). */
  metafields: ShopifyMetafield[];
};

export type ShopifyCollection = CollectionDocument & {
  id: string;
  updatedAt: string | null;
  /** Smart collections choose their products by rules: their membership cannot be written. */
  smart: boolean;
};

export type ShopifyVariantState = VariantDocument & { id: string };

/** What a write is about to change, as Shopify holds it now (read by the push's drift check). */
export type ShopifyProductState = {
  product: ProductDocument & { id: string };
  /** The variants asked for that still exist. */
  variants: ShopifyVariantState[];
  /** The available quantity of the inventory items asked for, per location. */
  levels: Array<{ inventoryItemId: string; locationId: string; available: number | null }>;
  /** The product's collections; empty unless asked for. */
  collectionIds: string[];
  /** The product's media in order; empty unless asked for. */
  media: ShopifyMedia[];
};

export type ShopifyLocation = {
  id: string;
  name: string;
  isActive: boolean;
};

export type ShopifyWebhookSubscription = {
  id: string;
  topic: string;
  uri: string;
  format: string;
  filter: string | null;
  includeFields: string[];
  createdAt: string;
};

export type Page<T> = {
  items: T[];
  hasNextPage: boolean;
  endCursor: string | null;
};

/** One row of catalog_entities as Shopify sees it (the `remote` side). */
export type RemoteEntity = {
  entity: EntityType;
  key: string;
  /** The product the entity belongs to (itself for a product); null for a collection. */
  productKey: string | null;
  remote: FieldValues;
  meta: Record<string, unknown>;
  remoteUpdatedAt: string | null;
};

/** A product, its variants, inventory levels and memberships as catalog entities, keyed like catalog_entities. */
export function remoteEntitiesOf(product: ShopifyProduct): RemoteEntity[] {
  const out: RemoteEntity[] = [
    {
      entity: 'product',
      key: product.id,
      productKey: product.id,
      remote: pickFields('product', product),
      meta: {
        variantCount: product.variants.length,
        ...(product.category && product.categoryName ? { category: { id: product.category, fullName: product.categoryName } } : {}),
      },
      remoteUpdatedAt: product.updatedAt,
    },
  ];
  for (const v of product.variants) {
    out.push({
      entity: 'variant',
      key: v.id,
      productKey: product.id,
      remote: pickFields('variant', v),
      meta: { title: v.title, position: v.position, inventoryItemId: v.inventoryItemId, selectedOptions: v.selectedOptions },
      remoteUpdatedAt: v.updatedAt,
    });
    for (const l of v.inventoryLevels) out.push(remoteEntityOfLevel(l));
    for (const m of v.metafields) out.push(remoteEntityOfMetafield(product.id, v.id, m));
  }
  for (const m of product.metafields) out.push(remoteEntityOfMetafield(product.id, product.id, m));
  for (const collectionId of product.collectionIds) {
    out.push({
      entity: 'membership',
      key: entityKeys.membership(collectionId, product.id),
      productKey: product.id,
      remote: { member: true },
      meta: { collectionId, productId: product.id },
      remoteUpdatedAt: null,
    });
  }
  for (const m of product.media) out.push(remoteEntityOfMedia(m));
  return out;
}

/** One media item of a product as a catalog entity: its synced fields, and what the review shows beside them. */
export function remoteEntityOfMedia(m: ShopifyMedia): RemoteEntity {
  return {
    entity: 'media',
    key: entityKeys.media(m.productId, m.id),
    productKey: m.productId,
    remote: pickFields('media', m),
    meta: {
      mediaId: m.id,
      productId: m.productId,
      contentType: m.contentType,
      status: m.status,
      width: m.width,
      height: m.height,
      // The picture as Shopify serves it, for the review's thumbnails.
      url: m.src,
    },
    remoteUpdatedAt: null,
  };
}

/** A metafield of a product or variant (its owner) as a catalog entity of the product. */
export function remoteEntityOfMetafield(productId: string, ownerId: string, m: ShopifyMetafield): RemoteEntity {
  return {
    entity: 'metafield',
    key: metafieldKey(ownerId, m.namespace, m.key),
    productKey: productId,
    remote: { value: { type: m.type, value: canonicalMetafieldValue(m.type, m.value) } },
    meta: { ownerId, namespace: m.namespace, key: m.key, metafieldId: m.id },
    remoteUpdatedAt: null,
  };
}

/** One inventory level (item x location) as a catalog entity of its variant's product. */
export function remoteEntityOfLevel(level: ShopifyInventoryLevel): RemoteEntity {
  return {
    entity: 'inventory_level',
    key: level.key,
    productKey: level.productId,
    remote: { available: level.available },
    meta: { variantId: level.variantId, inventoryItemId: level.inventoryItemId, locationId: level.locationId },
    remoteUpdatedAt: null,
  };
}

export function remoteEntityOfCollection(collection: ShopifyCollection): RemoteEntity {
  return {
    entity: 'collection',
    key: collection.id,
    productKey: null,
    remote: pickFields('collection', collection),
    meta: { smart: collection.smart },
    remoteUpdatedAt: collection.updatedAt,
  };
}
