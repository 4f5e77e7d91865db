import {
  isReferenceType,
  type MetafieldDefinition,
  metafieldCellValue,
  metafieldOfTarget,
  type ReferenceLookup,
} from '../../../lib/sync/metafields';
import type { FieldValues } from '../../../lib/sync/model';
import { localSelectedOptions, normalizeOptions } from '../../../lib/sync/options';
import { loadMetafieldDefinitions } from '../../catalog/metafield-definitions';
import * as catalogPlans from '../../catalog/plans';
import { lookupReferences } from '../../catalog/references';
import { type CategorySearch, categoryNames, resolveCategory } from '../../catalog/taxonomy';
import type { Executor } from '../../db/client';
import { queryRows } from '../../db/rows';
import type { MasterImage } from '../media-edits';
import * as plans from './plans';

/**
 * The master as an import reads it: products by handle, variants by SKU and by option values, stock
 * levels, the store's locations (by name or id) and its collections (by handle or title).
 */

export interface VariantEntry {
  key: string;
  productKey: string;
  local: FieldValues;
  inventoryItemId: string | null;
  /** Option values in the product's option order ("M", "Black"). */
  options: string[];
  title: string | null;
}

export interface ProductEntry {
  key: string;
  handle: string;
  local: FieldValues;
  /** Shopify's options when last read: the variants' selectedOptions name their values so. */
  remoteOptions: ReturnType<typeof normalizeOptions>;
  variants: VariantEntry[];
  /** The product's option names in order (none for a product of one default variant). */
  optionNames: string[];
  /** Custom collections the product is in, in the master. */
  collections: Set<string>;
  /** The product's images in the master. */
  media: MasterImage[];
  /** The metafield rows of the product and its variants in the master (`<owner>|<namespace>.<key>` -> local document). */
  metafields: Map<string, FieldValues>;
}

export interface LocationEntry {
  id: string;
  name: string;
}

export interface CollectionEntry {
  key: string;
  handle: string;
  title: string;
  smart: boolean;
}

export interface CatalogIndex {
  byHandle: Map<string, ProductEntry>;
  byKey: Map<string, ProductEntry>;
  bySku: Map<string, VariantEntry[]>;
  /** Stock level key (`<item>|<location>`) -> its master document. */
  levels: Map<string, FieldValues>;
  /** Inventory item -> its level keys. */
  levelsOfItem: Map<string, string[]>;
  locations: LocationEntry[];
  collections: CollectionEntry[];
  /**
   * The categories the file names (a "Product Category" cell, trimmed and lower-cased) as GIDs, or
   * why the taxonomy has none so named; filled before rows are read (withCategories).
   */
  categories: Map<string, { id: string } | { reason: string }>;
  /** Full names of the categories of the master and of the file, by GID (the preview shows names). */
  categoryNames: Map<string, string>;
  /** The store's product and variant metafield definitions: a metafield column's value is checked against its type. */
  metafieldDefinitions: MetafieldDefinition[];
  /** The targets reference metafield cells name by handle or SKU; filled before rows are read (withReferences). */
  references: ReferenceLookup;
}

