import type { ShopifyTransport } from './client';
import {
  getCollectionProductsQuery,
  getCollectionsPageQuery,
  getLocationsQuery,
  getProductQuery,
  getProductsByIdsQuery,
  getProductsPageQuery,
  getProductVariantsPageQuery,
  getShopQuery,
} from './documents';
import { nodesOf, pageOf, reshapeCollection, reshapeProduct, reshapeVariant, type Connection, type RawCollection, type RawProduct, type RawVariant } from './reshape';
import type { Page, ShopifyCollection, ShopifyLocation, ShopifyProduct, ShopifyShop } from './types';

/** Shopify refuses a query whose requested cost is over 1000; stay under with a margin. */
export const COST_BUDGET = 900;

export interface ChildPageSizes {
  /** Variants fetched with each product; more are paged in afterwards. */
  variantsFirst?: number;
  /** Inventory levels (locations) per variant. */
  levelsFirst?: number;
  collectionsFirst?: number;
}

export interface ProductsPageOptions extends ChildPageSizes {
  /** Products per page; by default as many as fit the cost budget. */
  first?: number;
  after?: string | null;
  /** Shopify search syntax, e.g. `updated_at:>'2026-11-01T00:00:00Z'`. */
  query?: string;
  sortKey?: 'UPDATED_AT' | 'ID' | 'TITLE' | 'CREATED_AT';
}

const childSizes = (o: ChildPageSizes = {}) => ({
  variantsFirst: o.variantsFirst ?? 20,
  levelsFirst: o.levelsFirst ?? 8,
  collectionsFirst: o.collectionsFirst ?? 25,
});

/** How many products of `document` fit the budget, from the cost of one. */
function fitting(t: ShopifyTransport, document: string, one: Record<string, unknown>, many: (n: number) => Record<string, unknown>): number {
  const perItem = Math.max(1, t.estimateCost(document, many(2)) - t.estimateCost(document, one));
  const fixed = Math.max(0, t.estimateCost(document, one) - perItem);
  return Math.max(1, Math.min(250, Math.floor((COST_BUDGET - fixed) / perItem)));
}

export async function getShop(t: ShopifyTransport): Promise<ShopifyShop> {
  const { data } = await t.request<{ shop: ShopifyShop }>(getShopQuery);
  return data.shop;
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

export async function getProductsPage(t: ShopifyTransport, options: ProductsPageOptions = {}): Promise<Page<ShopifyProduct>> {
  const sizes = childSizes(options);
  const vars = { after: options.after ?? null, query: options.query ?? null, sortKey: options.sortKey ?? null, ...sizes };
  const first = options.first ?? fitting(t, getProductsPageQuery, { ...vars, first: 1 }, (n) => ({ ...vars, first: n }));
  const { data } = await t.request<{ products: Connection<RawProduct> }>(getProductsPageQuery, { ...vars, first });
  const page = pageOf(data.products, reshapeProduct);
  await completeVariants(t, data.products.edges.map((e) => e.node), page.items, sizes.levelsFirst);
  return page;
}

/** Every product page after page; `query` and `sortKey` as for getProductsPage. */
export async function* iterateProducts(t: ShopifyTransport, options: Omit<ProductsPageOptions, 'after'> = {}): AsyncGenerator<ShopifyProduct[]> {
  let after: string | null = null;
  do {
    const page: Page<ShopifyProduct> = await getProductsPage(t, { ...options, after });
    yield page.items;
    after = page.hasNextPage ? page.endCursor : null;
  } while (after);
}

/**
 * Re-reads products by id (the push engine's drift check): fields, all variants with price,
 * compareAtPrice, sku, barcode, inventory item and available per location, and collections.
 * Ids that no longer exist are absent from the result; order follows `ids`.
 */
export async function getProductsByIds(t: ShopifyTransport, ids: readonly string[], options: ChildPageSizes = {}): Promise<ShopifyProduct[]> {
  const sizes = childSizes(options);
  const chunk = fitting(t, getProductsByIdsQuery, { ...sizes, ids: ['a'] }, (n) => ({ ...sizes, ids: Array.from({ length: n }, String) }));
  const out: ShopifyProduct[] = [];
  for (let i = 0; i < ids.length; i += chunk) {
    const slice = ids.slice(i, i + chunk);
    const { data } = await t.request<{ nodes: Array<RawProduct | Record<string, never> | null> }>(getProductsByIdsQuery, { ...sizes, ids: slice });
    const raws = data.nodes.filter((n): n is RawProduct => Boolean(n && 'id' in n && n.id));
    const products = raws.map(reshapeProduct);
    await completeVariants(t, raws, products, sizes.levelsFirst);
    out.push(...products);
  }
  return out;
}

export async function getProduct(t: ShopifyTransport, id: string, options: ChildPageSizes = {}): Promise<ShopifyProduct | null> {
  const sizes = childSizes(options);
  const { data } = await t.request<{ product: RawProduct | null }>(getProductQuery, { ...sizes, id });
  if (!data.product) return null;
  const product = reshapeProduct(data.product);
  await completeVariants(t, [data.product], [product], sizes.levelsFirst);
  return product;
}

/** Pages in the variants a product had beyond the first request's page. */
async function completeVariants(t: ShopifyTransport, raws: RawProduct[], products: ShopifyProduct[], levelsFirst: number): Promise<void> {
  for (let i = 0; i < raws.length; i += 1) {
    let info = raws[i]!.variants?.pageInfo;
    const product = products[i]!;
    while (info?.hasNextPage) {
      const vars = { id: product.id, after: info.endCursor, levelsFirst };
      const first = fitting(t, getProductVariantsPageQuery, { ...vars, first: 1 }, (n) => ({ ...vars, first: n }));
      const { data } = await t.request<{ product: { variants: Connection<RawVariant> } | null }>(getProductVariantsPageQuery, { ...vars, first });
      if (!data.product) break;
      product.variants.push(...nodesOf(data.product.variants).map((v) => reshapeVariant(v, product.id)));
      info = data.product.variants.pageInfo;
    }
    product.variants.sort((a, b) => a.position - b.position);
  }
}

export async function getCollectionsPage(t: ShopifyTransport, options: { first?: number; after?: string | null; query?: string } = {}): Promise<Page<ShopifyCollection>> {
  const { data } = await t.request<{ collections: Connection<RawCollection> }>(getCollectionsPageQuery, {
    first: options.first ?? 100,
    after: options.after ?? null,
    query: options.query ?? null,
  });
  return pageOf(data.collections, reshapeCollection);
}

/** Ids of the products in a collection, one page. */
export async function getCollectionProducts(t: ShopifyTransport, collectionId: string, options: { first?: number; after?: string | null } = {}): Promise<Page<string>> {
  const { data } = await t.request<{ collection: { products: Connection<{ id: string }> } | null }>(getCollectionProductsQuery, {
    id: collectionId,
    first: options.first ?? 250,
    after: options.after ?? null,
  });
  if (!data.collection) return { items: [], hasNextPage: false, endCursor: null };
  return pageOf(data.collection.products, (p) => p.id);
}
