import { fieldSelection } from '../selection';

/**
 * Shopify's current state of many entities in one request, by id: products, variants and inventory
 * levels through nodes(ids) (an InventoryLevel id names its location and inventory item), as a
 * rollback's preview re-reads what it would restore, every synced field (lib/sync/fields.ts). No connection is selected, so a request costs
 * about one point per node and many fit under the query cost limit.
 */
export const entityStatesQuery = /* GraphQL */ `
  query entityStates($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      ... on Product {
${fieldSelection('product', { extra: ['id'], indent: '        ' })}
      }
      ... on ProductVariant {
${fieldSelection('variant', { extra: ['id'], indent: '        ' })}
      }
      ... on InventoryLevel {
        id
        item {
          id
        }
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
`;

/**
 * Collection memberships, one aliased `collection(id) { hasProduct(id) }` per pair: Shopify has no
 * list read of memberships by pair, and a product's `collections` connection would cost 250 points.
 */
export function membershipStatesQuery(pairs: number): string {
  const args = Array.from({ length: pairs }, (_, i) => `$c${i}: ID!, $p${i}: ID!`).join(', ');
  const fields = Array.from({ length: pairs }, (_, i) => `m${i}: collection(id: $c${i}) { hasProduct(id: $p${i}) }`).join('\n    ');
  return /* GraphQL */ `
  query membershipStates(${args}) {
    ${fields}
  }
`;
}
