import { matchesSearch, parseSearch, type SearchFields } from './search';
import type { InventoryItemRecord } from './state';

/**
 * The `query` of Location.inventoryLevels and InventoryItem.inventoryLevels, with the filters the
 * 2026-10 schema documents for them: updated_at (the level's own, moved by every quantity change,
 * not the product's), created_at, inventory_item_id. Unknown filters are ignored, as Shopify does.
 */
function levelFields(locationId: number): SearchFields<InventoryItemRecord> {
  return {
    updated_at: (i) => i.levels.get(locationId)?.updatedAt ?? null,
    created_at: (i) => i.createdAt,
    inventory_item_id: (i) => i.id,
  };
}

/** The items stocked at `locationId` whose level there matches `query` (id order, as the connection pages them). */
export function itemsWithLevelsMatching(
  items: Iterable<InventoryItemRecord>,
  locationId: number,
  query: string | null | undefined,
): InventoryItemRecord[] {
  const parsed = parseSearch(query);
  const fields = levelFields(locationId);
  const out: InventoryItemRecord[] = [];
  for (const item of items) if (item.levels.has(locationId) && matchesSearch(item, parsed, fields, 'inventory_item_id')) out.push(item);
  return out;
}

/** The locations of one item whose level matches `query`, in location id order. */
export function locationsWithLevelsMatching(item: InventoryItemRecord, query: string | null | undefined): number[] {
  const parsed = parseSearch(query);
  return [...item.levels.keys()]
    .sort((a, b) => a - b)
    .filter((locationId) => matchesSearch(item, parsed, levelFields(locationId), 'inventory_item_id'));
}
