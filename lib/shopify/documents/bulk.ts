import { USER_ERROR_FIELDS } from './fragments';

const BULK_OPERATION_FIELDS = /* GraphQL */ `
  id
  status
  type
  errorCode
  objectCount
  rootObjectCount
  fileSize
  url
  partialDataUrl
  createdAt
  completedAt
`;

export const bulkOperationRunQueryMutation = /* GraphQL */ `
  mutation bulkOperationRunQuery($query: String!, $groupObjects: Boolean!) {
    bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
      bulkOperation {
        ${BULK_OPERATION_FIELDS}
      }
      userErrors {
        code
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

export const bulkOperationRunMutationMutation = /* GraphQL */ `
  mutation bulkOperationRunMutation($mutation: String!, $stagedUploadPath: String!, $clientIdentifier: String) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath, clientIdentifier: $clientIdentifier) {
      bulkOperation {
        ${BULK_OPERATION_FIELDS}
      }
      userErrors {
        code
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

export const bulkOperationQuery = /* GraphQL */ `
  query bulkOperation($id: ID!) {
    bulkOperation(id: $id) {
      ${BULK_OPERATION_FIELDS}
    }
  }
`;

export const bulkOperationCancelMutation = /* GraphQL */ `
  mutation bulkOperationCancel($id: ID!) {
    bulkOperationCancel(id: $id) {
      bulkOperation {
        id
        status
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

export const stagedUploadsCreateMutation = /* GraphQL */ `
  mutation stagedUploadsCreate($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets {
        url
        resourceUrl
        parameters {
          name
          value
        }
      }
      userErrors {
        ${USER_ERROR_FIELDS}
      }
    }
  }
`;

/**
 * The whole catalog in one bulk query. Lines: a product, then its variants (__parentId = product),
 * inventory levels (__parentId = variant) and collection ids (__parentId = product).
 * Bulk queries take no variables or fragments, so the fields are spelled out.
 */
export const bulkCatalogQuery = /* GraphQL */ `
  {
    products {
      edges {
        node {
          id
          title
          handle
          descriptionHtml
          vendor
          productType
          status
          tags
          createdAt
          updatedAt
          variants {
            edges {
              node {
                id
                title
                position
                sku
                barcode
                price
                compareAtPrice
                inventoryPolicy
                taxable
                updatedAt
                selectedOptions {
                  name
                  value
                }
                inventoryItem {
                  id
                  tracked
                  unitCost {
                    amount
                  }
                  inventoryLevels {
                    edges {
                      node {
                        id
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
                }
              }
            }
          }
          collections {
            edges {
              node {
                id
              }
            }
          }
        }
      }
    }
  }
`;

export const bulkCollectionsQuery = /* GraphQL */ `
  {
    collections {
      edges {
        node {
          id
          title
          handle
          descriptionHtml
          updatedAt
          ruleSet {
            appliedDisjunctively
          }
        }
      }
    }
  }
`;
