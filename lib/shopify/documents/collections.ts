import { COLLECTION_FIELDS, USER_ERROR_FIELDS } from './fragments';

export const getCollectionsPageQuery = /* GraphQL */ `
  query getCollectionsPage($first: Int!, $after: String, $query: String) {
    collections(first: $first, after: $after, query: $query) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...CollectionFields
        }
      }
    }
  }
  ${COLLECTION_FIELDS}
`;

export const getCollectionProductsQuery = /* GraphQL */ `
  query getCollectionProducts($id: ID!, $first: Int!, $after: String) {
    collection(id: $id) {
      id
      products(first: $first, after: $after) {
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
  }
`;

export const collectionCreateMutation = /* GraphQL */ `
  mutation collectionCreate($input: CollectionInput!) {
    collectionCreate(input: $input) {
      collection {
        ...CollectionFields
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
  ${COLLECTION_FIELDS}
`;
