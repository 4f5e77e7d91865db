import { entityKeys } from '@/lib/sync/fields';
import { type BulkRunOptions, runBulkQueryBatches } from './bulk-run';
import type { ShopifyTransport } from './client';
import { buildBulkInventoryLevelsQuery, locationInventoryLevelsQuery } from './documents';
import { fitting } from './reads';
import { availableOf, type Connection, pageOf } from './reshape';
import type { Page, ShopifyInventoryLevel } from './types';

/** A level as the stock reads return it: its synced value, the rows it belongs to and when it last moved. */
export type MovedInventoryLevel = ShopifyInventoryLevel & { updatedAt: string };

interface RawMovedLevel {
  updatedAt: string;
  quantities: Array<{ name: string; quantity: number }>;
  item: { id: string; variant: { id: string; product: { id: string } } | null };
}

/**
 * The first page asks for few levels: most polls find little, and a request waits until its whole
 * requested cost is in the bucket (which the push shares). A full first page asks for the rest at
 * the size that fits the cost cap.
 */
const FIRST_PAGE = 50;

function moved(raw: RawMovedLevel, locationId: string): MovedInventoryLevel {
  return {
    key: entityKeys.inventoryLevel(raw.item.id, locationId),
    inventoryItemId: raw.item.id,
    locationId,
    variantId: raw.item.variant?.id ?? '',
    productId: raw.item.variant?.product.id ?? '',
    available: availableOf(raw),
    updatedAt: raw.updatedAt,
  };
}

/** One page of the levels at a location matching `query` (Shopify search syntax, e.g. `updated_at:>'T'`). */
export async function getLocationLevelsPage(
  t: ShopifyTransport,
  locationId: string,
  options: { query: string; after?: string | null },
  signal?: AbortSignal,
): Promise<Page<MovedInventoryLevel>> {
  const vars = { locationId, after: options.after ?? null, query: options.query };
  const fit = fitting(t, locationInventoryLevelsQuery, { ...vars, first: 1 }, (n) => ({ ...vars, first: n }));
  const first = options.after ? fit : Math.min(FIRST_PAGE, fit);
  const { data } = await t.request<{ location: { inventoryLevels: Connection<RawMovedLevel> } | null }>(
    locationInventoryLevelsQuery,
    { ...vars, first },
    { signal },
  );
  if (!data.location) return { items: [], hasNextPage: false, endCursor: null };
  const page = pageOf(data.location.inventoryLevels, (raw) => moved(raw, locationId));
  // A level whose item has no variant (a deleted product's, briefly) belongs to no synced row.
  return { ...page, items: page.items.filter((l) => l.variantId && l.productId) };
}

type BulkLevelLine = RawMovedLevel & { id: string; __parentId?: string };

/** The levels matching `query` at every location, by one bulk query, in batches (one per chunk of the result). */
export async function* streamBulkLevelBatches(
  t: ShopifyTransport,
  query: string,
  options: BulkRunOptions = {},
): AsyncGenerator<MovedInventoryLevel[]> {
  for await (const lines of runBulkQueryBatches<BulkLevelLine>(t, buildBulkInventoryLevelsQuery(query), options)) {
    const levels = lines
      .filter((line) => line.__parentId && line.item)
      .map((line) => moved(line, line.__parentId!))
      .filter((l) => l.variantId && l.productId);
    if (levels.length) yield levels;
  }
}
