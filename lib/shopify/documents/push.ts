import { fieldSelection } from '../selection';

/**
 * The push engine's drift check: one nodes(ids) query re-reads exactly the fields a unit is about
 * to write (a product, some of its variants, some inventory items' levels, its collections). A
 * product's media are read by their own query (getProductMediaPage): nodes(ids) prices every id
 * as the costliest type it selects, so 250 media there would price each variant id at 500 points.
 */
export const pushDriftCheckQuery = /* GraphQL */ `
  query pushDriftCheck($ids: [ID!]!, $withCollections: Boolean!, $collectionsFirst: Int!, $levelsFirst: Int!) {
    nodes(ids: $ids) {
      __typename
      ... on Product {
${fieldSelection('product', { extra: ['id'], indent: '        ' })}
        collections(first: $collectionsFirst) @include(if: $withCollections) {
          edges {
            node {
              id
            }
          }
        }
      }
      ... on ProductVariant {
${fieldSelection('variant', { extra: ['id', 'inventoryItem.id'], indent: '        ' })}
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

/**
 * A bulk run's drift check: variants only, so a node costs what a variant costs (no product,
 * collection or inventory-level selections priced per id), and a few hundred fit one request.
 */
export const variantDriftCheckQuery = /* GraphQL */ `
  query variantDriftCheck($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      ... on ProductVariant {
${fieldSelection('variant', { extra: ['id'], indent: '        ' })}
      }
    }
  }
`;
