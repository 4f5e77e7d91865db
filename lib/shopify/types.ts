import { entityKeys } from '@/lib/sync/fields';
import type { EntityType, FieldValues } from '@/lib/sync/model';

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
};

/** Entity `inventory_level`: one inventory item at one location. */
export type InventoryLevelDocument = {
  available: number | null;
};

/** Entity `collection`. */
export type CollectionDocument = {
  title: string;
  handle: string;
  descriptionHtml: string;
};

/** Entity `membership`: present means the product is in the collection. */
export type MembershipDocument = {
  member: true;
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
};

export type ShopifyMembership = MembershipDocument & {
  /** entityKeys.membership(collectionId, productId) */
  key: string;
  collectionId: string;
  productId: string;
};

export type ShopifyProduct = ProductDocument & {
  id: string;
  createdAt: string | null;
  updatedAt: string | null;
  variants: ShopifyVariant[];
  /** Collections the product is in (custom and smart; smart membership is read-only). */
  collectionIds: string[];
};

export type ShopifyCollection = CollectionDocument & {
  id: string;
  updatedAt: string | null;
  /** Smart collections choose their products by rules: their membership cannot be written. */
  smart: boolean;
};

export type ShopifyShop = {
  id: string;
  name: string;
  myshopifyDomain: string;
  currencyCode: string;
  ianaTimezone: string;
  plan: { shopifyPlus: boolean; partnerDevelopment: boolean; publicDisplayName: string };
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

export function productDocument(p: ShopifyProduct): ProductDocument {
  return { title: p.title, handle: p.handle, descriptionHtml: p.descriptionHtml, vendor: p.vendor, productType: p.productType, status: p.status, tags: p.tags };
}

export function variantDocument(v: ShopifyVariant): VariantDocument {
  return { sku: v.sku, barcode: v.barcode, price: v.price, compareAtPrice: v.compareAtPrice, inventoryPolicy: v.inventoryPolicy, taxable: v.taxable, tracked: v.tracked, cost: v.cost };
}

export function collectionDocument(c: ShopifyCollection): CollectionDocument {
  return { title: c.title, handle: c.handle, descriptionHtml: c.descriptionHtml };
}

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
      remote: { ...productDocument(product) },
      meta: { variantCount: product.variants.length },
      remoteUpdatedAt: product.updatedAt,
    },
  ];
  for (const v of product.variants) {
    out.push({
      entity: 'variant',
      key: v.id,
      productKey: product.id,
      remote: { ...variantDocument(v) },
      meta: { title: v.title, position: v.position, inventoryItemId: v.inventoryItemId, selectedOptions: v.selectedOptions },
      remoteUpdatedAt: v.updatedAt,
    });
    for (const l of v.inventoryLevels) {
      out.push({
        entity: 'inventory_level',
        key: l.key,
        productKey: product.id,
        remote: { available: l.available },
        meta: { variantId: v.id, inventoryItemId: l.inventoryItemId, locationId: l.locationId },
        remoteUpdatedAt: null,
      });
    }
  }
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
  return out;
}

export function remoteEntityOfCollection(collection: ShopifyCollection): RemoteEntity {
  return {
    entity: 'collection',
    key: collection.id,
    productKey: null,
    remote: { ...collectionDocument(collection) },
    meta: { smart: collection.smart },
    remoteUpdatedAt: collection.updatedAt,
  };
}
