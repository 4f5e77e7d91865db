/**
 * lib/shopify: the one way the app talks to Shopify (or the emulator, through SHOPIFY_ADMIN_URL).
 * `createShopifyClient` gives the throttle-aware `request` plus one verb per use case; the app's
 * clients are made per store by its Shopify gateway (server/stores/gateway.ts), on one bucket.
 */
import * as bulkCatalog from './bulk-catalog';
import * as bulkRun from './bulk-run';
import { createTransport, type ShopifyClientOptions, type ShopifyTransport } from './client';
import * as entityStates from './entity-states';
import * as inventoryReads from './inventory-reads';
import * as mediaWrites from './media-writes';
import * as metafields from './metafields';
import * as reads from './reads';
import * as taxonomy from './taxonomy';
import { ThrottleBucket } from './throttle';
import * as writes from './writes';

type Tail<F> = F extends (t: ShopifyTransport, ...args: infer A) => infer R ? (...args: A) => R : never;
type Verbs<M> = { [K in keyof M as M[K] extends (t: ShopifyTransport, ...args: never[]) => unknown ? K : never]: Tail<M[K]> };

function bind<M extends Record<string, unknown>>(t: ShopifyTransport, verbs: M): Verbs<M> {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(verbs)) {
    if (typeof fn === 'function') out[name] = (...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(t, ...args);
  }
  return out as Verbs<M>;
}

const readVerbs = {
  getShop: reads.getShop,
  getLocations: reads.getLocations,
  getProductUpdatesPage: reads.getProductUpdatesPage,
  getLocationLevelsPage: inventoryReads.getLocationLevelsPage,
  getProductsByIds: reads.getProductsByIds,
  getProductState: entityStates.getProductState,
  getVariantsByIds: entityStates.getVariantsByIds,
  driftReadCost: entityStates.driftReadCost,
  variantReadCost: entityStates.variantReadCost,
  getEntityStates: entityStates.getEntityStates,
  getCollectionsPage: reads.getCollectionsPage,
  getCollectionProducts: reads.getCollectionProducts,
  searchTaxonomyCategories: taxonomy.searchTaxonomyCategories,
  getMetafieldDefinitions: metafields.getMetafieldDefinitions,
  getMetafieldStates: metafields.getMetafieldStates,
};

const writeVerbs = {
  updateProduct: writes.updateProduct,
  updateVariants: writes.updateVariants,
  setInventoryQuantities: writes.setInventoryQuantities,
  createProduct: writes.createProduct,
  createVariants: writes.createVariants,
  deleteProduct: writes.deleteProduct,
  updateMediaAlt: mediaWrites.updateMediaAlt,
  addMedia: mediaWrites.addMedia,
  detachMedia: mediaWrites.detachMedia,
  attachMedia: mediaWrites.attachMedia,
  reorderMedia: mediaWrites.reorderMedia,
  listWebhookSubscriptions: writes.listWebhookSubscriptions,
  createWebhookSubscription: writes.createWebhookSubscription,
  setMetafields: metafields.setMetafields,
  deleteMetafields: metafields.deleteMetafields,
};

const bulkVerbs = {
  streamBulkCatalog: bulkCatalog.streamBulkCatalog,
  streamBulkCatalogBatches: bulkCatalog.streamBulkCatalogBatches,
  streamBulkCollectionsBatches: bulkCatalog.streamBulkCollectionsBatches,
  streamBulkLevelBatches: inventoryReads.streamBulkLevelBatches,
  bulkUpdateVariants: bulkRun.bulkUpdateVariants,
};

export type ShopifyClient = ShopifyTransport & Verbs<typeof readVerbs> & Verbs<typeof writeVerbs> & Verbs<typeof bulkVerbs>;

export function createShopifyClient(options: ShopifyClientOptions): ShopifyClient {
  const transport = createTransport(options);
  return { ...transport, ...bind(transport, readVerbs), ...bind(transport, writeVerbs), ...bind(transport, bulkVerbs) };
}

export type { BulkOperation, BulkOperationStatus, BulkRunOptions } from './bulk-run';
export type { AdminRequest, RequestOptions, ShopifyClientOptions, ShopifyLogger, ShopifyResponse, ShopifyTransport } from './client';
export { adminEndpoint, DEFAULT_API_VERSION, operationName } from './client';
export type { EntityStates, EntityStatesRequest } from './entity-states';
export * from './errors';
export { estimateQueryCost } from './estimate';
export type { MovedInventoryLevel } from './inventory-reads';
export { mediaMoves } from './media-writes';
export type { MetafieldRef, MetafieldState, MetafieldWrite } from './metafields';
export { METAFIELDS_PER_SET } from './metafields';
export type { ChildPageSizes } from './reads';
export type { QueryCost, ThrottleBucketOptions, ThrottleStats, ThrottleStatus } from './throttle';
export * from './types';
export type {
  CreatedProduct,
  InventoryChange,
  InventoryQuantity,
  MembershipChanges,
  NewProduct,
  NewVariant,
  ProductUpdate,
  SetInventoryInput,
  VariantUpdate,
} from './writes';
export { MAX_INPUT_ITEMS, variantInput } from './writes';
export { ThrottleBucket };
