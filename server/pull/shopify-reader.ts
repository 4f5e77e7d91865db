import type { Store } from '../../drizzle/schema';
import { AppError } from '../../lib/errors';
import type { Runtime } from '../runtime';
import type { CatalogReader } from './reader';

/** The catalog reader over the Shopify client (lib/shopify); wired when the client lands (issue 4). */
export function createShopifyReader(store: Store, _runtime: Runtime): CatalogReader {
  const unavailable = () => new AppError('unavailable', `The Shopify client is not available to read ${store.shopDomain}`);
  return {
    fullCatalog: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(unavailable()) }) }),
    productsUpdatedSince: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(unavailable()) }) }),
    products: () => Promise.reject(unavailable()),
    collection: () => Promise.reject(unavailable()),
  };
}
