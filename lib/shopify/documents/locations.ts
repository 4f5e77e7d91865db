import { pageOf } from './fragments';
export const getLocationsQuery = /* GraphQL */ `
  query getLocations($first: Int!, $after: String) {
    locations(first: $first, after: $after) {
      ${pageOf('id name isActive')}
    }
  }
`;
