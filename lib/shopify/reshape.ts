import { entityKeys } from '@/lib/sync/fields';
import type {
  Page,
  ProductStatus,
  ShopifyCollection,
  ShopifyInventoryLevel,
  ShopifyMembership,
  ShopifyProduct,
  ShopifyVariant,
} from './types';

/** Raw shapes as the documents select them; nothing outside lib/shopify sees these. */
export interface Connection<T> {
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: T }>;
}

export interface RawInventoryLevel {
  id?: string;
  location: { id: string };
  quantities: Array<{ name: string; quantity: number }>;
}

export interface RawVariant {
  id: string;
  title: string;
  position: number;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryPolicy: 'DENY' | 'CONTINUE';
  taxable: boolean;
  updatedAt?: string | null;
  selectedOptions: Array<{ name: string; value: string }>;
  inventoryItem: {
    id: string;
    tracked: boolean;
    unitCost: { amount: string } | null;
    inventoryLevels?: Connection<RawInventoryLevel>;
  };
}

export interface RawProduct {
  id: string;
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  tags: string[];
  createdAt?: string | null;
  updatedAt?: string | null;
  variants?: Connection<RawVariant>;
  collections?: Connection<{ id: string }>;
}

export interface RawCollection {
  id: string;
  title: string;
  handle: string;
  descriptionHtml: string;
  updatedAt?: string | null;
  ruleSet?: { appliedDisjunctively: boolean } | null;
}

export const nodesOf = <T>(connection: Connection<T> | undefined | null): T[] => connection?.edges.map((e) => e.node) ?? [];

export function pageOf<R, T>(connection: Connection<R>, map: (raw: R) => T): Page<T> {
  return {
    items: connection.edges.map((e) => map(e.node)),
    hasNextPage: connection.pageInfo?.hasNextPage ?? false,
    endCursor: connection.pageInfo?.endCursor ?? null,
  };
}

export function reshapeInventoryLevel(raw: RawInventoryLevel, variant: { id: string; productId: string; inventoryItemId: string }): ShopifyInventoryLevel {
  const available = raw.quantities.find((q) => q.name === 'available')?.quantity ?? null;
  return {
    key: entityKeys.inventoryLevel(variant.inventoryItemId, raw.location.id),
    inventoryItemId: variant.inventoryItemId,
    locationId: raw.location.id,
    variantId: variant.id,
    productId: variant.productId,
    available,
  };
}

export function reshapeVariant(raw: RawVariant, productId: string): ShopifyVariant {
  const variant: ShopifyVariant = {
    id: raw.id,
    productId,
    title: raw.title,
    position: raw.position,
    inventoryItemId: raw.inventoryItem.id,
    selectedOptions: raw.selectedOptions,
    updatedAt: raw.updatedAt ?? null,
    sku: raw.sku || null,
    barcode: raw.barcode || null,
    price: raw.price,
    compareAtPrice: raw.compareAtPrice ?? null,
    inventoryPolicy: raw.inventoryPolicy,
    taxable: raw.taxable,
    tracked: raw.inventoryItem.tracked,
    cost: raw.inventoryItem.unitCost?.amount ?? null,
    inventoryLevels: [],
  };
  variant.inventoryLevels = nodesOf(raw.inventoryItem.inventoryLevels).map((l) => reshapeInventoryLevel(l, variant));
  return variant;
}

export function reshapeProduct(raw: RawProduct): ShopifyProduct {
  return {
    id: raw.id,
    title: raw.title,
    handle: raw.handle,
    descriptionHtml: raw.descriptionHtml ?? '',
    vendor: raw.vendor ?? '',
    productType: raw.productType ?? '',
    status: raw.status,
    tags: raw.tags ?? [],
    createdAt: raw.createdAt ?? null,
    updatedAt: raw.updatedAt ?? null,
    variants: nodesOf(raw.variants)
      .map((v) => reshapeVariant(v, raw.id))
      .sort((a, b) => a.position - b.position),
    collectionIds: nodesOf(raw.collections).map((c) => c.id),
  };
}

export function reshapeCollection(raw: RawCollection): ShopifyCollection {
  return {
    id: raw.id,
    title: raw.title,
    handle: raw.handle,
    descriptionHtml: raw.descriptionHtml ?? '',
    updatedAt: raw.updatedAt ?? null,
    smart: Boolean(raw.ruleSet),
  };
}

export function membershipsOf(product: ShopifyProduct): ShopifyMembership[] {
  return product.collectionIds.map((collectionId) => ({
    key: entityKeys.membership(collectionId, product.id),
    collectionId,
    productId: product.id,
    member: true,
  }));
}
