import { METAFIELD_NODE, pageOf, USER_ERROR_FIELDS } from './fragments';

/**
 * Metafields and their definitions (lib/shopify/metafields.ts). Values are written by
 * metafieldsSet (25 a call, atomic, compareDigest as compare-and-set) and removed by
 * metafieldsDelete; both name a metafield by owner, namespace and key.
 */

export const metafieldDefinitionsQuery = /* GraphQL */ `
  query metafieldDefinitions($ownerType: MetafieldOwnerType!, $first: Int!, $after: String) {
    metafieldDefinitions(ownerType: $ownerType, first: $first, after: $after) {
      ${pageOf('id name namespace key ownerType type { name } validations { name value }')}
    }
  }
`;

/** Chosen metafields of chosen owners (products or variants), by `namespace.key`: a drift check or a rollback preview. */
export const metafieldStatesQuery = /* GraphQL */ `
  query metafieldStates($ids: [ID!]!, $keys: [String!]!, $first: Int!) {
    nodes(ids: $ids) {
      __typename
      ... on Product {
        id
        metafields(first: $first, keys: $keys) {
          edges {
            node {
              ${METAFIELD_NODE}
            }
          }
        }
      }
      ... on ProductVariant {
        id
        metafields(first: $first, keys: $keys) {
          edges {
            node {
              ${METAFIELD_NODE}
            }
          }
        }
      }
    }
  }
`;

export const metafieldsSetMutation = /* GraphQL */ `
  mutation metafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        namespace
        key
        compareDigest
      }
      userErrors {
        code
        elementIndex
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

export const metafieldsDeleteMutation = /* GraphQL */ `
  mutation metafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        ownerId
        namespace
        key
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;
