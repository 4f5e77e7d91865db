import { ENTITY_FIELDS, type FieldSpec } from './fields';
import { type MetafieldDefinition, metafieldColumn, metafieldOfTarget, metafieldTargetOf } from './metafields';
import type { EntityType } from './model';

/**
 * The fields a CSV column can be mapped to, shared by the server's import, the export and the
 * dashboard's mapping form, derived from the field list (lib/sync/fields.ts): every product, variant
 * and inventory field with CSV columns, plus the columns that are not fields: which location a
 * quantity is for, the option values that find a variant, and the custom collections a product is
 * in. Matrixify's per-location stock columns ("Inventory Available: Main Warehouse") map to a
 * quantity target of their own, `available:<location name>`. sku and handle are also the keys that
 * find the product or variant a row changes.
 */

/** Entities a CSV row can change, in the order their columns are offered. */
const IMPORT_ENTITIES = ['product', 'variant', 'inventory_level'] as const satisfies readonly EntityType[];
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
  collections: { label: 'Custom collections', column: 'Custom Collections', aliases: ['collections', 'customcollection'] },
} as const;
export const OPTION_TARGETS = ['option1', 'option2', 'option3'] as const;

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

export const IMPORT_TARGET_LABELS: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(
    importable.map(({ spec }) => [spec.name, (KEY_TARGETS as readonly string[]).includes(spec.name) ? `${spec.label} (key)` : spec.label]),
  ),
  ...Object.fromEntries(Object.entries(HELPERS).map(([target, h]) => [target, h.label])),
});

export function targetLabel(target: string): string {
  const location = quantityLocation(target);
  const metafield = metafieldOfTarget(target);
  if (metafield) return `Metafield ${metafield.namespace}.${metafield.key}`;
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

/** A value as Shopify's product CSV writes it (lowercase enums, TRUE/FALSE, tags joined by ", "). */
export function formatCell(spec: FieldSpec, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (spec.name === 'tracked') return value === true ? TRACKER_WORD : '';
  if (spec.type === 'tags') return (value as string[]).join(', ');
  if (spec.type === 'boolean') return value === true ? 'TRUE' : 'FALSE';
  if (spec.type === 'enum') return String(value).toLowerCase();
  return String(value);
}

/** One column of Shopify's product CSV as we write it. */
export type ShopifyColumn =
  | { header: string; kind: 'field'; entity: 'product' | 'variant'; spec: FieldSpec }
  | { header: string; kind: 'optionName' | 'optionValue'; position: number }
  | { header: string; kind: 'quantity'; location: { id: string; name: string } }
  | { header: string; kind: 'collections' }
  | { header: string; kind: 'metafield'; definition: MetafieldDefinition };

const fieldColumns = (entity: 'product' | 'variant') =>
  importable.filter((t) => t.entity === entity).map(({ spec }) => ({ header: spec.csv.column, kind: 'field' as const, entity, spec }));

/**
 * The columns of the export and the template, in the order of Shopify's own export: Handle first,
 * the product's columns, the options, the variant's columns, one stock column per location
 * ("Inventory Available: <name>", as Matrixify writes them), the custom collections and one column
 * per product metafield definition ("Material (product.metafields.custom.material)", as Shopify names them).
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
      { header: `Option${position} Name`, kind: 'optionName' as const, position },
      { header: HELPERS[`option${position}` as (typeof OPTION_TARGETS)[number]].column, kind: 'optionValue' as const, position },
    ]),
    ...fieldColumns('variant'),
    ...locations.map((location) => ({ header: quantityHeader(location.name), kind: 'quantity' as const, location })),
    { header: HELPERS.collections.column, kind: 'collections' as const },
    ...definitions
      .filter((d) => d.ownerType === 'PRODUCT')
      .map((definition) => ({ header: metafieldColumn(definition), kind: 'metafield' as const, definition })),
  ];
}
