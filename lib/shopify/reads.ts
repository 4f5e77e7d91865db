import type { ShopifyTransport } from './client';
import {
  getCollectionProductsQuery,
  getCollectionsPageQuery,
  getLocationsQuery,
  getProductCollectionsPageQuery,
  getProductMediaPageQuery,
  getProductMetafieldsPageQuery,
  getProductsByIdsQuery,
  getProductVariantsPageQuery,
  getShopQuery,
  productsUpdatedSinceQuery,
} from './documents';
import {
  addMedia,
  addVariants,
  type Connection,
  nodesOf,
  pageOf,
  type RawCollection,
  type RawMedia,
  type RawProduct,
  type RawVariant,
  reshapeCollection,
  reshapeProduct,
} from './reshape';
import type { Page, ShopifyCollection, ShopifyLocation, ShopifyMetafield, ShopifyProduct } from './types';

/** Shopify refuses a query whose requested cost is over 1000; stay under with a margin. */
export const COST_BUDGET = 900;

export interface ChildPageSizes {
  /** Variants fetched with each product; more are paged in afterwards. */
  variantsFirst?: number;
  /** Inventory levels (locations) per variant. */
  levelsFirst?: number;
  collectionsFirst?: number;
  /** The store's variant metafield definitions (`namespace.key`): the variant metafields read. */
  variantMetafieldKeys?: readonly string[];
}

/** The variables of VARIANT_WITH_LEVELS' metafields: the defined keys, all of them on one page. */
interface VariantMetafieldVariables {
  variantMetafieldsFirst: number;
  variantMetafieldKeys: string[];
  withVariantMetafields: boolean;
}

interface Sizes extends VariantMetafieldVariables {
  variantsFirst: number;
  levelsFirst: number;
  collectionsFirst: number;
}

/** Shopify's metafields connection takes at most 250 a page: more definitions than that are not read by id. */
const MAX_VARIANT_METAFIELD_KEYS = 250;

function variantMetafieldVariables(keys: readonly string[] = []): VariantMetafieldVariables {
  if (keys.length > MAX_VARIANT_METAFIELD_KEYS) {
    throw new RangeError(`more than ${MAX_VARIANT_METAFIELD_KEYS} variant metafield definitions cannot be read with their variants`);
  }
  return { variantMetafieldsFirst: Math.max(1, keys.length), variantMetafieldKeys: [...keys], withVariantMetafields: keys.length > 0 };
}

const activeLocationCounts = new WeakMap<ShopifyTransport, Promise<number>>();

/**
 * Child page sizes. Inventory levels are not paged: a variant has at most one active level per
 * active location, so levelsFirst defaults to the store's active location count (read once).
 */
async function childSizes(t: ShopifyTransport, o: ChildPageSizes = {}): Promise<Sizes> {
  let levelsFirst = o.levelsFirst;
  if (levelsFirst === undefined) {
    let count = activeLocationCounts.get(t);
    if (!count) {
      count = getLocations(t).then((all) => all.filter((l) => l.isActive).length);
      activeLocationCounts.set(t, count);
      count.catch(() => activeLocationCounts.delete(t));
    }
    levelsFirst = Math.min(250, Math.max(1, await count));
  }
  return {
    variantsFirst: o.variantsFirst ?? 10,
    levelsFirst,
    collectionsFirst: o.collectionsFirst ?? 10,
    ...variantMetafieldVariables(o.variantMetafieldKeys),
  };
}

/** Halves variantsFirst until one product fits the budget; the variants left out are paged in afterwards. */
function shrinkToFit(t: ShopifyTransport, document: string, sizes: Sizes, one: (s: Sizes) => Record<string, unknown>): Sizes {
  let fitted = sizes;
  while (fitted.variantsFirst > 1 && t.estimateCost(document, one(fitted)) > COST_BUDGET) {
    fitted = { ...fitted, variantsFirst: Math.max(1, Math.floor(fitted.variantsFirst / 2)) };
  }
  return fitted;
}

/** How many items of `document` (products, levels) fit the budget, from the cost of one. */
export function fitting(
  t: ShopifyTransport,
  document: string,
  one: Record<string, unknown>,
  many: (n: number) => Record<string, unknown>,
): number {
  const perItem = Math.max(1, t.estimateCost(document, many(2)) - t.estimateCost(document, one));
  const fixed = Math.max(0, t.estimateCost(document, one) - perItem);
  return Math.max(1, Math.min(250, Math.floor((COST_BUDGET - fixed) / perItem)));
}

/** The shop the token answers for: its name and myshopify domain. */
export async function getShop(t: ShopifyTransport): Promise<{ name: string; myshopifyDomain: string }> {
  const response = await t.request<{ shop: { name: string; myshopifyDomain: string } }>(getShopQuery);
  return response.data.shop;
}

export async function getLocations(t: ShopifyTransport): Promise<ShopifyLocation[]> {
  const out: ShopifyLocation[] = [];
  let after: string | null = null;
  do {
    const response = await t.request<{ locations: Connection<ShopifyLocation> }>(getLocationsQuery, { first: 100, after });
    const page: Page<ShopifyLocation> = pageOf(response.data.locations, (l) => l);
    out.push(...page.items);
    after = page.hasNextPage ? page.endCursor : null;
  } while (after);
  return out;
}

/**
 * One page of the ids and updatedAt of products matching `query` (Shopify search syntax), oldest
 * update first: the incremental pull's cheap first pass, before it re-reads what really moved.
 */