interface MasterRow extends Record<string, unknown> {
  entity: string;
  key: string;
  product_key: string | null;
  local: FieldValues;
  remote: FieldValues | null;
  meta: Record<string, unknown>;
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => (map.get(key) ?? map.set(key, []).get(key)!).push(value);

export async function loadCatalogIndex(db: Executor, storeId: string): Promise<CatalogIndex> {
  const [rows, locations, collections, metafieldDefinitions] = await Promise.all([
    queryRows<MasterRow>(db, plans.masterRows(storeId)),
    queryRows<LocationEntry & Record<string, unknown>>(db, catalogPlans.activeLocations(storeId)),
    queryRows<CollectionEntry & Record<string, unknown>>(db, catalogPlans.masterCollections(storeId)),
    loadMetafieldDefinitions(db, storeId),
  ]);
  const index: CatalogIndex = {
    byHandle: new Map(),
    byKey: new Map(),
    bySku: new Map(),
    levels: new Map(),
    levelsOfItem: new Map(),
    locations,
    collections,
    categories: new Map(),
    categoryNames: await categoryNames(
      db,
      rows.filter((r) => r.entity === 'product').map((r) => r.local.category),
    ),
    metafieldDefinitions,
    references: new Map(),
  };
  const smart = new Set(collections.filter((c) => c.smart).map((c) => c.key));
  for (const r of rows.filter((r) => r.entity === 'product')) {
    const product: ProductEntry = {
      key: r.key,
      handle: String(r.local.handle ?? ''),
      local: r.local,
      remoteOptions: normalizeOptions(r.remote?.options ?? r.local.options),
      variants: [],
      optionNames: [],
      collections: new Set<string>(),
      media: [],
      metafields: new Map<string, FieldValues>(),
    };
    index.byKey.set(r.key, product);
    index.byHandle.set(product.handle, product);
  }
  const ordered = rows
    .filter((r) => r.entity === 'variant')
    .sort((a, b) => Number(a.meta.position ?? 0) - Number(b.meta.position ?? 0) || a.key.localeCompare(b.key));
  for (const r of ordered) {
    const product = r.product_key ? index.byKey.get(r.product_key) : undefined;
    if (!product) continue;
    // Named as the master names them: a value renamed in the master (not pushed yet) finds its variants by the new name.
    const shopifys = (r.meta.selectedOptions ?? []) as Array<{ name: string; value: string }>;
    const selected = localSelectedOptions(product.remoteOptions, normalizeOptions(product.local.options), shopifys);
    if (product.variants.length === 0 && !(selected.length === 1 && selected[0]!.name === 'Title'))
      product.optionNames = selected.map((o) => String(o.name));
    const variant: VariantEntry = {
      key: r.key,
      productKey: product.key,
      local: r.local,
      inventoryItemId: typeof r.meta.inventoryItemId === 'string' ? r.meta.inventoryItemId : null,
      options: selected.map((o) => String(o.value)),
      title: typeof r.meta.title === 'string' ? r.meta.title : null,
    };
    product.variants.push(variant);
    if (typeof r.local.sku === 'string' && r.local.sku) push(index.bySku, r.local.sku, variant);
  }
  for (const r of rows) {
    if (r.entity === 'inventory_level') {
      index.levels.set(r.key, r.local);
      push(index.levelsOfItem, r.key.slice(0, r.key.indexOf('|')), r.key);
    } else if (r.entity === 'media' && r.product_key) {
      index.byKey.get(r.product_key)?.media.push({ key: r.key, local: r.local });
    } else if (r.entity === 'metafield' && r.product_key) {
      index.byKey.get(r.product_key)?.metafields.set(r.key, r.local);
    } else if (r.entity === 'membership' && r.product_key) {
      const collection = r.key.slice(0, r.key.indexOf('|'));
      if (!smart.has(collection)) index.byKey.get(r.product_key)?.collections.add(collection);
    }
  }
  return index;
}

/** The category cell's key in CatalogIndex.categories. */
export const categoryKey = (cell: string) => cell.trim().toLowerCase();

/** Resolves the distinct category cells of a file (by GID or full name, server/catalog/taxonomy.ts) into the index. */
export async function withCategories(
  db: Executor,
  storeId: string,
  index: CatalogIndex,
  cells: readonly string[],
  search?: CategorySearch,
): Promise<void> {
  for (const cell of new Set(cells.filter((c) => c.trim()).map((c) => c.trim()))) {
    if (index.categories.has(categoryKey(cell))) continue;
    const resolved = await resolveCategory(db, storeId, cell, search);
    index.categories.set(categoryKey(cell), 'reason' in resolved ? resolved : { id: resolved.category.id });
    if ('category' in resolved) index.categoryNames.set(resolved.category.id, resolved.category.fullName);
  }
}

/** Looks up the targets the file's reference metafield cells name by handle or SKU (by the columns' definitions), into the index. */
export async function withReferences(
  db: Executor,
  storeId: string,
  index: CatalogIndex,
  columns: ReadonlyArray<{ target: string; cells: readonly string[] }>,
): Promise<void> {
  const given = columns.flatMap(({ target, cells }) => {
    const metafield = metafieldOfTarget(target);
    const type = metafield
      ? index.metafieldDefinitions.find(
          (d) => d.ownerType === metafield.ownerType && d.namespace === metafield.namespace && d.key === metafield.key,
        )?.type
      : undefined;
    return type && isReferenceType(type) ? cells.map((cell) => ({ type, value: metafieldCellValue(type, cell) })) : [];
  });
  index.references = await lookupReferences(db, storeId, given);
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** A location by its name as the store calls it, its GID, or the number at the GID's end. */
export function findLocation(index: CatalogIndex, ref: string): { location: LocationEntry } | { reason: string } {
  const byName = index.locations.filter((l) => same(l.name, ref));
  if (byName.length > 1) return { reason: `${byName.length} locations are named "${ref.trim()}": use the location's id` };
  const location = byName[0] ?? index.locations.find((l) => l.id === ref.trim() || l.id.split('/').pop() === ref.trim());
  if (location) return { location };
  const names = index.locations.map((l) => `"${l.name}"`).join(', ');
  return { reason: `the store has no location "${ref.trim()}"${names ? ` (its locations: ${names})` : ''}` };
}

/**
 * The custom collections a cell names, comma-separated, each by handle or title. Titles holding a
 * comma are named by their handle (the export writes handles).
 */
export function findCollections(index: CatalogIndex, cell: string): { keys: string[] } | { reason: string } {
  const keys: string[] = [];
  for (const name of cell
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const found = index.collections.find((c) => c.handle === name.toLowerCase()) ?? index.collections.find((c) => same(c.title, name));
    if (!found)
      return { reason: `no collection has the handle or title "${name}" (name a collection whose title holds a comma by its handle)` };
    if (found.smart) return { reason: `"${name}" is a smart collection: Shopify chooses its products by its rules` };
    keys.push(found.key);
  }
  return { keys: [...new Set(keys)] };
}
