import { ENTITY_FIELDS, type FieldSpec } from './fields';
import { type MetafieldDefinition, metafieldColumn, metafieldOfTarget, metafieldTargetOf } from './metafields';
import type { EntityType, FieldValues } from './model';
import { parseWeightUnit, WEIGHT_UNIT_SYMBOLS, weightInGrams } from './weight';

/**
 * The fields a CSV column can be mapped to, shared by the server's import, the export and the
 * dashboard's mapping form, derived from the field list (lib/sync/fields.ts): every product, variant
 * inventory and image field with CSV columns, plus the columns that are not fields: which location a
 * quantity is for, the option values that find a variant, and the custom collections a product is
 * in. Matrixify's per-location stock columns ("Inventory Available: Main Warehouse") map to a
 * quantity target of their own, `available:<location name>`. sku and handle are also the keys that
 * find the product or variant a row changes.
 */

/** Entities a CSV row can change, in the order their columns are offered. */
const IMPORT_ENTITIES = ['product', 'variant', 'inventory_level', 'media'] as const satisfies readonly EntityType[];
type ImportEntity = (typeof IMPORT_ENTITIES)[number];
type CsvField = FieldSpec & { csv: NonNullable<FieldSpec['csv']> };

const importable = IMPORT_ENTITIES.flatMap((entity) =>
  ENTITY_FIELDS[entity].filter((f) => f.csv).map((spec) => ({ entity, spec: spec as CsvField })),
);

/** Columns that are not synced fields: they qualify a row (where, which variant) or set memberships. */
const HELPERS = {
  location: { label: 'Location (for quantities)', column: 'Location', aliases: ['locationid', 'warehouse', 'store', 'inventorylocation'] },
  option1: { label: 'Option 1 value', column: 'Option1 Value', aliases: ['option1'] },
  option2: { label: 'Option 2 value', column: 'Option2 Value', aliases: ['option2'] },
  option3: { label: 'Option 3 value', column: 'Option3 Value', aliases: ['option3'] },
  option1Name: { label: 'Option 1 name', column: 'Option1 Name', aliases: [] },
  option2Name: { label: 'Option 2 name', column: 'Option2 Name', aliases: [] },
  option3Name: { label: 'Option 3 name', column: 'Option3 Name', aliases: [] },
  collections: { label: 'Custom collections', column: 'Custom Collections', aliases: ['collections', 'customcollection'] },
} as const;
export const OPTION_TARGETS = ['option1', 'option2', 'option3'] as const;
/** The option names of a product's rows: a name or value that differs from the master's renames it (lib/sync/options.ts). */
export const OPTION_NAME_TARGETS = ['option1Name', 'option2Name', 'option3Name'] as const;

/** A field name of the list below, a helper column, or `available:<location name>`. */
export type ImportTarget = string;
export const IMPORT_TARGETS: readonly ImportTarget[] = [...importable.map((t) => t.spec.name), ...Object.keys(HELPERS)];
export const KEY_TARGETS = ['sku', 'handle'] as const;

const QUANTITY_AT = 'available:';
/** Matrixify's stock column per location. */
const QUANTITY_HEADER = /^inventory\s+available:\s*(.+)$/i;

/** The quantity target of one location (by its name), and the location a target names (null if none). */
export const quantityTarget = (locationName: string) => `${QUANTITY_AT}${locationName}`;
export const quantityLocation = (target: string) => (target.startsWith(QUANTITY_AT) ? target.slice(QUANTITY_AT.length) : null);
export const quantityHeader = (locationName: string) => `Inventory Available: ${locationName}`;

export function isImportTarget(target: string): boolean {
  return IMPORT_TARGETS.includes(target) || Boolean(quantityLocation(target)?.trim()) || Boolean(metafieldOfTarget(target));
}

/**
 * Targets whose column holds the value in another form than the field: Shopify's CSV gives the
 * weight in grams, turned into the variant's unit (a column of kilograms mapped here would be read as grams).
 */
const COLUMN_FORMS: Readonly<Record<string, string>> = { weight: 'Weight in grams' };

export const IMPORT_TARGET_LABELS: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(
    importable.map(({ spec }) => [
      spec.name,
      (KEY_TARGETS as readonly string[]).includes(spec.name) ? `${spec.label} (key)` : (COLUMN_FORMS[spec.name] ?? spec.label),
    ]),
  ),
  ...Object.fromEntries(Object.entries(HELPERS).map(([target, h]) => [target, h.label])),
});

export function targetLabel(target: string): string {
  const location = quantityLocation(target);
  const metafield = metafieldOfTarget(target);
  if (metafield) return `${metafield.ownerType === 'PRODUCT' ? 'Metafield' : 'Variant metafield'} ${metafield.namespace}.${metafield.key}`;
  return location ? `Available at ${location}` : (IMPORT_TARGET_LABELS[target] ?? target);
}

/** The entity a target's value belongs to (null for the helper columns). */
export function targetEntity(target: string): ImportEntity | null {
  if (quantityLocation(target)) return 'inventory_level';
  return importable.find((t) => t.spec.name === target)?.entity ?? null;
}

