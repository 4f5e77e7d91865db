export const getShopQuery = /* GraphQL */ `
  query getShop {
    shop {
      id
      name
      myshopifyDomain
      currencyCode
      ianaTimezone
      plan {
        shopifyPlus
        partnerDevelopment
        publicDisplayName
      }
    }
  }
`;

export const getLocationsQuery = /* GraphQL */ `
  query getLocations($first: Int!, $after: String) {
    locations(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          isActive
        }
      }
    }
  }
`;
