import { type BulkRunOptions, runBulkQueryBatches } from './bulk-run';
import type { ShopifyTransport } from './client';
import { buildBulkCatalogQuery, bulkCollectionsQuery } from './documents';
import { VARIANT_METAFIELD_ALIAS } from './documents/fragments';
import { ShopifyBulkOperationError } from './errors';
import { getLocations } from './reads';
import {
  addMedia,
  addVariants,
  type RawCollection,
  type RawInventoryLevel,
  type RawMedia,
  type RawProduct,
  type RawVariant,
  reshapeCollection,
  reshapeProduct,
} from './reshape';
import type { ShopifyCollection, ShopifyMetafield, ShopifyProduct } from './types';

type BulkLine = { id: string; __parentId?: string } & Record<string, unknown>;

/** The gid types of Media (MediaImage, Video, ExternalVideo, Model3d): a product's media lines. */
const MEDIA_TYPES = new Set(['MediaImage', 'Video', 'ExternalVideo', 'Model3d']);

const gidType = (id: string) => /^gid:\/\/shopify\/(\w+)\//.exec(id)?.[1];

/**
 * The catalog as domain products, in batches (one per network chunk of the result): each product
 * complete with all its variants, their inventory at every location and its collection ids.
 * Relies on groupObjects (children follow their parent): a product whose lines run past the end
 * of a chunk is held back until the next one, so only one chunk's products are in memory.
 * `search` narrows the products (the incremental pull's updated_at filter).
 */
export async function* streamBulkCatalogBatches(
  t: ShopifyTransport,
  options: BulkRunOptions & { search?: string; variantMetafields?: readonly string[] } = {},
): AsyncGenerator<ShopifyProduct[]> {
  const locations = await getLocations(t);
  const query = buildBulkCatalogQuery(
    locations.map((l) => l.id),
    options.search,
    options.variantMetafields,
  );
  /** The product being read, and its variants' lines so far. */
  let current: { product: ShopifyProduct; variants: RawVariant[] } | undefined;
  for await (const lines of runBulkQueryBatches<BulkLine>(t, query, { ...options, groupObjects: true })) {
    const products: ShopifyProduct[] = [];
    for (const line of lines) {
      const type = gidType(line.id);
      if (type === 'Product') {
        if (current) products.push(finish(current));
        current = { product: reshapeProduct(line as unknown as RawProduct), variants: [] };
        continue;
      }
      if (!current) throw new ShopifyBulkOperationError(`bulk line ${line.id} came before any product`);
      if (type === 'ProductVariant') {
        expectParent(line, current.product.id);
        current.variants.push(withLevels(line as unknown as BulkVariant));
      } else if (type === 'Collection') {
        expectParent(line, current.product.id);
        current.product.collectionIds.push(line.id);
      } else if (type && MEDIA_TYPES.has(type)) {
        // Media lines come in the product's media order: their order is their position.
        expectParent(line, current.product.id);
        addMedia(current.product, [line as unknown as RawMedia]);
      } else if (type === 'Metafield') {
        expectParent(line, current.product.id);
        current.product.metafields.push(line as unknown as ShopifyMetafield);
      }
    }
    if (products.length) yield products;
  }
  if (current) yield [finish(current)];
}

/** The catalog as domain products, one at a time (see streamBulkCatalogBatches). */
export async function* streamBulkCatalog(
  t: ShopifyTransport,
  options: BulkRunOptions & { variantMetafields?: readonly string[] } = {},
): AsyncGenerator<ShopifyProduct> {
  for await (const batch of streamBulkCatalogBatches(t, options)) yield* batch;
}

type BulkVariant = RawVariant & { inventoryItem: RawVariant['inventoryItem'] & Record<string, unknown> };

/**
 * Gathers the per-location aliases (level_0, level_1...) into the inventoryLevels the reshape expects,
 * and the metafield aliases (mf_0...; null where the variant has no value) into its metafields.
 */
function withLevels(line: BulkVariant): RawVariant {
  const raw: Record<string, unknown> = {};
  const metafields: Array<{ node: ShopifyMetafield }> = [];
  for (const [key, value] of Object.entries(line)) {
    if (!key.startsWith(VARIANT_METAFIELD_ALIAS)) raw[key] = value;
    else if (value) metafields.push({ node: value as unknown as ShopifyMetafield });
  }
  return { ...inventoryOf(raw as BulkVariant), metafields: { edges: metafields } };
}

function inventoryOf(raw: BulkVariant): RawVariant {
  const item: Record<string, unknown> = {};
  const levels: Array<{ node: RawInventoryLevel }> = [];
  for (const [key, value] of Object.entries(raw.inventoryItem)) {
    if (!key.startsWith('level_')) item[key] = value;
    else if (value) levels.push({ node: value as RawInventoryLevel });
  }
  return { ...raw, inventoryItem: { ...(item as RawVariant['inventoryItem']), inventoryLevels: { edges: levels } } };
}

export async function* streamBulkCollectionsBatches(
  t: ShopifyTransport,
  options: BulkRunOptions = {},
): AsyncGenerator<ShopifyCollection[]> {
  for await (const lines of runBulkQueryBatches<RawCollection>(t, bulkCollectionsQuery, options)) yield lines.map(reshapeCollection);
}

function expectParent(line: BulkLine, productId: string): void {
  if (line.__parentId !== productId) {
    throw new ShopifyBulkOperationError(
      `bulk line ${line.id} belongs to ${line.__parentId}, not to the product being read (${productId}): results are not grouped`,
    );
  }
}

function finish({ product, variants }: { product: ShopifyProduct; variants: RawVariant[] }): ShopifyProduct {
  addVariants(product, variants);
  return product;
}
