import { COLLECTION_FIELDS, pageOf } from './fragments';

export const getCollectionsPageQuery = /* GraphQL */ `
  query getCollectionsPage($first: Int!, $after: String, $query: String) {
    collections(first: $first, after: $after, query: $query) {
      ${pageOf('...CollectionFields')}
    }
  }
  ${COLLECTION_FIELDS}
`;

export const getCollectionProductsQuery = /* GraphQL */ `
  query getCollectionProducts($id: ID!, $first: Int!, $after: String) {
    collection(id: $id) {
      id
      products(first: $first, after: $after) {
        ${pageOf('id')}
      }
    }
  }
`;
