import type { SortValue } from '../connection';
import { filterBySearch, type SearchFields } from '../search';
import type { ProductRecord, ShopState } from '../state';

/** The `products(query:)` fields; sku and barcode read the variants, so they need the state. */
function productSearchFields(state: ShopState): SearchFields<ProductRecord> {
  return {
    title: (p) => p.title,
    handle: (p) => p.handle,
    vendor: (p) => p.vendor,
    product_type: (p) => p.productType,
    status: (p) => p.status,
    tag: (p) => p.tags,
    tags: (p) => p.tags,
    id: (p) => p.id,
    updated_at: (p) => p.updatedAt,
    created_at: (p) => p.createdAt,
    sku: (p) => p.variantIds.map((v) => state.inventoryItems.get(state.variants.get(v)!.inventoryItemId)?.sku ?? null),
    barcode: (p) => p.variantIds.map((v) => state.variants.get(v)!.barcode),
  };
}

const SORT_VALUES = new Map<string, (p: ProductRecord) => SortValue>([
  ['UPDATED_AT', (p) => p.updatedAt],
  ['CREATED_AT', (p) => p.createdAt],
  ['TITLE', (p) => p.title],
]);

/** The value `products(sortKey:)` orders by; ID and RELEVANCE order by id. */
export function productSortValue(sortKey: string | null | undefined): (p: ProductRecord) => SortValue {
  return SORT_VALUES.get(sortKey ?? '') ?? ((p) => p.id);
}

/** Filtered, sorted product lists per state version: paging a catalog re-reads the same list. */
const searchCache = new WeakMap<Map<number, ProductRecord>, Map<string, ProductRecord[]>>();

export function searchProducts(state: ShopState, query: string | null | undefined, sortKey?: string | null): ProductRecord[] {
  let cache = searchCache.get(state.products);
  if (!cache) {
    cache = new Map();
    searchCache.set(state.products, cache);
  }
  const key = `${state.version}\u0000${sortKey ?? ''}\u0000${query ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const list = filterAndSort(state, query, sortKey);
  if (cache.size >= 32) cache.clear();
  cache.set(key, list);
  return list;
}

function filterAndSort(state: ShopState, query: string | null | undefined, sortKey?: string | null): ProductRecord[] {
  const list = filterBySearch(state.products.values(), query, productSearchFields(state), 'title');
  // ID and RELEVANCE need no sort: records are kept in id order.
  const value = SORT_VALUES.get(sortKey ?? '');
  if (value)
    list.sort((a, b) => {
      const x = value(a);
      const y = value(b);
      return x < y ? -1 : x > y ? 1 : a.id - b.id;
    });
  return list;
}
