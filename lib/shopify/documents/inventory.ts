import { USER_ERROR_FIELDS } from './fragments';

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

export const inventoryAdjustQuantitiesMutation = /* GraphQL */ `
  mutation inventoryAdjustQuantities($input: InventoryAdjustQuantitiesInput!, $idempotencyKey: String!) {
    inventoryAdjustQuantities(input: $input) @idempotent(key: $idempotencyKey) {
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
