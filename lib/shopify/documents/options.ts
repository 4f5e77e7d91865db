import { USER_ERROR_FIELDS } from './fragments';

/**
 * A product's options with their ids, read right before an options write (the push's drift check
 * compares names; the write needs the ids of what it renames and reorders).
 */
export const productOptionIdsQuery = /* GraphQL */ `
  query productOptionIds($id: ID!) {
    product(id: $id) {
      id
      options {
        id
        name
        position
        optionValues {
          id
          name
        }
      }
    }
  }
`;

export const productOptionUpdateMutation = /* GraphQL */ `
  mutation productOptionUpdate($productId: ID!, $option: OptionUpdateInput!, $optionValuesToUpdate: [OptionValueUpdateInput!]) {
    productOptionUpdate(productId: $productId, option: $option, optionValuesToUpdate: $optionValuesToUpdate) {
      product {
        id
      }
      userErrors {
        ${USER_ERROR_FIELDS}
        code
      }
    }
  }
`;

export const productOptionsReorderMutation = /* GraphQL */ `
  mutation productOptionsReorder($productId: ID!, $options: [OptionReorderInput!]!) {
    productOptionsReorder(productId: $productId, options: $options) {
      product {
        id
      }
      userErrors {
        ${USER_ERROR_FIELDS}
        code
      }
    }
  }
`;
