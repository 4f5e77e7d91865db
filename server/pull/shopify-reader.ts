import { sql } from 'drizzle-orm';
import type { Store } from '../../drizzle/schema';
import { createShopifyClient, ShopifyGraphQLError, remoteEntitiesOf, remoteEntityOfCollection, type RemoteEntity, type ShopifyClient, type ShopifyProduct, ThrottleBucket } from '../../lib/shopify';
import type { RemoteRecord } from '../catalog/remote';
import { queryRows } from '../db/rows';
import { shopifySignals } from '../metrics/shopify-signals';
import type { Runtime } from '../runtime';
import { type ProductsUpdatedSinceData, productsUpdatedSinceQuery } from './documents';
import type { CatalogReader } from './reader';
import { pgTextArray } from '../staging/restage';

/**
 * Status polls of a bulk query: quick at first, then every second (a poll costs 1 point; nothing
 * can be read until the operation completes, so a late poll is time the whole pull loses).
 */
const BULK_POLL = { pollIntervalMs: 200, maxPollIntervalMs: 1000 };
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
    }, 'shopify');
  }
  return bucket;
}

export interface ClientTuning {
  maxRetries?: number;
  retryBaseDelayMs?: number;
  requestTimeoutMs?: number;
}

export function shopifyClientFor(runtime: Runtime, store: Store, tuning: ClientTuning = {}): ShopifyClient {
  return createShopifyClient({
    ...tuning,
    shopDomain: store.shopDomain,
    accessToken: store.accessToken,
    apiVersion: store.apiVersion,
    adminUrl: store.adminUrl ?? undefined,
    bucket: bucketFor(runtime, store.id),
    logger: runtime.logger,
  });
}

/**
 * Products per page within Shopify's 1000-point cap, from the requested cost of one product with
 * these child sizes (connection = 2 + first, as Shopify prices it): 1 + variants + per variant
 * (item, levels) + collections, with a margin. A MAX_COST_EXCEEDED answer halves it.
 */
function productsPerPage(sizes: { variantsFirst: number; levelsFirst: number; collectionsFirst: number }): number {
  const perVariant = 4 + sizes.levelsFirst * 3;
  const perProduct = 1 + 2 + sizes.variantsFirst + sizes.variantsFirst * perVariant + 2 + sizes.collectionsFirst;
  return Math.max(1, Math.min(50, Math.floor(900 / (perProduct * 1.1))));
}

function isCostExceeded(err: unknown): boolean {
  return err instanceof ShopifyGraphQLError ? err.code === 'MAX_COST_EXCEEDED' || /max cost/i.test(err.message) : /max cost/i.test(String((err as Error)?.message));
}

const toRecord = (e: RemoteEntity): RemoteRecord => ({ entity: e.entity, key: e.key, productKey: e.productKey, doc: e.remote, meta: e.meta, updatedAt: e.remoteUpdatedAt });

/**
 * The pull's view of Shopify through lib/shopify. Memberships of smart collections are left out:
 * Shopify decides them by rules, so they are not synced.
 */
