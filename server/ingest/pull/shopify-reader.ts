import { sql } from 'drizzle-orm';
import type { Store } from '../../../drizzle/schema';
import {
  remoteEntitiesOf,
  remoteEntityOfCollection,
  type ShopifyClient,
  ShopifyGraphQLError,
  type ShopifyProduct,
} from '../../../lib/shopify';
import { MEDIA_FIRST, METAFIELDS_FIRST } from '../../../lib/shopify/documents/fragments';
import { loadMetafieldDefinitions } from '../../catalog/metafield-definitions';
import type { RemoteRecord } from '../../catalog/remote';
import type { Db } from '../../db/client';
import { pgTextArray, queryRows } from '../../db/rows';
import { type CatalogReader, recordOf } from './reader';
import { BULK_POLL, PAGES_BEFORE_BULK, stockUpdatedSince, updatedAfter } from './stock-reader';

/** Products handed to the pull per batch. */
const PRODUCTS_PER_BATCH = 500;
/**
 * Moved products re-read and handed to the pull together: the pull writes and stages each such
 * batch in one transaction, so a failure later in the read loses none of it.
 */
const PRODUCTS_PER_REREAD = 250;

/**
 * From this many products a re-read is one bulk query (`id:` terms joined by OR): it costs the
 * mutation's 10 points, the locations read and a few 1-point status polls whatever the number of
 * products, where nodes(ids:) costs every product, variant and level it returns (about 50 points
 * for a product of three variants at four locations). Fewer products are read at once by nodes(ids:).
 */
export const BULK_REREAD_FROM = 5;
/** Products per bulk re-read (the length of its search string stays a few kilobytes). */
const PRODUCTS_PER_BULK_REREAD = 250;

/**
 * Products per page within Shopify's 1000-point cap, from the requested cost of one product with
 * these child sizes (connection = 2 + first, as Shopify prices it): 1 + variants + per variant
 * (item, levels) + collections + media (a node and its image) + metafields, with a margin. A MAX_COST_EXCEEDED answer halves it.
 */
function productsPerPage(sizes: {
  variantsFirst: number;
  levelsFirst: number;
  collectionsFirst: number;
  variantMetafieldKeys: string[];
}): number {
  const perVariant = 4 + sizes.levelsFirst * 3 + (sizes.variantMetafieldKeys.length ? 2 + sizes.variantMetafieldKeys.length : 0);
  const perProduct =
    1 + 2 + sizes.variantsFirst + sizes.variantsFirst * perVariant + 2 + sizes.collectionsFirst + 2 + MEDIA_FIRST * 2 + METAFIELDS_FIRST;
  return Math.max(1, Math.min(50, Math.floor(900 / (perProduct * 1.1))));
}

function isCostExceeded(err: unknown): boolean {
  return err instanceof ShopifyGraphQLError
    ? err.code === 'MAX_COST_EXCEEDED' || /max cost/i.test(err.message)
    : /max cost/i.test(String((err as Error)?.message));
}

/**
 * The pull's view of a store through its Shopify client (the store's gateway). Memberships of
 * smart collections are left out: Shopify decides them by rules, so they are not synced.
 */
