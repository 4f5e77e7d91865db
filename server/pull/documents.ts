/**
 * The incremental pull's first, cheap pass: ids and updatedAt of products changed since an
 * instant (about 2 points per product fewer than a full read), so only products that really moved
 * since we last read them are re-read with their variants and levels.
 */
export const productsUpdatedSinceQuery = /* GraphQL */ `
  query productsUpdatedSince($first: Int!, $after: String, $query: String) {
    products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          updatedAt
        }
      }
    }
  }
`;

export interface ProductsUpdatedSinceData {
  products: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { id: string; updatedAt: string } }>;
  };
}
