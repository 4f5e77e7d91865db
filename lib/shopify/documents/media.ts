import { MEDIA_NODE, pageOf } from './fragments';

/**
 * A product's media (API 2026-10): productCreateMedia, productUpdateMedia and productDeleteMedia are
 * deprecated, so images are added with productUpdate(media:), their alt text changed and they are
 * detached from the product with fileUpdate (referencesToRemove; the file stays in the store's
 * Files, so a rollback re-attaches the same image with referencesToAdd), and reordered with
 * productReorderMedia, which answers a job polled until done.
 */

/** The media after the first page, for products with more media than one request fetched. */
export const getProductMediaPageQuery = /* GraphQL */ `
  query getProductMediaPage($id: ID!, $first: Int!, $after: String) {
    product(id: $id) {
      id
      media(first: $first, after: $after) {
        ${pageOf(MEDIA_NODE)}
      }
    }
  }
`;

/** Adds media by URL; the answer lists the product's last media, the ones just added among them. */
export const productAddMediaMutation = /* GraphQL */ `
  mutation productAddMedia($product: ProductUpdateInput!, $media: [CreateMediaInput!]!, $last: Int!) {
    productUpdate(product: $product, media: $media) {
      product {
        id
        media(last: $last) {
          edges {
            node {
              ${MEDIA_NODE}
            }
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const fileUpdateMutation = /* GraphQL */ `
  mutation fileUpdate($files: [FileUpdateInput!]!) {
    fileUpdate(files: $files) {
      files {
        id
        alt
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const productReorderMediaMutation = /* GraphQL */ `
  mutation productReorderMedia($id: ID!, $moves: [MoveInput!]!) {
    productReorderMedia(id: $id, moves: $moves) {
      job {
        id
        done
      }
      mediaUserErrors {
        code
        field
        message
      }
    }
  }
`;

export const jobQuery = /* GraphQL */ `
  query job($id: ID!) {
    job(id: $id) {
      id
      done
    }
  }
`;
