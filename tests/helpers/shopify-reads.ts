import type { ShopifyClient, ShopifyProduct } from '../../lib/shopify';
import { PRODUCT_WITH_CHILDREN, pageOf, VARIANT_METAFIELDS_VARIABLES, VARIANT_WITH_LEVELS } from '../../lib/shopify/documents/fragments';

/** Shopify search syntax matching every product. */
export const EVERY_PRODUCT = "updated_at:>'1970-01-01T00:00:00Z'";

/** Product ids page after page, through the app's cheap verb (getProductUpdatesPage), oldest update first. */
export async function* productIdPages(client: ShopifyClient, options: { first?: number; query?: string } = {}): AsyncGenerator<string[]> {
  let after: string | null = null;
  do {
    const page = await client.getProductUpdatesPage({ first: options.first ?? 250, after, query: options.query ?? EVERY_PRODUCT });
    yield page.items.map((p) => p.id);
    after = page.hasNextPage ? page.endCursor : null;
  } while (after);
}

/** The first `n` products, read as the app re-reads them (by id). */
export async function someProducts(client: ShopifyClient, n: number): Promise<ShopifyProduct[]> {
  const { value: ids = [] } = await productIdPages(client, { first: n }).next();
  return client.getProductsByIds(ids);
}

/**
 * A heavy paged product read (~180 requested points for PAGE) the app no longer sends: throttle
 * tests use it as load, raw and through the client.
 */
export const productsLoadQuery = /* GraphQL */ `
  query productsLoad(
    $first: Int!
    $after: String
    $variantsFirst: Int!
    $levelsFirst: Int!
    $collectionsFirst: Int!
    ${VARIANT_METAFIELDS_VARIABLES}
  ) {
    products(first: $first, after: $after, sortKey: ID) {
      ${pageOf('...ProductWithChildren')}
    }
  }
  ${PRODUCT_WITH_CHILDREN}
  ${VARIANT_WITH_LEVELS}
`;

/** Two products with five variants, three levels and five collections each. */
export const PRODUCTS_LOAD_PAGE = {
  first: 2,
  after: null,
  variantsFirst: 5,
  levelsFirst: 3,
  collectionsFirst: 5,
  variantMetafieldsFirst: 1,
  variantMetafieldKeys: [],
  withVariantMetafields: false,
};
