import { z } from 'zod';
import type { EntityType, FieldValues, Priority } from './model';

/**
 * The synced fields of each entity (DESIGN.md), with the canonical form used to compare values,
 * the validation applied to local edits, and the push priority a change to the field gets.
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
  type: 'text' | 'money' | 'enum' | 'tags' | 'boolean' | 'integer' | 'presence';
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

export const HANDLE_PATTERN = /^[a-z0-9\p{L}]+(?:-[a-z0-9\p{L}]+)*$/u;

const productFields: FieldSpec[] = [
  { name: 'title', label: 'Title', type: 'text', priority: 'normal', normalize: text, schema: z.string().trim().min(1, 'must not be blank').max(255, 'must be at most 255 characters') },
  {
    name: 'handle',
    label: 'Handle',
    type: 'text',
    priority: 'normal',
    normalize: text,
    schema: z.string().max(255, 'must be at most 255 characters').regex(HANDLE_PATTERN, 'must be lowercase letters, digits and single hyphens (like "blue-shirt")'),
  },
  { name: 'descriptionHtml', label: 'Description', type: 'text', long: true, priority: 'low', normalize: text, schema: z.string().max(512 * 1024, 'must be at most 512 KB') },
  { name: 'vendor', label: 'Vendor', type: 'text', priority: 'normal', normalize: text, schema: z.string().max(255, 'must be at most 255 characters') },
  { name: 'productType', label: 'Product type', type: 'text', priority: 'normal', normalize: text, schema: z.string().max(255, 'must be at most 255 characters') },
  {
    name: 'status',
    label: 'Status',
    type: 'enum',
    priority: 'high',
    normalize: upper,
    schema: z.preprocess(upper, z.enum(['ACTIVE', 'DRAFT', 'ARCHIVED'], { message: 'must be ACTIVE, DRAFT or ARCHIVED' })),
  },
  {
    name: 'tags',
    label: 'Tags',
    type: 'tags',
    priority: 'normal',
    normalize: normalizeTags,
    schema: z
      .union([z.array(z.string()), z.string()])
      .transform(normalizeTags)
      .refine((t) => t.length <= 250, { message: 'must be at most 250 tags' })
      .refine((t) => t.every((x) => x.length <= 255), { message: 'each tag must be at most 255 characters' }),
  },
];

const variantFields: FieldSpec[] = [
  { name: 'sku', label: 'SKU', type: 'text', priority: 'normal', normalize: nullableText, schema: z.union([z.null(), z.string().trim().max(255, 'must be at most 255 characters').transform((v) => v || null)]) },
  { name: 'barcode', label: 'Barcode', type: 'text', priority: 'normal', normalize: nullableText, schema: z.union([z.null(), z.string().trim().max(255, 'must be at most 255 characters').transform((v) => v || null)]) },
  { name: 'price', label: 'Price', type: 'money', priority: 'high', normalize: normalizeDecimal, schema: moneySchema },
  { name: 'compareAtPrice', label: 'Compare-at price', type: 'money', priority: 'high', normalize: normalizeDecimal, schema: nullableMoney },
  {
    name: 'inventoryPolicy',
    label: 'Sell when out of stock',
    type: 'enum',
    priority: 'normal',
    normalize: upper,
    schema: z.preprocess(upper, z.enum(['DENY', 'CONTINUE'], { message: 'must be DENY or CONTINUE' })),
  },
  { name: 'taxable', label: 'Taxable', type: 'boolean', priority: 'normal', normalize: bool, schema: z.boolean() },
  { name: 'tracked', label: 'Inventory tracked', type: 'boolean', priority: 'normal', normalize: bool, schema: z.boolean() },
  { name: 'cost', label: 'Unit cost', type: 'money', priority: 'normal', normalize: normalizeDecimal, schema: nullableMoney },
];

const inventoryFields: FieldSpec[] = [
  {
    name: 'available',
    label: 'Available',
    type: 'integer',
    priority: 'normal',
    normalize: (v) => (v === null || v === undefined || v === '' ? null : Number(v)),
    schema: z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(-1e9).max(1e9),
  },
];

const collectionFields: FieldSpec[] = productFields.filter((f) => ['title', 'handle', 'descriptionHtml'].includes(f.name));

const membershipFields: FieldSpec[] = [
  { name: 'member', label: 'In collection', type: 'presence', priority: 'normal', normalize: (v) => v === true, schema: z.literal(true) },
];

export const ENTITY_FIELDS: Readonly<Record<EntityType, readonly FieldSpec[]>> = Object.freeze({
  product: productFields,
  variant: variantFields,
  inventory_level: inventoryFields,
  collection: collectionFields,
  membership: membershipFields,
});

export const ENTITY_LABELS: Readonly<Record<EntityType, string>> = Object.freeze({
  product: 'Product',
  variant: 'Variant',
  inventory_level: 'Inventory',
  collection: 'Collection',
  membership: 'Collection membership',
});

export function fieldsOf(entity: EntityType): readonly FieldSpec[] {
  return ENTITY_FIELDS[entity];
}

export function fieldSpec(entity: EntityType, name: string): FieldSpec | undefined {
  return ENTITY_FIELDS[entity].find((f) => f.name === name);
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

/** Builds the key of an inventory level or a membership. */
export const entityKeys = {
  inventoryLevel: (inventoryItemId: string, locationId: string) => `${inventoryItemId}|${locationId}`,
  membership: (collectionId: string, productId: string) => `${collectionId}|${productId}`,
  split(key: string): [string, string] {
    const i = key.indexOf('|');
    return [key.slice(0, i), key.slice(i + 1)];
  },
};
