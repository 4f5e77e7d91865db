import { moneySchema } from '../../../lib/sync/fields';
import {
  type ImportTarget,
  OPTION_NAME_TARGETS,
  OPTION_TARGETS,
  quantityLocation,
  TRACKER_WORD,
  targetEntity,
  targetSpec,
} from '../../../lib/sync/import-targets';
import { type MetafieldValue, metafieldCellValue, metafieldKey, metafieldOfTarget } from '../../../lib/sync/metafields';
import { parseWeightUnit, weightFromGrams } from '../../../lib/sync/weight';
import { planMetafieldEdit } from '../edits';
import {
  type CatalogIndex,
  categoryKey,
  findCollections,
  findLocation,
  type LocationEntry,
  type ProductEntry,
  type VariantEntry,
} from './catalog-index';
import { normalizeBoolean, normalizeNumber } from './csv';
import { isNewVariant, type NewVariantRow, newVariantRow, placeNewQuantity } from './new-rows';

/**
 * One row of a file read against the master: which product and variant it is about, and what it
 * says of them. Two layouts: Shopify's product CSV (rows grouped by Handle; a variant found by
 * Variant SKU or by its option values; a blank cell on a row that carries an entity's columns
 * clears a field that can be empty) and a supplier's list keyed by SKU (one row per variant; a blank
 * cell leaves the field as it is, except an amount, which it removes).
 */

export interface RowError {
  row: number;
  column: string | null;
  reason: string;
}

export interface FileLayout {
  headers: string[];
  mapping: Record<string, ImportTarget>;
  keyColumn: string;
  keyTarget: 'sku' | 'handle';
  /** The location of quantities whose row names none (picked for the whole file). */
  fileLocation: LocationEntry | null;
  /** Locations of the per-location stock columns, by target. */
  quantityLocations: Map<ImportTarget, LocationEntry>;
}

/** A given value, the column it came from and the cell as written. */
export interface Given {
  value: unknown;
  column: string;
  raw: string;
}

export interface ReadRow {
  row: number;
  product?: ProductEntry;
  variant?: VariantEntry;
  /** Product fields (and `collections`: collection keys) the row gives; empty when it carries no product column. */
  productValues: Map<string, Given>;
  variantValues: Map<string, Given>;
  /** Image columns (src, position, alt) the row gives; empty when it carries none. */
  mediaValues: Map<string, Given>;
  quantities: Array<{ key: string; available: number; column: string }>;
  /** Option name and value cells by position (null: no such column, or blank), read against the master's (imports/options.ts). */
  optionCells: { names: Array<OptionCell | null>; values: Array<OptionCell | null> };
  /** What the row says, by target, as the preview shows it. */
  values: Record<string, unknown>;
  errors: RowError[];
  /** The handle of a product the master does not have: the row makes it (new-rows.ts). */
  newProduct?: string;
  /** A variant the product does not have (its option values in option order, and the names a new product's row gives). */
  newVariant?: NewVariantRow;
}

type Cell = { value: unknown } | { reason: string } | { skip: true };
const SKIP: Cell = { skip: true };

/** Turns one filled cell into the field's canonical value, or a reason it cannot be. */
export function cellValue(target: ImportTarget, raw: string): { value: unknown } | { reason: string } {
  const spec = targetSpec(target);
  if (!spec) return { value: raw };
  const checked = (value: unknown) => {
    const parsed = spec.schema.safeParse(value);
    return parsed.success ? { value: spec.normalize(parsed.data) } : { reason: parsed.error.issues[0]?.message ?? 'invalid value' };
  };
  if (spec.type === 'money') {
    if (raw.trim() === '' && target !== 'price') return { value: null };
    const n = normalizeNumber(raw);
    if (n === null) return { reason: `"${raw}" is not an amount` };
    const parsed = moneySchema.safeParse(n);
    return parsed.success ? { value: parsed.data } : { reason: parsed.error.issues[0]?.message ?? 'invalid amount' };
  }
  if (spec.type === 'integer') {
    const n = normalizeNumber(raw);
    if (n === null || !/^-?\d+$/.test(n)) return { reason: `"${raw}" is not a whole number` };
    return checked(Number(n));
  }
  if (spec.type === 'boolean') {
    const b = spec.name === 'tracked' && raw.trim().toLowerCase() === TRACKER_WORD ? true : normalizeBoolean(raw);
    return b === null ? { reason: `"${raw}" is not yes or no` } : { value: b };
  }
  return checked(raw);
}

