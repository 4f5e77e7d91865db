import { fieldSelection } from '../selection';

/** A page of a connection: its cursor (whether more follow, and from where) and each node's selection. */
export const pageOf = (node: string) => `pageInfo { hasNextPage endCursor } edges { node { ${node} } }`;

/**
 * Field sets shared by the queries: exactly what lib/sync/fields.ts syncs (its read paths), plus
 * the ids and read-only context (variant title, options, position) the review pages show.
 */

/** A metafield as the sync reads it (lib/sync/metafields.ts); compareDigest makes the push's write a compare-and-set. */
export const METAFIELD_NODE = 'id namespace key type value compareDigest';

/** The prefix of a bulk variant line's metafield aliases (`mf_0`...: lib/shopify/documents/bulk.ts). */
export const VARIANT_METAFIELD_ALIAS = 'mf_';

/** A product's metafields per request; a product with more is paged in afterwards (getProductMetafieldsPageQuery). */
export const METAFIELDS_FIRST = 50;

/** Read-only context selected beside the synced fields. */
export const PRODUCT_CONTEXT = ['id', 'createdAt', 'updatedAt', 'category.fullName'];
export const VARIANT_CONTEXT = [
  'id',
  'title',
  'position',
  'updatedAt',
  'selectedOptions.name',
  'selectedOptions.value',
  'inventoryItem.id',
];
export const COLLECTION_CONTEXT = ['id', 'updatedAt', 'ruleSet.appliedDisjunctively'];

/**
 * A media node: its synced fields (lib/sync/fields.ts `media`: alt on every Media, the URL on a
 * MediaImage's image) and what the review shows beside them. Spelled out rather than derived from
 * the read paths because the image sits under an inline fragment (Media is an interface).
 */
export const MEDIA_NODE = 'id alt mediaContentType status ... on MediaImage { image { url width height } }';

/** Media read with each product; more are paged in afterwards (Shopify allows 250 per product). */
export const MEDIA_FIRST = 20;

export const PRODUCT_FIELDS = /* GraphQL */ `
  fragment ProductFields on Product {
${fieldSelection('product', { extra: PRODUCT_CONTEXT, indent: '    ' })}
  }
`;

export const VARIANT_FIELDS = /* GraphQL */ `
  fragment VariantFields on ProductVariant {
${fieldSelection('variant', { extra: VARIANT_CONTEXT, indent: '    ' })}
  }
`;

export const INVENTORY_LEVEL_FIELDS = /* GraphQL */ `
  fragment InventoryLevelFields on InventoryLevel {
    id
    location {
      id
    }
    quantities(names: ["available"]) {
      name
      quantity
    }
  }
`;

export const COLLECTION_FIELDS = /* GraphQL */ `
  fragment CollectionFields on Collection {
${fieldSelection('collection', { extra: COLLECTION_CONTEXT, indent: '    ' })}
  }
`;

/**
 * A product with its variants, their inventory at each location and the product's collections.
 * The page sizes are operation variables ($variantsFirst, $levelsFirst, $collectionsFirst) so a
 * caller keeps the requested cost under Shopify's 1000-point cap; `pageInfo` tells when a product
 * had more variants than fetched (the client then pages the rest).
 */
export const PRODUCT_WITH_CHILDREN = /* GraphQL */ `
  fragment ProductWithChildren on Product {
    ...ProductFields
    variants(first: $variantsFirst) {
      ${pageOf('...VariantWithLevels')}
    }
    collections(first: $collectionsFirst) {
      ${pageOf('id')}
    }
    media(first: ${MEDIA_FIRST}) {
      ${pageOf(MEDIA_NODE)}
    }
    metafields(first: ${METAFIELDS_FIRST}) {
      ${pageOf(METAFIELD_NODE)}
    }
  }
  ${PRODUCT_FIELDS}
`;

/**
 * A variant with its inventory and the values of its defined metafields: `$variantMetafieldKeys` is
 * the store's PRODUCTVARIANT definitions (`namespace.key`, as many as `$variantMetafieldsFirst`), the
 * same set the bulk query reads by alias (buildBulkCatalogQuery), so both reads see the same rows.
 * `$withVariantMetafields` is false when the store defines none.
 */
export const VARIANT_METAFIELDS_VARIABLES =
  '$variantMetafieldsFirst: Int!, $variantMetafieldKeys: [String!], $withVariantMetafields: Boolean!';

export const VARIANT_WITH_LEVELS = /* GraphQL */ `
  fragment VariantWithLevels on ProductVariant {
    ...VariantFields
    inventoryItem {
      inventoryLevels(first: $levelsFirst) {
        edges {
          node {
            ...InventoryLevelFields
          }
        }
      }
    }
    metafields(first: $variantMetafieldsFirst, keys: $variantMetafieldKeys) @include(if: $withVariantMetafields) {
      edges {
        node {
          ${METAFIELD_NODE}
        }
      }
    }
  }
  ${VARIANT_FIELDS}
  ${INVENTORY_LEVEL_FIELDS}
`;

export const USER_ERROR_FIELDS = /* GraphQL */ `
  field
  message
`;

/** A level that moved: its quantity now, when, and the variant and product it belongs to. */
export const LEVEL_MOVED = /* GraphQL */ `
  updatedAt
  quantities(names: ["available"]) {
    name
    quantity
  }
  item {
    id
    variant {
      id
      product {
        id
      }
    }
  }
`;
