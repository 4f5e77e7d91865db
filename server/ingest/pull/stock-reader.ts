import { sql } from 'drizzle-orm';
import type { Store } from '../../../drizzle/schema';
import { type MovedInventoryLevel, remoteEntityOfLevel, type ShopifyClient } from '../../../lib/shopify';
import type { RemoteRecord } from '../../catalog/remote';
import type { Db } from '../../db/client';
import { pgTextArray, queryRows } from '../../db/rows';
import { recordOf, type StockBatch } from './reader';

/**
 * Pages of changed rows read before an incremental read switches to a bulk query: past this many,
 * one bulk query (a few status polls and a file) costs less than paging on.
 */
export const PAGES_BEFORE_BULK = 4;
/**
 * Status polls of a bulk query: quick at first, then every second (a poll costs 1 point; nothing
 * can be read until the operation completes, so a late poll is time the whole pull loses).
 */
export const BULK_POLL = { pollIntervalMs: 200, maxPollIntervalMs: 1000 };

/** Shopify search syntax for "changed after `since`" (second precision, as Shopify compares). */
export const updatedAfter = (since: Date) => `updated_at:>'${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;

/**
 * Stock that moved after `since`, read per active location by the level's own updated_at (stock
 * moves without touching the product's), or by one bulk query over every location when a
 * location has more than PAGES_BEFORE_BULK pages of it. A level we hold a row for comes back as
 * its record; one we do not (a new product, a location newly stocked) has its product re-read whole.
 */
export async function* stockUpdatedSince(
  db: Db,
  store: Store,
  client: ShopifyClient,
  readProducts: (ids: string[]) => Promise<RemoteRecord[]>,
  since: Date,
  signal: AbortSignal,
): AsyncGenerator<StockBatch> {
  const search = updatedAfter(since);
  const locations = await queryRows<{ id: string }>(db, sql`select id from locations where store_id = ${store.id} and active order by id`);
  const perLocation: MovedInventoryLevel[][] = [];
  let bulk = false;
  for (const { id } of locations) {
    const levels: MovedInventoryLevel[] = [];
    let after: string | null = null;
    for (let pages = 0; !bulk; pages++) {
      if (signal.aborted) return;
      if (pages === PAGES_BEFORE_BULK) bulk = true;
      else {
        const page = await client.getLocationLevelsPage(id, { query: search, after }, signal);
        levels.push(...page.items);
        if (!page.hasNextPage) break;
        after = page.endCursor;
      }
    }
    if (bulk) break;
    if (levels.length) perLocation.push(levels);
  }
  const batches: AsyncIterable<MovedInventoryLevel[]> | MovedInventoryLevel[][] = bulk
    ? client.streamBulkLevelBatches(search, { signal, ...BULK_POLL })
    : perLocation;
  for await (const levels of batches) {
    if (signal.aborted) return;
    yield await stockBatch(db, store, levels, readProducts);
  }
}

async function stockBatch(
  db: Db,
  store: Store,
  levels: MovedInventoryLevel[],
  readProducts: (ids: string[]) => Promise<RemoteRecord[]>,
): Promise<StockBatch> {
  const known = await queryRows<{ key: string }>(
    db,
    sql`select key from catalog_entities where store_id = ${store.id} and entity = 'inventory_level'
          and key = any(${pgTextArray(levels.map((l) => l.key))}::text[])`,
  );
  const knownKeys = new Set(known.map((k) => k.key));
  const records: RemoteRecord[] = [];
  const unknownProducts = new Set<string>();
  for (const level of levels) {
    if (!knownKeys.has(level.key)) unknownProducts.add(level.productId);
    else records.push(recordOf(remoteEntityOfLevel(level)));
  }
  return { levels: records, products: unknownProducts.size ? await readProducts([...unknownProducts]) : [] };
}