function readCell(target: ImportTarget, raw: string, blankClears: boolean): Cell {
  if (raw.trim() !== '') return cellValue(target, raw);
  if (!blankClears) return targetSpec(target)?.type === 'money' ? cellValue(target, raw) : SKIP;
  const cleared = cellValue(target, raw);
  return 'reason' in cleared ? SKIP : cleared;
}

const isHelper = (t: ImportTarget) =>
  t === 'location' || (OPTION_TARGETS as readonly string[]).includes(t) || (OPTION_NAME_TARGETS as readonly string[]).includes(t);
const isProductTarget = (t: ImportTarget) =>
  t === 'collections' || targetEntity(t) === 'product' || metafieldOfTarget(t)?.ownerType === 'PRODUCT';
const isMediaTarget = (t: ImportTarget) => targetEntity(t) === 'media';
const isVariantTarget = (t: ImportTarget) =>
  (OPTION_TARGETS as readonly string[]).includes(t) ||
  targetEntity(t) === 'variant' ||
  targetEntity(t) === 'inventory_level' ||
  metafieldOfTarget(t)?.ownerType === 'PRODUCTVARIANT';

/** Reads one row; null for a row with nothing on it (a blank line, or one of Shopify's image rows). */
export function readRow(layout: FileLayout, index: CatalogIndex, cells: string[], row: number): ReadRow | null {
  if (cells.every((c) => c.trim() === '')) return null;
  // Cells keep their spaces (a quoted " Acme" is a value); blank means only spaces.
  const cell = (header: string) => cells[layout.headers.indexOf(header)] ?? '';
  const columns = Object.entries(layout.mapping)
    .filter(([header]) => header !== layout.keyColumn)
    .map(([header, target]) => ({ header, target, raw: cell(header) }));
  const key = cell(layout.keyColumn).trim();
  const filled = (c: Column) => c.raw.trim() !== '';
  const carriesProduct = columns.some((c) => isProductTarget(c.target) && filled(c));
  const carriesVariant = layout.keyTarget === 'sku' || columns.some((c) => isVariantTarget(c.target) && filled(c));
  // An image is a row's Image Src: the other image cells only qualify it.
  const carriesImage = columns.some((c) => c.target === 'src' && filled(c));
  if (layout.keyTarget === 'handle' && !carriesProduct && !carriesVariant && !carriesImage) return null;
  const out: ReadRow = {
    row,
    productValues: new Map(),
    variantValues: new Map(),
    mediaValues: new Map(),
    quantities: [],
    optionCells: { names: OPTION_NAME_TARGETS.map(optionCell(columns)), values: OPTION_TARGETS.map(optionCell(columns)) },
    values: { [layout.keyTarget]: key },
    errors: [],
  };
  const fail = (column: string | null, reason: string) => out.errors.push({ row, column, reason });
  identify(layout, index, out, key, columns, carriesVariant, fail, (header) => cell(header));
  const blankClears = layout.keyTarget === 'handle';
  for (const c of columns) {
    if (isMediaTarget(c.target)) {
      if (!carriesImage) continue;
      if (layout.keyTarget !== 'handle') {
        fail(c.header, "image columns need the Handle layout (Shopify's product CSV)");
        continue;
      }
      const parsed = readCell(c.target, c.raw, true);
      if ('reason' in parsed) fail(c.header, parsed.reason);
      else if (!('skip' in parsed)) {
        out.mediaValues.set(c.target, { value: parsed.value, column: c.header, raw: c.raw });
        out.values[c.target] = parsed.value;
      }
      continue;
    }
    const product = isProductTarget(c.target);
    if ((product && !carriesProduct) || (!product && !carriesVariant) || isHelper(c.target)) continue;
    if (c.target === 'collections') {
      if (!filled(c) && !blankClears) continue;
      const found = findCollections(index, c.raw);
      if ('reason' in found) fail(c.header, found.reason);
      else {
        out.productValues.set('collections', { value: found.keys, column: c.header, raw: c.raw });
        out.values.collections = c.raw;
      }
      continue;
    }
    const metafield = metafieldOfTarget(c.target);
    if (metafield) {
      if (!filled(c) && !blankClears) continue;
      const owner = metafield.ownerType === 'PRODUCT' ? out.product : out.variant;
      if (owner) readMetafieldCell(index, out, c, owner.key, metafield, fail);
      else if (filled(c) && (out.newProduct || out.newVariant))
        fail(c.header, 'metafields of a product or variant the file makes are set once it exists: leave the cell blank');
      continue;
    }
    const parsed = c.target === 'category' && filled(c) ? categoryCell(index, c.raw) : readCell(c.target, c.raw, blankClears);
    if ('skip' in parsed) continue;
    if ('reason' in parsed) {
      fail(c.header, parsed.reason);
      continue;
    }
    out.values[c.target] = parsed.value;
    const entity = targetEntity(c.target);
    const given = { value: parsed.value, column: c.header, raw: c.raw };
    if (entity === 'product') out.productValues.set(c.target, given);
    else if (entity === 'variant') out.variantValues.set(c.target, given);
    else if (out.variant) placeQuantity(layout, index, out, c, parsed.value as number, cell, fail);
    else if (out.newVariant) placeNewQuantity(layout, index, out.newVariant, c, parsed.value as number, cell, fail);
  }
  gramsToWeight(out);
  if (layout.keyTarget === 'sku' && out.errors.length === 0 && Object.keys(out.values).length === 1)
    fail(null, 'the row changes no mapped field');
  return out;
}