export async function getProductUpdatesPage(
  t: ShopifyTransport,
  options: { query: string; first?: number; after?: string | null },
  signal?: AbortSignal,
): Promise<Page<{ id: string; updatedAt: string }>> {
  const { data } = await t.request<{ products: Connection<{ id: string; updatedAt: string }> }>(
    productsUpdatedSinceQuery,
    { first: options.first ?? 250, after: options.after ?? null, query: options.query },
    { signal },
  );
  return pageOf(data.products, (p) => p);
}

/**
 * Re-reads products by id (the push engine's drift check): fields, all variants with price,
 * compareAtPrice, sku, barcode, inventory item and available per location, and collections.
 * Ids that no longer exist are absent from the result; order follows `ids`.
 */
export async function getProductsByIds(
  t: ShopifyTransport,
  ids: readonly string[],
  options: ChildPageSizes = {},
): Promise<ShopifyProduct[]> {
  const sizes = shrinkToFit(t, getProductsByIdsQuery, await childSizes(t, options), (z) => ({ ...z, ids: ['a'] }));
  const chunk = fitting(t, getProductsByIdsQuery, { ...sizes, ids: ['a'] }, (n) => ({ ...sizes, ids: Array.from({ length: n }, String) }));
  const out: ShopifyProduct[] = [];
  for (let i = 0; i < ids.length; i += chunk) {
    const slice = ids.slice(i, i + chunk);
    const { data } = await t.request<{ nodes: Array<RawProduct | Record<string, never> | null> }>(getProductsByIdsQuery, {
      ...sizes,
      ids: slice,
    });
    const raws = data.nodes.filter((n): n is RawProduct => Boolean(n && 'id' in n && n.id));
    const products = raws.map(reshapeProduct);
    await completeChildren(t, raws, products, sizes);
    out.push(...products);
  }
  return out;
}

/** Pages in the variants, collections, media and metafields a product had beyond the first request's pages. */
async function completeChildren(t: ShopifyTransport, raws: RawProduct[], products: ShopifyProduct[], sizes: Sizes): Promise<void> {
  const { levelsFirst, variantMetafieldsFirst, variantMetafieldKeys, withVariantMetafields } = sizes;
  for (let i = 0; i < raws.length; i += 1) {
    const product = products[i]!;
    let info = raws[i]!.variants?.pageInfo;
    while (info?.hasNextPage) {
      const vars = {
        id: product.id,
        after: info.endCursor,
        levelsFirst,
        variantMetafieldsFirst,
        variantMetafieldKeys,
        withVariantMetafields,
      };
      const first = fitting(t, getProductVariantsPageQuery, { ...vars, first: 1 }, (n) => ({ ...vars, first: n }));
      const { data } = await t.request<{ product: { variants: Connection<RawVariant> } | null }>(getProductVariantsPageQuery, {
        ...vars,
        first,
      });
      if (!data.product) break;
      addVariants(product, nodesOf(data.product.variants));
      info = data.product.variants.pageInfo;
    }
    let collections = raws[i]!.collections?.pageInfo;
    while (collections?.hasNextPage) {
      const { data } = await t.request<{ product: { collections: Connection<{ id: string }> } | null }>(getProductCollectionsPageQuery, {
        id: product.id,
        first: 250,
        after: collections.endCursor,
      });
      if (!data.product) break;
      product.collectionIds.push(...nodesOf(data.product.collections).map((c) => c.id));
      collections = data.product.collections.pageInfo;
    }
    let media = raws[i]!.media?.pageInfo;
    while (media?.hasNextPage) {
      const { data } = await t.request<{ product: { media: Connection<RawMedia> } | null }>(getProductMediaPageQuery, {
        id: product.id,
        first: 250,
        after: media.endCursor,
      });
      if (!data.product) break;
      addMedia(product, nodesOf(data.product.media));
      media = data.product.media.pageInfo;
    }
    let metafields = raws[i]!.metafields?.pageInfo;
    while (metafields?.hasNextPage) {
      const { data } = await t.request<{ product: { metafields: Connection<ShopifyMetafield> } | null }>(getProductMetafieldsPageQuery, {
        id: product.id,
        first: 250,
        after: metafields.endCursor,
      });
      if (!data.product) break;
      product.metafields.push(...nodesOf(data.product.metafields));
      metafields = data.product.metafields.pageInfo;
    }
  }
}

export async function getCollectionsPage(
  t: ShopifyTransport,
  options: { first?: number; after?: string | null; query?: string } = {},
): Promise<Page<ShopifyCollection>> {
  const { data } = await t.request<{ collections: Connection<RawCollection> }>(getCollectionsPageQuery, {
    first: options.first ?? 100,
    after: options.after ?? null,
    query: options.query ?? null,
  });
  return pageOf(data.collections, reshapeCollection);
}

/** Ids of the products in a collection, one page. */
export async function getCollectionProducts(
  t: ShopifyTransport,
  collectionId: string,
  options: { first?: number; after?: string | null } = {},
): Promise<Page<string>> {
  const { data } = await t.request<{ collection: { products: Connection<{ id: string }> } | null }>(getCollectionProductsQuery, {
    id: collectionId,
    first: options.first ?? 250,
    after: options.after ?? null,
  });
  if (!data.collection) return { items: [], hasNextPage: false, endCursor: null };
  return pageOf(data.collection.products, (p) => p.id);
}
