import { z } from 'zod';
import { metafieldValueSchema, normalizeMetafield } from './metafields';
import type { EntityType, FieldValues, Priority } from './model';
import { matchOptions, normalizeOptions, optionsSchema } from './options';
import { categorySchema, normalizeCategory } from './taxonomy';
import { normalizeWeight, parseWeightUnit, weightSchema, weightUnitSchema } from './weight';

/**
 * The one list of synced fields (DESIGN.md): per entity, each field's label, canonical form, the
 * validation applied to values people bring, push priority, where Shopify keeps it (read path in a
 * query, write path in a mutation input) and its CSV columns. Queries, push inputs, the CSV import's
 * targets and the review's labels are derived from here (lib/shopify/selection.ts,
 * lib/sync/import-targets.ts); adding a field is one entry plus the emulator's support.
 * Documents stored in catalog_entities.{local,base,remote} hold exactly these keys, normalized.
 */

export interface FieldSpec {
  name: string;
  label: string;
  /** Canonical form: equal values compare equal after normalize (prices "9.9" and "9.90"). */
  normalize(value: unknown): unknown;
  /** Validation of a value coming from a person (edit, CSV, custom conflict resolution). */
  schema: z.ZodType;
  priority: Priority;
  /** Long text: the review page shows a text diff instead of two values. */
  long?: boolean;
  /** Kind of value, for display and deltas. */
  type: 'text' | 'money' | 'enum' | 'tags' | 'boolean' | 'integer' | 'presence' | 'options' | 'decimal' | 'category' | 'metafield';
  /**
   * Where Shopify keeps the field, as dotted paths: `read` in the object a query selects (Product,
   * ProductVariant, Collection), `write` in the mutation's input (ProductUpdateInput, ProductSetInput,
   * ProductVariantsBulkInput). Absent for inventory and membership, which are relations written by
   * their own mutations (inventorySetQuantities, collectionsToJoin/Leave). `select`: the paths
   * selected under `read` when it is an object (a list of objects); no `write`: the field has its
   * own mutations (options: productOptionUpdate, productOptionsReorder).
   */
  shopify?: { read: string; write?: string; select?: readonly string[] };
  /** CSV columns: the header of Shopify's product export, and other headers people bring for it. */
  csv?: { column: string; aliases: readonly string[] };
  /**
   * Why a valid value still cannot be written over what Shopify holds (`remote`), or null: checked
   * on a reviewer's custom value (options: only renames and reorders of Shopify's options are pushed).
   */
  writable?(value: unknown, remote: unknown): string | null;
  /**
   * A field Shopify's input takes only together with this one (one input object needs both, like
   * WeightInput's value and unit): a write of either carries the other as Shopify holds it at the
   * write, so writing one never changes the other (withCompanions).
   */
  writeWith?: string;
  /**
   * Shopify decides the value once the entity exists (it re-hosts an image added by URL on its CDN):
   * a change on its side is adopted into base and master without review, and nothing proposes one.
   */
  shopifyOwned?: true;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** "9.9" -> "9.90", "009.900" -> "9.90", "1.005" -> "1.005"; keeps precision, never uses floats. */
export function normalizeDecimal(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = typeof value === 'number' ? String(value) : String(value).trim();
  if (!DECIMAL.test(text)) return text;
  const negative = text.startsWith('-');
  const [intRaw, fracRaw = ''] = text.replace('-', '').split('.');
  const int = intRaw!.replace(/^0+(?=\d)/, '');
  let frac = fracRaw.replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  const out = `${int}.${frac}`;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const nullableText = (v: unknown) => (v === null || v === undefined || String(v).trim() === '' ? null : String(v));
const bool = (v: unknown) => v === true || v === 'true';
const upper = (v: unknown) => (v === null || v === undefined ? v : String(v).toUpperCase());

export function normalizeTags(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return [...new Set(list.map((t) => String(t).trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'en'));
}

export const moneySchema = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^\d+(\.\d{1,2})?$/.test(v), { message: 'must be a non-negative amount with at most 2 decimals' })
  .refine((v) => Number(v) < 1e12, { message: 'must be less than 1,000,000,000,000' })
  .transform((v) => normalizeDecimal(v)!);

const nullableMoney = z.union([z.null(), z.literal('').transform(() => null), moneySchema]);

/** Optional text: blank is no value (null). */
const optionalText = (max: number) =>
  z.union([
    z.null(),
    z
      .string()
      .trim()
      .max(max, `must be at most ${max} characters`)
      .transform((v) => v || null),
  ]);

export const HANDLE_PATTERN = /^[a-z0-9\p{L}]+(?:-[a-z0-9\p{L}]+)*$/u;

/** A field Shopify keeps under the same name on the object and in the mutation's input. */
function synced(name: string, spec: Omit<FieldSpec, 'name' | 'shopify'> & Partial<Pick<FieldSpec, 'shopify'>>): FieldSpec {
  return { name, shopify: { read: name, write: name }, ...spec };
}
/** The column of Shopify's product CSV for a field, and the other headers people bring for it. */
const csv = (column: string, ...aliases: string[]) => ({ column, aliases });

const TEXT = { type: 'text', priority: 'normal', normalize: text } as const;
const OPTIONAL_TEXT = { type: 'text', priority: 'normal', normalize: nullableText } as const;
const MONEY = { type: 'money', priority: 'high', normalize: normalizeDecimal } as const;
const BOOLEAN = { type: 'boolean', priority: 'normal', normalize: bool, schema: z.boolean() } as const;
const shortText = z.string().max(255, 'must be at most 255 characters');

const productFields: FieldSpec[] = [
  synced('title', {
    ...TEXT,
    label: 'Title',
    schema: z.string().trim().min(1, 'must not be blank').max(255, 'must be at most 255 characters'),
    csv: csv('Title', 'name', 'productname', 'producttitle'),
  }),
  synced('handle', {
    ...TEXT,
    label: 'Handle',
    schema: shortText.regex(HANDLE_PATTERN, 'must be lowercase letters, digits and single hyphens (like "blue-shirt")'),
    csv: csv('Handle', 'producthandle', 'slug', 'urlhandle'),
  }),
  synced('descriptionHtml', {
    ...TEXT,
    label: 'Description',
    long: true,
    priority: 'low',
    schema: z.string().max(512 * 1024, 'must be at most 512 KB'),
    csv: csv('Body (HTML)', 'description', 'descriptionhtml', 'body'),
  }),
  synced('vendor', { ...TEXT, label: 'Vendor', schema: shortText, csv: csv('Vendor', 'brand', 'manufacturer', 'supplier') }),
  synced('productType', { ...TEXT, label: 'Product type', schema: shortText, csv: csv('Type', 'producttype') }),
  synced('status', {
    label: 'Status',
    type: 'enum',
    priority: 'high',
    normalize: upper,
    schema: z.preprocess(upper, z.enum(['ACTIVE', 'DRAFT', 'ARCHIVED'], { message: 'must be ACTIVE, DRAFT or ARCHIVED' })),
    csv: csv('Status', 'productstatus'),
  }),
  synced('tags', {
    label: 'Tags',
    type: 'tags',
    priority: 'normal',
    normalize: normalizeTags,
    schema: z
      .union([z.array(z.string()), z.string()])
      .transform(normalizeTags)
      .refine((t) => t.length <= 250, { message: 'must be at most 250 tags' })
      .refine((t) => t.every((x) => x.length <= 255), { message: 'each tag must be at most 255 characters' }),
    csv: csv('Tags', 'keywords'),
  }),
  {
    ...OPTIONAL_TEXT,
    name: 'seoTitle',
    label: 'SEO title',
    priority: 'low',
    schema: optionalText(255),
    shopify: { read: 'seo.title', write: 'seo.title' },
    csv: csv('SEO Title', 'seotitle', 'metatitle', 'pagetitle'),
  },
  {
    ...OPTIONAL_TEXT,
    name: 'seoDescription',
    label: 'SEO description',
    priority: 'low',
    schema: optionalText(320),
    shopify: { read: 'seo.description', write: 'seo.description' },
    csv: csv('SEO Description', 'seodescription', 'metadescription'),
  },
  {
    // Names and order only (lib/sync/options.ts); the CSV carries them as Option1 Name / Option1 Value.
    name: 'options',
    label: 'Options',
    type: 'options',
    priority: 'normal',
    normalize: normalizeOptions,
    schema: optionsSchema,
    shopify: { read: 'options', select: ['name', 'optionValues.name'] },
    writable(value, remote) {
      const match = matchOptions(normalizeOptions(remote), normalizeOptions(value));
      return match.ok ? null : match.message;
    },
  },
  {
    name: 'category',
    label: 'Category',
    type: 'category',
    priority: 'normal',
    normalize: normalizeCategory,
    schema: categorySchema,
    shopify: { read: 'category.id', write: 'category' },
    csv: csv('Product Category', 'category', 'productcategory', 'googleproductcategory', 'taxonomy'),
  },
];

const variantFields: FieldSpec[] = [
  {
    ...OPTIONAL_TEXT,
    name: 'sku',
    label: 'SKU',
    schema: optionalText(255),
    // Read on the variant, written on its inventory item (API 2024-07 on).
    shopify: { read: 'sku', write: 'inventoryItem.sku' },
    csv: csv('Variant SKU', 'sku', 'itemsku', 'articlenumber', 'articleno', 'itemnumber', 'partnumber', 'mpn', 'artikelnummer'),
  },
  synced('barcode', {
    ...OPTIONAL_TEXT,
    label: 'Barcode',
    schema: optionalText(255),
    csv: csv('Variant Barcode', 'barcode', 'ean', 'upc', 'gtin', 'ean13'),
  }),
  synced('price', {
    ...MONEY,
    label: 'Price',
    schema: moneySchema,
    csv: csv('Variant Price', 'price', 'unitprice', 'retailprice', 'newprice', 'saleprice', 'preis', 'prix', 'vk'),
  }),
  synced('compareAtPrice', {
    ...MONEY,
    label: 'Compare-at price',
    schema: nullableMoney,
    csv: csv('Variant Compare At Price', 'compareatprice', 'compareprice', 'msrp', 'rrp', 'listprice', 'uvp'),
  }),
  synced('inventoryPolicy', {
    label: 'Sell when out of stock',
    type: 'enum',
    priority: 'normal',
    normalize: upper,
    schema: z.preprocess(upper, z.enum(['DENY', 'CONTINUE'], { message: 'must be DENY or CONTINUE' })),
    csv: csv('Variant Inventory Policy', 'inventorypolicy', 'continueselling', 'oversell'),
  }),
  synced('taxable', { ...BOOLEAN, label: 'Taxable', csv: csv('Variant Taxable', 'taxable', 'chargetax') }),
  {
    ...BOOLEAN,
    name: 'tracked',
    label: 'Inventory tracked',
    shopify: { read: 'inventoryItem.tracked', write: 'inventoryItem.tracked' },
    csv: csv('Variant Inventory Tracker', 'tracked', 'trackinventory', 'inventorytracked'),
  },
  {
    ...MONEY,
    name: 'cost',
    label: 'Unit cost',
    priority: 'normal',
    schema: nullableMoney,
    shopify: { read: 'inventoryItem.unitCost.amount', write: 'inventoryItem.cost' },
    csv: csv('Cost per item', 'cost', 'unitcost', 'costprice', 'wholesale', 'wholesaleprice', 'ek'),
  },
  // Shopify keeps the weight on the inventory item, value and unit in one WeightInput that needs both.
  {
    name: 'weight',
    label: 'Weight',
    type: 'decimal',
    priority: 'normal',
    normalize: normalizeWeight,
    schema: weightSchema,
    shopify: { read: 'inventoryItem.measurement.weight.value', write: 'inventoryItem.measurement.weight.value' },
    // Shopify's CSV writes the weight in grams (lib/sync/import-targets.ts converts with the unit).
    csv: csv('Variant Grams', 'grams', 'weightgrams', 'weightg'),
    writeWith: 'weightUnit',
  },
  {
    name: 'weightUnit',
    label: 'Weight unit',
    type: 'enum',
    priority: 'normal',
    normalize: (v) => parseWeightUnit(v) ?? (v === null || v === undefined || v === '' ? null : String(v)),
    schema: weightUnitSchema,
    shopify: { read: 'inventoryItem.measurement.weight.unit', write: 'inventoryItem.measurement.weight.unit' },
    csv: csv('Variant Weight Unit', 'weightunit', 'unitofweight'),
    writeWith: 'weight',
  },
];

/**
 * Shopify refuses a quantity beyond +-1,000,000,000 (INVALID_QUANTITY_TOO_HIGH/LOW), inside the 32-bit
 * range of GraphQL's Int, which refuses anything larger with a bare parse error: checked at edit and
 * import time so that neither reaches a push.
 */
const QUANTITY_LIMIT = 1_000_000_000;
// A number, or text spelling one (a CSV cell); never coerced: null, "", false and [] are not 0.
const quantitySchema = z
  .union(
    [
      z.number(),
      z
        .string()
        .trim()
        .regex(/^[-+]?\d+$/)
        .transform(Number),
    ],
    { message: 'must be a whole number' },
  )
  .pipe(
    z
      .number()
      .int('must be a whole number')
      .min(-QUANTITY_LIMIT, "must be at least -1,000,000,000 (Shopify's limit for a quantity)")
      .max(QUANTITY_LIMIT, "must be at most 1,000,000,000 (Shopify's limit for a quantity)"),
  );

const inventoryFields: FieldSpec[] = [
  {
    name: 'available',
    label: 'Available',
    type: 'integer',
    priority: 'normal',
    normalize: (v) => (v === null || v === undefined || v === '' ? null : Number(v)),
    schema: quantitySchema,
    csv: csv('Variant Inventory Qty', 'available', 'quantity', 'qty', 'stock', 'inventory', 'inventoryquantity', 'onhand', 'bestand'),
  },
];

const collectionFields: FieldSpec[] = productFields.filter((f) => ['title', 'handle', 'descriptionHtml'].includes(f.name));

const membershipFields: FieldSpec[] = [
  { name: 'member', label: 'In collection', type: 'presence', priority: 'normal', normalize: (v) => v === true, schema: z.literal(true) },
];

/**
 * A product's image (entity `media`, keyed `productGid|mediaGid`): its source URL, set when it is
 * added by URL and read-only after (a new picture is a remove and an add), its place in the
 * product's media list (1-based; Shopify's order is the list order, written by productReorderMedia)
 * and its alt text. In the order of Shopify's CSV columns (Image Src, Image Position, Image Alt Text).
 */
const mediaFields: FieldSpec[] = [
  {
    ...OPTIONAL_TEXT,
    name: 'src',
    label: 'Image URL',
    priority: 'low',
    schema: z
      .string()
      .trim()
      .max(2048, 'must be at most 2048 characters')
      .refine((v) => /^https?:\/\/[^\s]+$/i.test(v), { message: 'must be an http(s) URL' }),
    shopify: { read: 'image.url', write: 'originalSource' },
    shopifyOwned: true,
    csv: csv('Image Src', 'imagesrc', 'imageurl', 'image'),
  },
  {
    name: 'position',
    label: 'Image position',
    type: 'integer',
    priority: 'low',
    normalize: (v) => (v === null || v === undefined || v === '' ? null : Number(v)),
    schema: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(250, 'must be at most 250'),
    csv: csv('Image Position', 'imageposition'),
  },
  {
    ...OPTIONAL_TEXT,
    name: 'alt',
    label: 'Alt text',
    priority: 'low',
    schema: optionalText(512),
    shopify: { read: 'alt', write: 'alt' },
    csv: csv('Image Alt Text', 'imagealttext', 'alttext', 'imagealt'),
  },
];

/**
 * A metafield's one field: `{type, value}` (lib/sync/metafields.ts). Written by metafieldsSet and
 * removed by metafieldsDelete, not by a product input: no `shopify` paths. CSV columns are per
 * metafield (`Name (product.metafields.namespace.key)`), made from the store's definitions.
 */
const metafieldFields: FieldSpec[] = [
  { name: 'value', label: 'Value', type: 'metafield', priority: 'normal', normalize: normalizeMetafield, schema: metafieldValueSchema },
];

export const ENTITY_FIELDS: Readonly<Record<EntityType, readonly FieldSpec[]>> = Object.freeze({
  product: productFields,
  variant: variantFields,
  inventory_level: inventoryFields,
  collection: collectionFields,
  membership: membershipFields,
  media: mediaFields,
  metafield: metafieldFields,
});

export const ENTITY_LABELS: Readonly<Record<EntityType, string>> = Object.freeze({
  product: 'Product',
  variant: 'Variant',
  inventory_level: 'Inventory',
  collection: 'Collection',
  membership: 'Collection membership',
  media: 'Image',
  metafield: 'Metafield',
});

export function fieldsOf(entity: EntityType): readonly FieldSpec[] {
  return ENTITY_FIELDS[entity];
}

export function fieldSpec(entity: EntityType, name: string): FieldSpec | undefined {
  return ENTITY_FIELDS[entity].find((f) => f.name === name);
}

/** The entity's synced fields of an object, as they are (absent ones null). */
export function pickFields(entity: EntityType, source: object): FieldValues {
  const from = source as Record<string, unknown>;
  return Object.fromEntries(ENTITY_FIELDS[entity].map((f) => [f.name, from[f.name] ?? null]));
}

/** A document with exactly the entity's synced fields, each normalized. */
export function normalizeDocument(entity: EntityType, doc: Record<string, unknown> | null | undefined): FieldValues | null {
  if (doc === null || doc === undefined) return null;
  const out: FieldValues = {};
  for (const f of ENTITY_FIELDS[entity]) out[f.name] = f.normalize(doc[f.name]);
  return out;
}

/** Equality of two field values in canonical form (tags compare as sets). */
export function sameValue(spec: FieldSpec | undefined, a: unknown, b: unknown): boolean {
  const x = spec ? spec.normalize(a) : a;
  const y = spec ? spec.normalize(b) : b;
  return JSON.stringify(x) === JSON.stringify(y);
}

/**
 * A write's values with each written field's companion (FieldSpec.writeWith) filled from `current`,
 * what Shopify holds now (the push's drift read), where the write does not give it: Shopify's
 * input needs both, and the one not being written must stay as Shopify has it.
 */
export function withCompanions(entity: EntityType, values: FieldValues, current: FieldValues | null | undefined): FieldValues {
  let out = values;
  for (const name of Object.keys(values)) {
    const companion = fieldSpec(entity, name)?.writeWith;
    if (!companion || companion in out) continue;
    out = { ...out, [companion]: current?.[companion] ?? null };
  }
  return out;
}

/** Why values cannot be written as they are: a field given without its companion's value (null: they can). */
export function incompleteCompanions(entity: EntityType, values: FieldValues): string | null {
  for (const f of ENTITY_FIELDS[entity]) {
    if (!f.writeWith || values[f.name] === undefined) continue;
    const companion = fieldSpec(entity, f.writeWith)!;
    if (values[f.name] === null || values[f.writeWith] === null || values[f.writeWith] === undefined)
      return `Shopify takes ${f.label} and ${companion.label} only together: give both`;
  }
  return null;
}

/** Builds the key of an inventory level or a membership. */
export const entityKeys = {
  inventoryLevel: (inventoryItemId: string, locationId: string) => `${inventoryItemId}|${locationId}`,
  membership: (collectionId: string, productId: string) => `${collectionId}|${productId}`,
  /** A product's image: `productGid|mediaGid` (a local key in place of the media GID until an added image is pushed). */
  media: (productId: string, mediaId: string) => `${productId}|${mediaId}`,
  split(key: string): [string, string] {
    const i = key.indexOf('|');
    return [key.slice(0, i), key.slice(i + 1)];
  },
};