type Column = { header: string; target: ImportTarget; raw: string };

/** A filled option name or value cell. */
export type OptionCell = { column: string; text: string };
const optionCell = (columns: Column[]) => (target: ImportTarget) => {
  const c = columns.find((x) => x.target === target);
  return c && c.raw.trim() !== '' ? { column: c.header, text: c.raw.trim() } : null;
};
/** A "Product Category" cell: a category by full name or GID, resolved before the rows are read (withCategories). */
function categoryCell(index: CatalogIndex, raw: string): Cell {
  const found = index.categories.get(categoryKey(raw));
  if (!found) return { reason: `the category "${raw.trim()}" was not looked up` };
  return 'reason' in found ? found : { value: found.id };
}

/**
 * Shopify's CSV gives a weight in grams ("Variant Grams") and the unit it is shown in ("Variant
 * Weight Unit"): the weight is the grams in that unit, else in the variant's unit (else grams).
 * The grams the export writes convert back exactly, so an unedited file changes no weight.
 */
function gramsToWeight(out: ReadRow): void {
  const grams = out.variantValues.get('weight');
  if (!grams) return;
  const given = out.variantValues.get('weightUnit')?.value;
  const unit = parseWeightUnit(given) ?? parseWeightUnit(out.variant?.local.weightUnit);
  const weight = weightFromGrams(String(grams.value), unit ?? 'GRAMS');
  out.variantValues.set('weight', { ...grams, value: weight });
  out.values.weight = weight;
  // A variant with no unit yet takes grams, written with the weight (never paired with another unit).
  if (!unit) {
    out.variantValues.set('weightUnit', { value: 'GRAMS', column: grams.column, raw: grams.raw });
    out.values.weightUnit = 'GRAMS';
  }
}

/**
 * A metafield's cell (`Material (product.metafields.custom.material)` of the product, `Size chart
 * (variant.metafields.custom.size_chart)` of the row's variant), checked against the definition's type
 * (or the type of the value the master holds): the value is the metafield's document (`{type, value}`,
 * or null for a blank cell: no value), among the product's or the variant's values by target.
 */
function readMetafieldCell(
  index: CatalogIndex,
  out: ReadRow,
  c: Column,
  ownerId: string,
  metafield: { ownerType: string; namespace: string; key: string },
  fail: (column: string | null, reason: string) => void,
) {
  const product = out.product!;
  const { namespace, key } = metafield;
  const definition = index.metafieldDefinitions.find(
    (d) => d.ownerType === metafield.ownerType && d.namespace === namespace && d.key === key,
  );
  const rows = [...product.metafields].map(([k, local]) => ({ entity: 'metafield' as const, key: k, local }));
  const held = product.metafields.get(metafieldKey(ownerId, namespace, key))?.value as MetafieldValue | undefined;
  const type = definition?.type ?? held?.type;
  const edit = { namespace, key, value: type ? metafieldCellValue(type, c.raw) : c.raw.trim() || null };
  const planned = planMetafieldEdit(rows, product.key, ownerId, edit, c.header, definition, index.references);
  if ('problem' in planned) return fail(c.header, planned.problem.message);
  out.values[c.target] = c.raw;
  const given = { value: planned.write.values.value, column: c.header, raw: c.raw };
  (metafield.ownerType === 'PRODUCT' ? out.productValues : out.variantValues).set(c.target, given);
}

