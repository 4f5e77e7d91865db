import { LEVEL_MOVED, pageOf, USER_ERROR_FIELDS } from './fragments';

/** Compare-and-set on `available`, made exactly-once by the @idempotent key (required since 2026-04). */
export const inventorySetQuantitiesMutation = /* GraphQL */ `
  mutation inventorySetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup {
        id
        reason
        changes {
          name
          delta
          quantityAfterChange
          item {
            id
          }
          location {
            id
          }
        }
      }
      userErrors {
        code
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

/**
 * Stock that moved at one location since an instant (`query: "updated_at:>'T'"`): a level's
 * updated_at moves with every quantity change, where the product's does not. The item's variant
 * and product name the rows it belongs to.
 */
export const locationInventoryLevelsQuery = /* GraphQL */ `
  query locationInventoryLevels($locationId: ID!, $first: Int!, $after: String, $query: String) {
    location(id: $locationId) {
      inventoryLevels(first: $first, after: $after, query: $query) {
        ${pageOf(LEVEL_MOVED)}
      }
    }
  }
`;
