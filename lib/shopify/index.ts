/**
 * lib/shopify: the one way the app talks to Shopify (or the emulator, through SHOPIFY_ADMIN_URL).
 * `createShopifyClient` gives the throttle-aware `request` plus one verb per use case.
 */
import { createHash } from 'node:crypto';
import * as bulk from './bulk';
import { createTransport, type ShopifyClientOptions, type ShopifyTransport } from './client';
import * as reads from './reads';
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
  getProductsPage: reads.getProductsPage,
  iterateProducts: reads.iterateProducts,
  getProductsByIds: reads.getProductsByIds,
  getProduct: reads.getProduct,
  getCollectionsPage: reads.getCollectionsPage,
  getCollectionProducts: reads.getCollectionProducts,
};

const writeVerbs = {
  updateProduct: writes.updateProduct,
  updateVariants: writes.updateVariants,
  setInventoryQuantities: writes.setInventoryQuantities,
  adjustInventory: writes.adjustInventory,
  createProduct: writes.createProduct,
  deleteProduct: writes.deleteProduct,
  createCollection: writes.createCollection,
  listWebhookSubscriptions: writes.listWebhookSubscriptions,
  createWebhookSubscription: writes.createWebhookSubscription,
  deleteWebhookSubscription: writes.deleteWebhookSubscription,
};

const bulkVerbs = {
  runBulkQuery: bulk.runBulkQuery,
  runBulkQueryBatches: bulk.runBulkQueryBatches,
  startBulkQuery: bulk.startBulkQuery,
  getBulkOperation: bulk.getBulkOperation,
  waitForBulkOperation: bulk.waitForBulkOperation,
  cancelBulkOperation: bulk.cancelBulkOperation,
  streamJsonl: bulk.streamJsonl,
  streamJsonlBatches: bulk.streamJsonlBatches,
  streamBulkCatalog: bulk.streamBulkCatalog,
  streamBulkCatalogBatches: bulk.streamBulkCatalogBatches,
  streamBulkProducts: bulk.streamBulkProducts,
  streamBulkCollections: bulk.streamBulkCollections,
  streamBulkCollectionsBatches: bulk.streamBulkCollectionsBatches,
  runBulkMutation: bulk.runBulkMutation,
};

export type ShopifyClient = ShopifyTransport & Verbs<typeof readVerbs> & Verbs<typeof writeVerbs> & Verbs<typeof bulkVerbs>;

export function createShopifyClient(options: ShopifyClientOptions): ShopifyClient {
  const transport = createTransport(options);
  return { ...transport, ...bind(transport, readVerbs), ...bind(transport, writeVerbs), ...bind(transport, bulkVerbs) };
}

const sharedBuckets = new Map<string, ThrottleBucket>();

/**
 * The process-wide bucket of one store and token. Shopify meters per app and store, so the pull,
 * the push workers and the poller must all draw from this one bucket.
 */
export function sharedThrottleBucket(shopDomain: string, accessToken: string): ThrottleBucket {
  const key = `${shopDomain}|${createHash('sha256').update(accessToken).digest('hex')}`;
  let bucket = sharedBuckets.get(key);
  if (!bucket) {
    bucket = new ThrottleBucket();
    sharedBuckets.set(key, bucket);
  }
  return bucket;
}

/** A client for a stored store (stores row or env settings), on the store's shared bucket. */
export function createStoreClient(
  store: { shopDomain: string; accessToken: string; apiVersion?: string | null; adminUrl?: string | null },
  options: Omit<Partial<ShopifyClientOptions>, 'shopDomain' | 'accessToken'> = {},
): ShopifyClient {
  return createShopifyClient({
    shopDomain: store.shopDomain,
    accessToken: store.accessToken,
    ...(store.apiVersion ? { apiVersion: store.apiVersion } : {}),
    ...(store.adminUrl ? { adminUrl: store.adminUrl } : {}),
    bucket: sharedThrottleBucket(store.shopDomain, store.accessToken),
    ...options,
  });
}

export { adminEndpoint, DEFAULT_API_VERSION, operationName } from './client';
export type { AdminRequest, RequestOptions, ShopifyClientOptions, ShopifyLogger, ShopifyResponse, ShopifyTransport } from './client';
export * from './errors';
export { ThrottleBucket };
export type { QueryCost, ThrottleBucketOptions, ThrottleStats, ThrottleStatus } from './throttle';
export * from './types';
export type { BulkMutationLineResult, BulkMutationResult, BulkOperation, BulkOperationStatus, BulkRunOptions } from './bulk';
export type { ChildPageSizes, ProductsPageOptions } from './reads';
export type {
  AdjustInventoryInput,
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
export { variantInput, MAX_INPUT_ITEMS } from './writes';
export { estimateQueryCost } from './estimate';