export function createShopifyReader(db: Db, store: Store, client: ShopifyClient): CatalogReader {
  let smartIds: Set<string> | null = null;

  const knownSmart = async (): Promise<Set<string>> => {
    if (smartIds) return smartIds;
    const rows = await queryRows<{ key: string }>(
      db,
      sql`select key from catalog_entities where store_id = ${store.id} and entity = 'collection' and (meta->>'smart')::boolean`,
    );
    smartIds = new Set(rows.map((r) => r.key));
    return smartIds;
  };
  /**
   * Child page sizes of a product read: every location's level must come back (a missing level
   * would read as deleted), so levelsFirst follows the store's location count.
   */
  const childSizes = async () => {
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from locations where store_id = ${store.id} and active`);
    return {
      variantsFirst: 10,
      levelsFirst: Math.min(250, Math.max(4, Number(row?.n ?? 0))),
      collectionsFirst: 25,
      variantMetafieldKeys: await variantMetafieldKeys(),
    };
  };
  /**
   * The variant metafields read: those the store defines (as the pull read them just before the
   * products), by alias in a bulk query and by `keys` by id, so both reads see the same rows.
   */
  const variantMetafieldKeys = async (): Promise<string[]> =>
    (await loadMetafieldDefinitions(db, store.id, 'PRODUCTVARIANT')).map((d) => `${d.namespace}.${d.key}`);
  const recordsOf = (product: ShopifyProduct, smart: Set<string>): RemoteRecord[] =>
    remoteEntitiesOf({ ...product, collectionIds: product.collectionIds.filter((id) => !smart.has(id)) }).map(recordOf);

  /** Products by id with all their rows, in pages that fit the cost cap. */
  const readProducts = async (
    ids: string[],
    smart: Set<string>,
    sizes: Awaited<ReturnType<typeof childSizes>>,
  ): Promise<RemoteRecord[]> => {
    const records: RemoteRecord[] = [];
    if (ids.length >= BULK_REREAD_FROM) {
      for (let i = 0; i < ids.length; i += PRODUCTS_PER_BULK_REREAD) {
        const search = ids
          .slice(i, i + PRODUCTS_PER_BULK_REREAD)
          .map((id) => `id:${id.split('/').pop()}`)
          .join(' OR ');
        const options = { ...BULK_POLL, search, variantMetafields: sizes.variantMetafieldKeys };
        for await (const products of client.streamBulkCatalogBatches(options)) {
          for (const product of products) records.push(...recordsOf(product, smart));
        }
      }
      return records;
    }
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

  /** Of products listed with their updatedAt, those whose rows we hold are older (or hold none of). */
  const movedSinceRead = async (listed: Array<{ id: string; updatedAt: string }>): Promise<string[]> => {
    const known = await queryRows<{ key: string; at: string | number | null }>(
      db,
      sql`select key, (extract(epoch from remote_updated_at) * 1000)::float8 as at from catalog_entities
          where store_id = ${store.id} and entity = 'product'
            and key = any(${pgTextArray(listed.map((p) => p.id))}::text[]) and remote is not null`,
    );
    const knownAt = new Map(known.map((k) => [k.key, k.at === null ? null : Number(k.at)]));
    return listed
      .filter((p) => {
        const at = knownAt.get(p.id);
        return at === undefined || at === null || Date.parse(p.updatedAt) > at;
      })
      .map((p) => p.id);
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
      const variantMetafields = await variantMetafieldKeys();
      const products = client.streamBulkCatalogBatches({ ...options, variantMetafields })[Symbol.asyncIterator]();
      const firstProducts = products.next();
      firstProducts.catch(() => {});
      const collections: RemoteRecord[] = [];
      const smart = new Set<string>();
      for await (const batch of client.streamBulkCollectionsBatches(options)) {
        for (const c of batch) {
          collections.push(recordOf(remoteEntityOfCollection(c)));
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
      const query = updatedAfter(since);
      // The cheap pass first: ids and updatedAt of what matches, to re-read only what really moved.
      const moved: string[] = [];
      let after: string | null = null;
      for (let pages = 0; ; pages++) {
        if (signal.aborted) return;
        if (pages === PAGES_BEFORE_BULK) {
          const options = { signal, ...BULK_POLL, search: query, variantMetafields: sizes.variantMetafieldKeys };
          yield* productBatches(client.streamBulkCatalogBatches(options), smart);
          return;
        }
        const page = await client.getProductUpdatesPage({ first: 250, after, query }, signal);
        moved.push(...(await movedSinceRead(page.items)));
        if (!page.hasNextPage) break;
        after = page.endCursor;
      }
      for (let i = 0; i < moved.length; i += PRODUCTS_PER_REREAD) {
        if (signal.aborted) return;
        yield await readProducts(moved.slice(i, i + PRODUCTS_PER_REREAD), smart, sizes);
      }
    },
    async *stockUpdatedSince(since, signal) {
      const read = async (ids: string[]) => readProducts(ids, await knownSmart(), await childSizes());
      yield* stockUpdatedSince(db, store, client, read, since, signal);
    },
    async metafieldDefinitions() {
      return [...(await client.getMetafieldDefinitions('PRODUCT')), ...(await client.getMetafieldDefinitions('PRODUCTVARIANT'))];
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
      const records = [recordOf(remoteEntityOfCollection(found))];
      if (found.smart) return records;
      for (let after: string | null = null; ; ) {
        const page = await client.getCollectionProducts(id, { after });
        for (const productId of page.items) {
          records.push({
            entity: 'membership',
            key: `${id}|${productId}`,
            productKey: productId,
            doc: { member: true },
            meta: { collectionId: id, productId },
          });
        }
        if (!page.hasNextPage) break;
        after = page.endCursor;
      }
      return records;
    },
  };
}