/** The field of a target (null for the helper columns). */
export function targetSpec(target: string): FieldSpec | null {
  const name = quantityLocation(target) ? 'available' : target;
  return importable.find((t) => t.spec.name === name)?.spec ?? null;
}

/** A header reduced to letters and digits, the way headers are matched ("Variant SKU" -> "variantsku"). */
export const squashHeader = (header: string) =>
  header
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]/g, '');

/** Headers that suggest each target: Shopify's export column first, then the aliases people use. */
export const TARGET_HEADERS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ...importable.map(({ spec }) => [spec.name, [squashHeader(spec.csv.column), ...spec.csv.aliases]] as const),
  ...Object.entries(HELPERS).map(([target, h]) => [target, [squashHeader(h.column), ...h.aliases]] as const),
];

/** The target a header suggests by its exact shape (a per-location stock column), before names are matched. */
export function patternTarget(header: string): ImportTarget | null {
  const metafield = metafieldTargetOf(header);
  if (metafield) return metafield;
  const location = QUANTITY_HEADER.exec(header.trim())?.[1]?.trim();
  return location ? quantityTarget(location) : null;
}

/** How Shopify's product CSV marks an inventory-tracked variant in "Variant Inventory Tracker". */
export const TRACKER_WORD = 'shopify';

/** What a cell needs beside its value: the entity's document (a weight's unit), the names of categories by GID. */
export interface CellContext {
  doc?: FieldValues;
  categoryNames?: ReadonlyMap<string, string>;
}

/**
 * A value as Shopify's product CSV writes it (lowercase enums, TRUE/FALSE, tags joined by ", ", a
 * category by its full name, the weight in grams and its unit as g, kg, oz or lb).
 */
export function formatCell(spec: FieldSpec, value: unknown, context: CellContext = {}): string {
  if (value === null || value === undefined) return '';
  if (spec.name === 'tracked') return value === true ? TRACKER_WORD : '';
  if (spec.type === 'category') return context.categoryNames?.get(String(value)) ?? String(value);
  if (spec.name === 'weight') return weightInGrams(value, parseWeightUnit(context.doc?.weightUnit) ?? 'GRAMS') ?? '';
  if (spec.name === 'weightUnit') {
    const unit = parseWeightUnit(value);
    return unit ? WEIGHT_UNIT_SYMBOLS[unit] : String(value);
  }
  if (spec.type === 'tags') return (value as string[]).join(', ');
  if (spec.type === 'boolean') return value === true ? 'TRUE' : 'FALSE';
  if (spec.type === 'enum') return String(value).toLowerCase();
  return String(value);
}

/** One column of Shopify's product CSV as we write it. */
export type ShopifyColumn =
  | { header: string; kind: 'field'; entity: 'product' | 'variant' | 'media'; spec: FieldSpec }
  | { header: string; kind: 'optionName' | 'optionValue'; position: number }
  | { header: string; kind: 'quantity'; location: { id: string; name: string } }
  | { header: string; kind: 'collections' }
  | { header: string; kind: 'metafield'; definition: MetafieldDefinition };

const fieldColumns = (entity: 'product' | 'variant' | 'media') =>
  importable.filter((t) => t.entity === entity).map(({ spec }) => ({ header: spec.csv.column, kind: 'field' as const, entity, spec }));

/**
 * The columns of the export and the template, in the order of Shopify's own export: Handle first,
 * the product's columns, the options, the variant's columns, the image's (image n of a product on its
 * nth row, on rows of their own past its variants, as Shopify writes them), one stock column per location
 * ("Inventory Available: <name>", as Matrixify writes them), the custom collections, one column
 * per product metafield definition ("Material (product.metafields.custom.material)", as Shopify names them)
 * and one per variant metafield definition ("Size chart (variant.metafields.custom.size_chart)").
 */
export function shopifyColumns(
  locations: ReadonlyArray<{ id: string; name: string }>,
  definitions: readonly MetafieldDefinition[] = [],
): ShopifyColumn[] {
  const product = fieldColumns('product');
  const handle = product.filter((c) => c.spec.name === 'handle');
  return [
    ...handle,
    ...product.filter((c) => c.spec.name !== 'handle'),
    ...[1, 2, 3].flatMap((position) => [
      { header: HELPERS[`option${position}Name` as (typeof OPTION_NAME_TARGETS)[number]].column, kind: 'optionName' as const, position },
      { header: HELPERS[`option${position}` as (typeof OPTION_TARGETS)[number]].column, kind: 'optionValue' as const, position },
    ]),
    ...fieldColumns('variant'),
    ...fieldColumns('media'),
    ...locations.map((location) => ({ header: quantityHeader(location.name), kind: 'quantity' as const, location })),
    { header: HELPERS.collections.column, kind: 'collections' as const },
    ...(['PRODUCT', 'PRODUCTVARIANT'] as const).flatMap((owner) =>
      definitions
        .filter((d) => d.ownerType === owner)
        .map((definition) => ({ header: metafieldColumn(definition), kind: 'metafield' as const, definition })),
    ),
  ];
}
