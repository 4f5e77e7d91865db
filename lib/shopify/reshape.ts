import { entityKeys } from '@/lib/sync/fields';
import { readFields } from './selection';
import type {
  CollectionDocument,
  Page,
  ProductDocument,
  ShopifyCollection,
  ShopifyInventoryLevel,
  ShopifyMedia,
  ShopifyMetafield,
  ShopifyProduct,
  ShopifyVariant,
  VariantDocument,
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

/** A variant's synced fields as the documents select them (the drift read selects only these). */
export type RawVariantFields = Pick<VariantDocument, 'sku' | 'barcode' | 'price' | 'compareAtPrice' | 'inventoryPolicy' | 'taxable'> & {
  inventoryItem: { tracked: boolean; unitCost: { amount: string } | null; measurement?: RawMeasurement } | null;
};

/** The inventory item's measurement as selected (the variant's weight). */
export type RawMeasurement = { weight: { value: number; unit: string } | null } | null;

export type RawVariant = RawVariantFields & {
  id: string;
  title: string;
  position: number;
  updatedAt?: string | null;
  selectedOptions: Array<{ name: string; value: string }>;
  inventoryItem: {
    id: string;
    tracked: boolean;
    unitCost: { amount: string } | null;
    measurement?: RawMeasurement;
    inventoryLevels?: Connection<RawInventoryLevel>;
  };
  /** The values of the store's variant metafield definitions (absent when the store defines none). */
  metafields?: Connection<ShopifyMetafield>;
};

/** A product's synced fields as Shopify answers them: the document's fields, SEO as one object. */
export type RawProductFields = Omit<ProductDocument, 'seoTitle' | 'seoDescription' | 'options' | 'category'> & {
  seo?: { title: string | null; description: string | null } | null;
  options?: Array<{ name: string; values?: string[]; optionValues?: Array<{ name: string }> }>;
  category?: { id: string; fullName?: string } | null;
};

/** A media node as the documents select it (`image` only on a MediaImage). */
export interface RawMedia {
  id: string;
  alt: string | null;
  mediaContentType?: string | null;
  status?: string | null;
  image?: { url: string | null; width?: number | null; height?: number | null } | null;
}

export interface RawProduct extends RawProductFields {
  id: string;
  createdAt?: string | null;
  updatedAt?: string | null;
  variants?: Connection<RawVariant>;
  collections?: Connection<{ id: string }>;
  media?: Connection<RawMedia>;
  metafields?: Connection<ShopifyMetafield>;
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

export function reshapeInventoryLevel(
  raw: RawInventoryLevel,
  variant: { id: string; productId: string; inventoryItemId: string },
): ShopifyInventoryLevel {
  return {
    key: entityKeys.inventoryLevel(variant.inventoryItemId, raw.location.id),
    inventoryItemId: variant.inventoryItemId,
    locationId: raw.location.id,
    variantId: variant.id,
    productId: variant.productId,
    available: availableOf(raw),
  };
}

/** The `available` quantity of a level (null when Shopify did not report one). */
export function availableOf(raw: Pick<RawInventoryLevel, 'quantities'>): number | null {
  return raw.quantities.find((q) => q.name === 'available')?.quantity ?? null;
}

/** The synced fields of a variant as the documents select them (lib/sync/fields.ts read paths). */
export function reshapeVariantDocument(raw: RawVariantFields): VariantDocument {
  return readFields('variant', raw) as VariantDocument;
}

/** The synced fields of a product (Shopify may leave the text fields out: they read as empty). */
export function reshapeProductDocument(raw: RawProductFields): ProductDocument {
  return readFields('product', raw) as ProductDocument;
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
    ...reshapeVariantDocument(raw),
    inventoryLevels: [],
    metafields: nodesOf(raw.metafields),
  };
  variant.inventoryLevels = nodesOf(raw.inventoryItem.inventoryLevels).map((l) => reshapeInventoryLevel(l, variant));
  return variant;
}

export function reshapeProduct(raw: RawProduct): ShopifyProduct {
  const product: ShopifyProduct = {
    id: raw.id,
    ...reshapeProductDocument(raw),
    createdAt: raw.createdAt ?? null,
    updatedAt: raw.updatedAt ?? null,
    variants: [],
    collectionIds: nodesOf(raw.collections).map((c) => c.id),
    categoryName: raw.category?.fullName ?? null,
    media: [],
    metafields: nodesOf(raw.metafields),
  };
  addVariants(product, nodesOf(raw.variants));
  addMedia(product, nodesOf(raw.media));
  return product;
}

/** One media node of a product; `position` is its place in the product's list (1-based). */
export function reshapeMedia(raw: RawMedia, productId: string, position: number): ShopifyMedia {
  return {
    id: raw.id,
    productId,
    ...(readFields('media', raw) as Pick<ShopifyMedia, 'alt' | 'src'>),
    // The order of the list is the position: Shopify has no position field on media.
    position,
    contentType: raw.mediaContentType ?? 'IMAGE',
    status: raw.status ?? null,
    width: raw.image?.width ?? null,
    height: raw.image?.height ?? null,
  };
}

/** Appends media read in Shopify's order (a first page, a later page, bulk lines): positions continue from the last. */
export function addMedia(product: ShopifyProduct, raws: readonly RawMedia[]): void {
  for (const raw of raws) product.media.push(reshapeMedia(raw, product.id, product.media.length + 1));
}

/** Adds a product's variants (those read with it, a later page, bulk lines), keeping them in position order. */
export function addVariants(product: ShopifyProduct, raws: readonly RawVariant[]): void {
  product.variants.push(...raws.map((v) => reshapeVariant(v, product.id)));
  product.variants.sort((a, b) => a.position - b.position);
}

export function reshapeCollection(raw: RawCollection): ShopifyCollection {
  return {
    id: raw.id,
    ...(readFields('collection', raw) as CollectionDocument),
    updatedAt: raw.updatedAt ?? null,
    smart: Boolean(raw.ruleSet),
  };
}
