/**
 * Field sets shared by the queries: exactly what lib/sync/fields.ts syncs, plus the ids and
 * read-only context (variant title, options, position) the review pages show.
 */

export const PRODUCT_FIELDS = /* GraphQL */ `
  fragment ProductFields on Product {
    id
    title
    handle
    descriptionHtml
    vendor
    productType
    status
    tags
    createdAt
    updatedAt
  }
`;

export const VARIANT_FIELDS = /* GraphQL */ `
  fragment VariantFields on ProductVariant {
    id
    title
    position
    sku
    barcode
    price
    compareAtPrice
    inventoryPolicy
    taxable
    updatedAt
    selectedOptions {
      name
      value
    }
    inventoryItem {
      id
      tracked
      unitCost {
        amount
      }
    }
  }
`;

export const INVENTORY_LEVEL_FIELDS = /* GraphQL */ `
  fragment InventoryLevelFields on InventoryLevel {
    id
    location {
      id
    }
    quantities(names: ["available"]) {
      name
      quantity
    }
  }
`;

export const COLLECTION_FIELDS = /* GraphQL */ `
  fragment CollectionFields on Collection {
    id
    title
    handle
    descriptionHtml
    updatedAt
    ruleSet {
      appliedDisjunctively
    }
  }
`;

/**
 * A product with its variants, their inventory at each location and the product's collections.
 * The page sizes are operation variables ($variantsFirst, $levelsFirst, $collectionsFirst) so a
 * caller keeps the requested cost under Shopify's 1000-point cap; `pageInfo` tells when a product
 * had more variants than fetched (the client then pages the rest).
 */
export const PRODUCT_WITH_CHILDREN = /* GraphQL */ `
  fragment ProductWithChildren on Product {
    ...ProductFields
    variants(first: $variantsFirst) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...VariantWithLevels
        }
      }
    }
    collections(first: $collectionsFirst) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
        }
      }
    }
  }
  ${PRODUCT_FIELDS}
`;

export const VARIANT_WITH_LEVELS = /* GraphQL */ `
  fragment VariantWithLevels on ProductVariant {
    ...VariantFields
    inventoryItem {
      inventoryLevels(first: $levelsFirst) {
        edges {
          node {
            ...InventoryLevelFields
          }
        }
      }
    }
  }
  ${VARIANT_FIELDS}
  ${INVENTORY_LEVEL_FIELDS}
`;

export const USER_ERROR_FIELDS = /* GraphQL */ `
  field
  message
`;
