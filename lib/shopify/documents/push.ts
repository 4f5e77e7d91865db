/**
 * The push engine's drift check: one nodes(ids) query re-reads exactly the fields a unit is about
 * to write (a product, some of its variants, some inventory items' levels, its collections).
 */
export const pushDriftCheckQuery = /* GraphQL */ `
  query pushDriftCheck($ids: [ID!]!, $withCollections: Boolean!, $collectionsFirst: Int!, $levelsFirst: Int!) {
    nodes(ids: $ids) {
      __typename
      ... on Product {
        id
        title
        handle
        descriptionHtml
        vendor
        productType
        status
        tags
        collections(first: $collectionsFirst) @include(if: $withCollections) {
          edges {
            node {
              id
            }
          }
        }
      }
      ... on ProductVariant {
        id
        sku
        barcode
        price
        compareAtPrice
        inventoryPolicy
        taxable
        inventoryItem {
          id
          tracked
          unitCost {
            amount
          }
        }
      }
      ... on InventoryItem {
        id
        inventoryLevels(first: $levelsFirst) {
          edges {
            node {
              location {
                id
              }
              quantities(names: ["available"]) {
                name
                quantity
              }
            }
          }
        }
      }
    }
  }
`;