export function createShopifyReader(store: Store, runtime: Runtime, tuning: ClientTuning = {}): CatalogReader {
  const client = shopifyClientFor(runtime, store, tuning);
  let smartIds: Set<string> | null = null;

  const knownSmart = async (): Promise<Set<string>> => {
    if (smartIds) return smartIds;
    const rows = await queryRows<{ key: string }>(
      runtime.db,
      sql`select key from catalog_entities where store_id = ${store.id} and entity = 'collection' and (meta->>'smart')::boolean`,
    );
    return (smartIds = new Set(rows.map((r) => r.key)));
  };
  /**
   * Child page sizes of a product read: every location's level must come back (a missing level
   * would read as deleted), so levelsFirst follows the store's location count.
   */
  const childSizes = async () => {
    const [row] = await queryRows<{ n: number }>(runtime.db, sql`select count(*)::int as n from locations where store_id = ${store.id} and active`);
    return { variantsFirst: 10, levelsFirst: Math.min(250, Math.max(4, Number(row?.n ?? 0))), collectionsFirst: 25 };
  };
  const recordsOf = (product: ShopifyProduct, smart: Set<string>): RemoteRecord[] =>
    remoteEntitiesOf({ ...product, collectionIds: product.collectionIds.filter((id) => !smart.has(id)) }).map(toRecord);

  /** Products by id with all their rows, in pages that fit the cost cap. */
  const readProducts = async (ids: string[], smart: Set<string>, sizes: Awaited<ReturnType<typeof childSizes>>): Promise<RemoteRecord[]> => {
    const records: RemoteRecord[] = [];
    let chunk = productsPerPage(sizes);
    for (let i = 0; i < ids.length; ) {
      try {
        const products = await client.getProductsByIds(ids.slice(i, i + chunk), sizes);
        records.push(...products.flatMap((p) => recordsOf(p, smart)));
        i += chunk;
      } catch (err) {
        if (!isCostExceeded(err) || chunk === 1) throw err;
        chunk = Math.max(1, Math.floor(chunk / 2));
      }
    }
    return records;
  };

  /** Whole products (each with all its rows) regrouped into batches of about PRODUCTS_PER_BATCH. */
  async function* productBatches(products: AsyncIterable<ShopifyProduct[]>, smart: Set<string>): AsyncGenerator<RemoteRecord[]> {
    let batch: RemoteRecord[] = [];
    let count = 0;
    for await (const chunk of products) {
      for (const product of chunk) {
        for (const record of recordsOf(product, smart)) batch.push(record);
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
      const options = { signal, ...BULK_POLL };
      // Both bulk queries run at once (Shopify allows 5 per shop): the products' one starts now.
      const products = client.streamBulkCatalogBatches(options)[Symbol.asyncIterator]();
      const firstProducts = products.next();
      firstProducts.catch(() => {});
      const collections: RemoteRecord[] = [];
      const smart = new Set<string>();
      for await (const batch of client.streamBulkCollectionsBatches(options)) {
        for (const c of batch) {
          collections.push(toRecord(remoteEntityOfCollection(c)));
          if (c.smart) smart.add(c.id);
        }
      }
      smartIds = smart;
      if (collections.length) yield collections;
      const rest: AsyncIterable<ShopifyProduct[]> = {
        [Symbol.asyncIterator]: () => {
          let first: Promise<IteratorResult<ShopifyProduct[]>> | null = firstProducts;
          return {
            next: () => {
              const result = first ?? products.next();
              first = null;
              return result;
            },
            return: (value?: unknown) => products.return(value as never),
          };
        },
      };
      yield* productBatches(rest, smart);
    },
    async *productsUpdatedSince(since, signal) {
      const smart = await knownSmart();
      const sizes = await childSizes();
      const query = `updated_at:>'${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;
      let after: string | null = null;
      do {
        if (signal.aborted) return;
        const { data }: { data: ProductsUpdatedSinceData } = await client.request<ProductsUpdatedSinceData>(productsUpdatedSinceQuery, { first: 250, after, query }, { signal });
        const seen = data.products.edges.map((e) => e.node);
        const known = await queryRows<{ key: string; at: string | number | null }>(
          runtime.db,
          sql`select key, (extract(epoch from remote_updated_at) * 1000)::float8 as at from catalog_entities
              where store_id = ${store.id} and entity = 'product' and key = any(${pgTextArray(seen.map((p) => p.id))}::text[]) and remote is not null`,
        );
        const knownAt = new Map(known.map((k) => [k.key, k.at === null ? null : Number(k.at)]));
        const moved = seen.filter((p) => {
          const at = knownAt.get(p.id);
          return at === undefined || at === null || Date.parse(p.updatedAt) > at;
        });
        if (moved.length) yield await readProducts(moved.map((p) => p.id), smart, sizes);
        after = data.products.pageInfo.hasNextPage ? data.products.pageInfo.endCursor : null;
      } while (after);
    },
    async locations() {
      return (await client.getLocations()).map((l) => ({ id: l.id, name: l.name, active: l.isActive }));
    },
    async products(ids) {
      return readProducts(ids, await knownSmart(), await childSizes());
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
