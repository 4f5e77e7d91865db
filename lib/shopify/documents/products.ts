import {
  METAFIELD_NODE,
  PRODUCT_WITH_CHILDREN,
  pageOf,
  USER_ERROR_FIELDS,
  VARIANT_METAFIELDS_VARIABLES,
  VARIANT_WITH_LEVELS,
} from './fragments';

const CHILDREN_VARIABLES = `$variantsFirst: Int!, $levelsFirst: Int!, $collectionsFirst: Int!, ${VARIANT_METAFIELDS_VARIABLES}`;

export const getProductsByIdsQuery = /* GraphQL */ `
  query getProductsByIds($ids: [ID!]!, ${CHILDREN_VARIABLES}) {
    nodes(ids: $ids) {
      ... on Product {
        ...ProductWithChildren
      }
    }
  }
  ${PRODUCT_WITH_CHILDREN}
  ${VARIANT_WITH_LEVELS}
`;

/**
 * The incremental pull's first, cheap pass: ids and updatedAt of products changed since an
 * instant (about 2 points per product fewer than a full read), so only products that really moved
 * since they were last read are re-read with their variants and levels.
 */
export const productsUpdatedSinceQuery = /* GraphQL */ `
  query productsUpdatedSince($first: Int!, $after: String, $query: String) {
    products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      ${pageOf('id updatedAt')}
    }
  }
`;

/** The variants after the first page, for products with more variants than one request can price. */
export const getProductVariantsPageQuery = /* GraphQL */ `
  query getProductVariantsPage($id: ID!, $first: Int!, $after: String, $levelsFirst: Int!, ${VARIANT_METAFIELDS_VARIABLES}) {
    product(id: $id) {
      id
      variants(first: $first, after: $after) {
        ${pageOf('...VariantWithLevels')}
      }
    }
  }
  ${VARIANT_WITH_LEVELS}
`;

/** The collections after the first page, for products in more collections than one request fetched. */
export const getProductCollectionsPageQuery = /* GraphQL */ `
  query getProductCollectionsPage($id: ID!, $first: Int!, $after: String) {
    product(id: $id) {
      id
      collections(first: $first, after: $after) {
        ${pageOf('id')}
      }
    }
  }
`;

/** The metafields after the first page, for products with more than one request fetched. */
export const getProductMetafieldsPageQuery = /* GraphQL */ `
  query getProductMetafieldsPage($id: ID!, $first: Int!, $after: String) {
    product(id: $id) {
      id
      metafields(first: $first, after: $after) {
        ${pageOf(METAFIELD_NODE)}
      }
    }
  }
`;

export const productUpdateMutation = /* GraphQL */ `
  mutation productUpdate($product: ProductUpdateInput!) {
    productUpdate(product: $product) {
      product {
        id
        updatedAt
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

export const productVariantsBulkUpdateMutation = /* GraphQL */ `
  mutation productVariantsBulkUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!, $allowPartialUpdates: Boolean) {
    productVariantsBulkUpdate(productId: $productId, variants: $variants, allowPartialUpdates: $allowPartialUpdates) {
      productVariants {
        id
        updatedAt
      }
      userErrors {
        code
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

/** New variants of an existing product (options must exist; DEFAULT replaces a lone "Default Title" variant). */
export const productVariantsBulkCreateMutation = /* GraphQL */ `
  mutation productVariantsBulkCreate(
    $productId: ID!
    $variants: [ProductVariantsBulkInput!]!
    $strategy: ProductVariantsBulkCreateStrategy
  ) {
    productVariantsBulkCreate(productId: $productId, variants: $variants, strategy: $strategy) {
      productVariants {
        id
        inventoryItem {
          id
        }
      }
      userErrors {
        code
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

export const productSetMutation = /* GraphQL */ `
  mutation productSet($input: ProductSetInput!, $identifier: ProductSetIdentifiers, $synchronous: Boolean) {
    productSet(input: $input, identifier: $identifier, synchronous: $synchronous) {
      product {
        id
        handle
        variants(first: 250) {
          edges {
            node {
              id
              sku
              inventoryItem {
                id
              }
            }
          }
        }
      }
      userErrors {
        code
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

export const productDeleteMutation = /* GraphQL */ `
  mutation productDelete($input: ProductDeleteInput!) {
    productDelete(input: $input) {
      deletedProductId
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;