/** Finds the row's product and variant. */
function identify(
  layout: FileLayout,
  index: CatalogIndex,
  out: ReadRow,
  key: string,
  columns: Column[],
  carriesVariant: boolean,
  fail: (column: string | null, reason: string) => void,
  cells: (header: string) => string,
) {
  if (layout.keyTarget === 'sku') {
    const found = index.bySku.get(key) ?? [];
    if (!key) fail(layout.keyColumn, 'the SKU is empty');
    else if (found.length === 0) fail(layout.keyColumn, `no variant has SKU ${key}`);
    else if (found.length > 1) fail(layout.keyColumn, `${found.length} variants share SKU ${key}`);
    else [out.variant, out.product] = [found[0], index.byKey.get(found[0]!.productKey)];
    return;
  }
  out.product = index.byHandle.get(key);
  if (!key) return fail(layout.keyColumn, 'the handle is empty');
  const sku = columns.find((c) => c.target === 'sku')?.raw.trim() ?? '';
  const options = OPTION_TARGETS.map((t) => columns.find((c) => c.target === t)?.raw.trim() ?? '');
  if (!out.product) {
    // An unknown handle is a product the file makes; its variant rows are its variants.
    out.newProduct = key;
    if (carriesVariant) out.newVariant = newVariantRow(options, layout.headers, cells);
    return;
  }
  if (!carriesVariant) return;
  const found = findVariant(out.product, sku, options);
  if ('reason' in found) {
    if (isNewVariant(out.product, sku, options)) out.newVariant = newVariantRow(options, layout.headers, cells);
    else fail(columns.find((c) => c.target === 'sku')?.header ?? layout.keyColumn, found.reason);
  } else out.variant = found.variant;
}

/** A variant of the product by SKU, else by its option values, else the product's only variant. */
function findVariant(product: ProductEntry, sku: string, options: string[]): { variant: VariantEntry } | { reason: string } {
  const bySku = sku ? product.variants.filter((v) => v.local.sku === sku) : [];
  if (bySku.length === 1) return { variant: bySku[0]! };
  const given = options.map((value, i) => [i, value.toLowerCase()] as const).filter(([, value]) => value !== '');
  if (given.length) {
    const matching = product.variants.filter((v) => given.every(([i, value]) => (v.options[i] ?? '').toLowerCase() === value));
    if (matching.length === 1) return { variant: matching[0]! };
    const named = options.filter(Boolean).join(' / ');
    return {
      reason: matching.length
        ? `${matching.length} variants of ${product.handle} have the options ${named}`
        : `no variant of ${product.handle} has ${sku ? `SKU ${sku} or ` : ''}the options ${named}`,
    };
  }
  if (product.variants.length === 1) return { variant: product.variants[0]! };
  const which = 'give the option values to say which';
  return {
    reason:
      bySku.length > 1
        ? `${bySku.length} variants of ${product.handle} share SKU ${sku}: ${which}`
        : sku
          ? `no variant of ${product.handle} has SKU ${sku}`
          : `${product.handle} has ${product.variants.length} variants: give the Variant SKU or the option values to say which`,
  };
}

/** Puts a quantity at its location: the column's own, the row's Location cell, the file's, or the variant's only one. */
function placeQuantity(
  layout: FileLayout,
  index: CatalogIndex,
  out: ReadRow,
  c: Column,
  available: number,
  cell: (header: string) => string,
  fail: (column: string | null, reason: string) => void,
) {
  const item = out.variant!.inventoryItemId ?? '';
  const locationColumn = Object.keys(layout.mapping).find((h) => layout.mapping[h] === 'location');
  const rowLocation = locationColumn ? cell(locationColumn).trim() : '';
  let location = layout.quantityLocations.get(c.target) ?? null;
  if (!quantityLocation(c.target) && rowLocation) {
    const found = findLocation(index, rowLocation);
    if ('reason' in found) return fail(locationColumn!, found.reason);
    location = found.location;
  }
  location ??= layout.fileLocation;
  const stocked = index.levelsOfItem.get(item) ?? [];
  if (!location && stocked.length !== 1) {
    return fail(
      c.header,
      stocked.length
        ? `${c.header} needs a location: add a Location column, or pick the location for the whole file`
        : 'the variant is not stocked at any location',
    );
  }
  const key = location ? `${item}|${location.id}` : stocked[0]!;
  if (!index.levels.has(key)) return fail(c.header, `the variant is not stocked at ${location?.name ?? 'that location'}`);
  const twice = out.quantities.find((q) => q.key === key);
  if (twice && twice.available !== available)
    return fail(c.header, `${c.header} says ${available} but ${twice.column} says ${twice.available} for the same location`);
  out.quantities.push({ key, available, column: c.header });
}
