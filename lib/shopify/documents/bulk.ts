import { fieldSelection } from '../selection';
import {
  COLLECTION_CONTEXT,
  LEVEL_MOVED,
  MEDIA_NODE,
  METAFIELD_NODE,
  PRODUCT_CONTEXT,
  USER_ERROR_FIELDS,
  VARIANT_CONTEXT,
  VARIANT_METAFIELD_ALIAS,
} from './fragments';

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
 * collection ids, media in their order and metafields (__parentId = product): five connections, Shopify's
 * limit. Bulk queries allow connections nested two levels deep
 * at most, so inventory is read per location through inventoryItem.inventoryLevel(locationId),
 * one alias per location (`level_0`, `level_1`...), inline on the variant's line, and a variant's
 * metafields one alias per PRODUCTVARIANT definition (`mf_0`, `mf_1`...: `variantMetafields` as
 * `namespace.key`), also on the variant's line (lib/shopify/bulk-catalog.ts gathers both).
 * Bulk queries take no variables or fragments, so the fields are spelled out. `search` narrows the
 * products (Shopify search syntax: the incremental pull's `updated_at:>'T'` when many moved).
 */
export function buildBulkCatalogQuery(locationIds: readonly string[], search?: string, variantMetafields: readonly string[] = []): string {
  const metafields = variantMetafields
    .map((full, i) => {
      const dot = full.indexOf('.');
      const args = `namespace: ${JSON.stringify(full.slice(0, dot))}, key: ${JSON.stringify(full.slice(dot + 1))}`;
      return `
                ${VARIANT_METAFIELD_ALIAS}${i}: metafield(${args}) {
                  ${METAFIELD_NODE}
                }`;
    })
    .join('');
  const levels = locationIds
    .map(
      (id, i) => `
                  level_${i}: inventoryLevel(locationId: ${JSON.stringify(id)}) {
                    id
                    location {
                      id
                    }
                    quantities(names: ["available"]) {
                      name
                      quantity
                    }
                  }`,
    )
    .join('');
  return /* GraphQL */ `
  {
    products${search ? `(query: ${JSON.stringify(search)})` : ''} {
      edges {
        node {
${fieldSelection('product', { extra: PRODUCT_CONTEXT, indent: '          ' })}
          variants {
            edges {
              node {
${fieldSelection('variant', { extra: VARIANT_CONTEXT, raw: { inventoryItem: levels }, indent: '                ' })}${metafields}
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
          media {
            edges {
              node {
                ${MEDIA_NODE}
              }
            }
          }
          metafields {
            edges {
              node {
                ${METAFIELD_NODE}
              }
            }
          }
        }
      }
    }
  }
`;
}

export const bulkCollectionsQuery = /* GraphQL */ `
  {
    collections {
      edges {
        node {
${fieldSelection('collection', { extra: COLLECTION_CONTEXT, indent: '          ' })}
        }
      }
    }
  }
`;

/**
 * Stock that moved since an instant at every location, for an incremental pull that found more
 * than a few pages of it: lines of locations, then their levels (__parentId = the location).
 */
export function buildBulkInventoryLevelsQuery(search: string): string {
  return /* GraphQL */ `
  {
    locations {
      edges {
        node {
          id
          inventoryLevels(query: ${JSON.stringify(search)}) {
            edges {
              node {
                id
                ${LEVEL_MOVED}
              }
            }
          }
        }
      }
    }
  }
`;
}
