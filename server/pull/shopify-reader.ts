import { sql } from 'drizzle-orm';
import type { Store } from '../../drizzle/schema';
import { createShopifyClient, remoteEntitiesOf, remoteEntityOfCollection, type RemoteEntity, type ShopifyClient, type ShopifyProduct, ThrottleBucket } from '../../lib/shopify';
import type { RemoteRecord } from '../catalog/remote';
import { queryRows } from '../db/rows';
import { shopifySignals } from '../metrics/shopify-signals';
import type { Runtime } from '../runtime';
import type { CatalogReader } from './reader';

/** Products handed to the pull per batch. */
const PRODUCTS_PER_BATCH = 500;

/** One throttle bucket per store, shared by every client of this process for that store. */
export function bucketFor(runtime: Runtime, storeId: string): ThrottleBucket {
  let buckets = runtime.services.get('shopifyBuckets') as Map<string, ThrottleBucket> | undefined;
  if (!buckets) runtime.services.set('shopifyBuckets', (buckets = new Map()));
  let bucket = buckets.get(storeId);
  if (!bucket) {
    const created = (bucket = new ThrottleBucket());
    buckets.set(storeId, created);
    // /metrics and health read the bucket's figures through the runtime's signals registry.
    shopifySignals(runtime.services).register(storeId, {
      stats: () => {
        const s = created.stats();
        return { ...s, available: s.currentlyAvailable, maximum: s.maximumAvailable };
      },
    }, 'pull');
  }
  return bucket;
}

export function shopifyClientFor(runtime: Runtime, store: Store): ShopifyClient {
  return createShopifyClient({
    shopDomain: store.shopDomain,
    accessToken: store.accessToken,
    apiVersion: store.apiVersion,
    adminUrl: store.adminUrl ?? undefined,
    bucket: bucketFor(runtime, store.id),
    logger: runtime.logger,
  });
}

const toRecord = (e: RemoteEntity): RemoteRecord => ({ entity: e.entity, key: e.key, productKey: e.productKey, doc: e.remote, meta: e.meta, updatedAt: e.remoteUpdatedAt });

/**
 * The pull's view of Shopify through lib/shopify. Memberships of smart collections are left out:
 * Shopify decides them by rules, so they are not synced.
 */
export function createShopifyReader(store: Store, runtime: Runtime): CatalogReader {
  const client = shopifyClientFor(runtime, store);
  let smartIds: Set<string> | null = null;

  const knownSmart = async (): Promise<Set<string>> => {
    if (smartIds) return smartIds;
    const rows = await queryRows<{ key: string }>(
      runtime.db,
      sql`select key from catalog_entities where store_id = ${store.id} and entity = 'collection' and (meta->>'smart')::boolean`,
    );
    return (smartIds = new Set(rows.map((r) => r.key)));
  };
  const recordsOf = (product: ShopifyProduct, smart: Set<string>): RemoteRecord[] =>
    remoteEntitiesOf({ ...product, collectionIds: product.collectionIds.filter((id) => !smart.has(id)) }).map(toRecord);

  async function* productBatches(products: AsyncIterable<ShopifyProduct | ShopifyProduct[]>, smart: Set<string>): AsyncGenerator<RemoteRecord[]> {
    let batch: RemoteRecord[] = [];
    let count = 0;
    for await (const item of products) {
      for (const product of Array.isArray(item) ? item : [item]) {
        batch.push(...recordsOf(product, smart));
        count++;
      }
      if (count >= PRODUCTS_PER_BATCH) {
        yield batch;
        batch = [];
        count = 0;
      }
    }
    if (batch.length) yield batch;
  }

  return {
    async *fullCatalog(signal) {
      const collections: RemoteRecord[] = [];
      const smart = new Set<string>();
      for await (const c of client.streamBulkCollections({ signal })) {
        collections.push(toRecord(remoteEntityOfCollection(c)));
        if (c.smart) smart.add(c.id);
      }
      smartIds = smart;
      if (collections.length) yield collections;
      yield* productBatches(client.streamBulkCatalog({ signal }), smart);
    },
    async *productsUpdatedSince(since, signal) {
      const smart = await knownSmart();
      const query = `updated_at:>'${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;
      const pages = client.iterateProducts({ query, sortKey: 'UPDATED_AT' });
      for await (const batch of productBatches(pages, smart)) {
        if (signal.aborted) return;
        yield batch;
      }
    },
    async products(ids) {
      const smart = await knownSmart();
      const products = await client.getProductsByIds(ids);
      return products.flatMap((p) => recordsOf(p, smart));
    },
    async collection(id) {
      const numeric = id.split('/').pop();
      let found = (await client.getCollectionsPage({ first: 5, query: `id:${numeric}` })).items.find((c) => c.id === id);
      for (let after: string | null = null; !found; ) {
        const page = await client.getCollectionsPage({ first: 250, after });
        found = page.items.find((c) => c.id === id);
        if (!page.hasNextPage) break;
        after = page.endCursor;
      }
      if (!found) return null;
      const records = [toRecord(remoteEntityOfCollection(found))];
      if (found.smart) return records;
      for (let after: string | null = null; ; ) {
        const page = await client.getCollectionProducts(id, { after });
        for (const productId of page.items) {
          records.push({ entity: 'membership', key: `${id}|${productId}`, productKey: productId, doc: { member: true }, meta: { collectionId: id, productId } });
        }
        if (!page.hasNextPage) break;
        after = page.endCursor;
      }
      return records;
    },
  };
}
