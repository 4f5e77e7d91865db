import { pageOf } from './fragments';
export const getLocationsQuery = /* GraphQL */ `
  query getLocations($first: Int!, $after: String) {
    locations(first: $first, after: $after) {
      ${pageOf('id name isActive')}
    }
  }
`;

/** Who the token answers for: the store's check on connection (Settings). */
export const getShopQuery = /* GraphQL */ `
  query getShop {
    shop {
      name
      myshopifyDomain
    }
  }
`;
