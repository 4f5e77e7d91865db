import { pageOf } from './fragments';

/** Categories of Shopify's product taxonomy matching a search (names a person typed), with the names people read. */
export const searchTaxonomyCategoriesQuery = /* GraphQL */ `
  query searchTaxonomyCategories($search: String!, $first: Int!) {
    taxonomy {
      categories(search: $search, first: $first) {
        ${pageOf('id fullName')}
      }
    }
  }
`;
