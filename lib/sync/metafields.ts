import { z } from 'zod';

/**
 * Metafield values in the sync model. A metafield is its own catalog entity (`metafield`, keyed
 * `<owner gid>|<namespace>.<key>`, belonging to its product) with one synced field, `value`,
 * holding `{type, value}`: the type travels with the value so that comparing, validating,
 * showing and writing it never needs another lookup, and a value of another type is a change.
 *
 * Canonical forms by type (what documents hold, what compares equal):
 * - text-like types (single/multi line, url, date, date_time, color, references...): the string;
 * - number_integer: digits without leading zeros; number_decimal: no trailing zeros ("9.50" -> "9.5");
 * - boolean: true/false;
 * - json and the structured types Shopify keeps as JSON (rating, dimension, money...): the parsed
 *   value with object keys sorted;
 * - list.<type>: an array of the item type's canonical values.
 * Shopify keeps every value as a string (metafieldsSet takes strings): `toShopifyValue` writes it.
 */

export interface MetafieldValue {
  type: string;
  value: unknown;
}

/** A metafield definition as the store declares it (per owner type). */
export interface MetafieldDefinition {
  ownerType: 'PRODUCT' | 'PRODUCTVARIANT';
  namespace: string;
  key: string;
  name: string;
  type: string;
  validations: Array<{ name: string; value: string | null }>;
}

const JSON_TYPES = new Set(['json', 'rating', 'dimension', 'weight', 'volume', 'money', 'link', 'rich_text_field']);

export const isListType = (type: string) => type.startsWith('list.');
const itemType = (type: string) => (isListType(type) ? type.slice(5) : type);
export const isReferenceType = (type: string) => itemType(type).endsWith('_reference');

/** A metafield's label: its definition's name, else its namespace.key. */
export function metafieldLabel(entityKey: string | undefined, name?: string | null): string {
  if (name) return name;
  if (!entityKey?.includes('|')) return 'Value';
  const { namespace, key } = splitMetafieldKey(entityKey);
  return `${namespace}.${key}`;
}

/** `<owner gid>|<namespace>.<key>`: the catalog key of a metafield. */
export function metafieldKey(ownerId: string, namespace: string, key: string): string {
  return `${ownerId}|${namespace}.${key}`;
}

/** The owner gid, namespace and key of a metafield's catalog key (the namespace holds no dot, the key may). */
export function splitMetafieldKey(entityKey: string): { ownerId: string; namespace: string; key: string } {
  const bar = entityKey.indexOf('|');
  const rest = entityKey.slice(bar + 1);
  const dot = rest.indexOf('.');
  return { ownerId: entityKey.slice(0, bar), namespace: rest.slice(0, dot), key: rest.slice(dot + 1) };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function canonicalDecimal(text: string): string {
  const match = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) return text.trim();
  const int = (match[2] || '0').replace(/^0+(?=\d)/, '');
  const frac = (match[3] ?? '').replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int;
  return match[1] === '-' && /[1-9]/.test(out) ? `-${out}` : out;
}

/** One value of a (non-list) type in canonical form; leaves what it cannot read as it is (validation says why). */
function canonicalItem(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'boolean') return value === true || value === 'true';
  if (type === 'number_integer') {
    const text = String(value).trim();
    return /^[-+]?\d+$/.test(text) ? BigInt(text).toString() : text;
  }
  if (type === 'number_decimal') return canonicalDecimal(String(value));
  if (JSON_TYPES.has(type)) {
    if (typeof value !== 'string') return sortKeys(value);
    try {
      return sortKeys(JSON.parse(value));
    } catch {
      return value;
    }
  }
  return String(value);
}

/** A value of `type` (Shopify's string, or already parsed) in canonical form. */
export function canonicalMetafieldValue(type: string, value: unknown): unknown {
  if (!isListType(type)) return canonicalItem(type, value);
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return value;
    }
  }
  return Array.isArray(list) ? list.map((v) => canonicalItem(itemType(type), v)) : list;
}

/** The `value` field's normalize: `{type, value}` with the value canonical; anything else is no value. */
export function normalizeMetafield(raw: unknown): MetafieldValue | null {
  if (!raw || typeof raw !== 'object' || !('type' in raw)) return null;
  const { type, value } = raw as MetafieldValue;
  return { type: String(type), value: canonicalMetafieldValue(String(type), value) };
}

/** The string metafieldsSet takes for a canonical value. */
export function toShopifyValue(mf: MetafieldValue): string {
  const { type, value } = mf;
  if (isListType(type)) {
    const items = (value as unknown[]).map((v) => (itemType(type) === 'number_integer' ? Number(v) : v));
    return JSON.stringify(items);
  }
  if (JSON_TYPES.has(type)) return JSON.stringify(value);
  return String(value);
}

const validation = (d: Pick<MetafieldDefinition, 'validations'> | undefined, name: string) =>
  d?.validations.find((v) => v.name === name)?.value ?? null;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const GID = /^gid:\/\/shopify\/\w+\/\d+$/;

/** Why a canonical item is not a valid value of its type (and the definition's simple validations); null when it is. */
function itemProblem(type: string, value: unknown, d: MetafieldDefinition | undefined): string | null {
  const min = validation(d, 'min');
  const max = validation(d, 'max');
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'number_integer':
    case 'number_decimal': {
      const pattern = type === 'number_integer' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
      if (typeof value !== 'string' || !pattern.test(value))
        return type === 'number_integer' ? 'must be a whole number' : 'must be a number';
      if (min !== null && Number(value) < Number(min)) return `must be at least ${min}`;
      if (max !== null && Number(value) > Number(max)) return `must be at most ${max}`;
      return null;
    }
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value)) ? null : 'must be a date like 2026-12-31';
    case 'date_time':
      return typeof value === 'string' && DATE_TIME.test(value) ? null : 'must be a date and time like 2026-12-31T09:30:00Z';
    case 'url':
      return typeof value === 'string' && /^(https?|mailto|sms|tel):\S+$/.test(value) ? null : 'must be a URL (https://...)';
    case 'single_line_text_field':
    case 'multi_line_text_field': {
      if (typeof value !== 'string') return 'must be text';
      if (type === 'single_line_text_field' && /[\r\n]/.test(value)) return 'must be a single line';
      if (min !== null && value.length < Number(min)) return `must be at least ${min} characters`;
      if (max !== null && value.length > Number(max)) return `must be at most ${max} characters`;
      const regex = validation(d, 'regex');
      if (regex !== null && !new RegExp(regex).test(value)) return `must match ${regex}`;
      const choices = validation(d, 'choices');
      if (choices !== null && !(JSON.parse(choices) as string[]).includes(value)) return `must be one of ${choices}`;
      return null;
    }
    default:
      if (JSON_TYPES.has(type)) return typeof value === 'string' ? 'must be valid JSON' : null;
      if (type.endsWith('_reference'))
        return typeof value === 'string' && GID.test(value) ? null : 'must be a Shopify id (gid://shopify/...)';
      return typeof value === 'string' ? null : 'must be text';
  }
}

/** Why a value is not valid for the type (and definition); null when it is. `value` is canonical. */
export function metafieldProblem(type: string, value: unknown, definition?: MetafieldDefinition): string | null {
  if (value === null || value === undefined || value === '') return 'must not be blank (send null to remove the value)';
  if (!isListType(type)) return itemProblem(type, value, definition);
  if (!Array.isArray(value)) return 'must be a list (a JSON array)';
  for (const [i, item] of value.entries()) {
    const problem = itemProblem(itemType(type), item, undefined);
    if (problem) return `item ${i + 1} ${problem}`;
  }
  return null;
}

/**
 * A value a person brings (an edit, a CSV cell, a custom resolution), for a metafield of `type`:
 * Shopify's string form or already parsed (a list as an array); refined by the type's rules.
 */
export function metafieldInputSchema(type: string, definition?: MetafieldDefinition) {
  return z.unknown().transform((raw, ctx) => {
    const value = canonicalMetafieldValue(type, typeof raw === 'number' ? String(raw) : raw);
    const problem = metafieldProblem(type, value, definition);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return { type, value } satisfies MetafieldValue;
  });
}

/** The `value` field's own schema: a `{type, value}` document valid for its type (a custom conflict resolution). */
export const metafieldValueSchema = z.object({ type: z.string().min(1).max(100), value: z.unknown() }).transform((mf, ctx) => {
  const value = canonicalMetafieldValue(mf.type, mf.value);
  const problem = metafieldProblem(mf.type, value);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return { type: mf.type, value } satisfies MetafieldValue;
});

/** A value as people read it (review, CSV): lists one item a line, JSON pretty, booleans Yes/No. */
export function metafieldText(mf: MetafieldValue | null, names: ReadonlyMap<string, string> = new Map()): string {
  if (!mf) return '';
  const one = (v: unknown): string => {
    if (typeof v === 'boolean') return v ? 'Yes' : 'No';
    if (typeof v === 'string') return names.get(v) ?? v;
    return JSON.stringify(v, null, 2);
  };
  if (isListType(mf.type) && Array.isArray(mf.value)) return mf.value.map(one).join('\n');
  return one(mf.value);
}

/** A list value's change: items added and removed (by value, each as often as it occurs). */
export function listChange(before: unknown, after: unknown): { added: unknown[]; removed: unknown[] } {
  const from = Array.isArray(before) ? [...before] : [];
  const to = Array.isArray(after) ? [...after] : [];
  const key = (v: unknown) => JSON.stringify(v);
  const removed: unknown[] = [];
  for (const item of from) {
    const at = to.findIndex((x) => key(x) === key(item));
    if (at === -1) removed.push(item);
    else to.splice(at, 1);
  }
  return { added: to, removed };
}

/**
 * CSV: Shopify's product export names a metafield column `<name> (product.metafields.<namespace>.<key>)`,
 * a variant's `<name> (variant.metafields.<namespace>.<key>)` (on each variant's row). Import targets of
 * those columns are `metafield:<namespace>.<key>` and `variant.metafield:<namespace>.<key>`.
 */
const METAFIELD_HEADER = /\(\s*(product|variant)\.metafields\.([\w-]+)\.([\w-]+)\s*\)\s*$/i;
const TARGET_PREFIX = { PRODUCT: 'metafield:', PRODUCTVARIANT: 'variant.metafield:' } as const;
const HEADER_OWNER = { PRODUCT: 'product', PRODUCTVARIANT: 'variant' } as const;

export const metafieldColumn = (d: Pick<MetafieldDefinition, 'name' | 'namespace' | 'key' | 'ownerType'>) =>
  `${d.name} (${HEADER_OWNER[d.ownerType]}.metafields.${d.namespace}.${d.key})`;

/** The import target of a metafield column's header; null for another header. */
export function metafieldTargetOf(header: string): string | null {
  const match = METAFIELD_HEADER.exec(header);
  if (!match) return null;
  const owner = match[1]!.toLowerCase() === 'variant' ? 'PRODUCTVARIANT' : 'PRODUCT';
  return `${TARGET_PREFIX[owner]}${match[2]}.${match[3]}`;
}

/** The owner type, namespace and key a metafield target names; null for another target. */
export function metafieldOfTarget(target: string): { ownerType: MetafieldDefinition['ownerType']; namespace: string; key: string } | null {
  const ownerType = (Object.keys(TARGET_PREFIX) as Array<keyof typeof TARGET_PREFIX>).find((o) => target.startsWith(TARGET_PREFIX[o]));
  if (!ownerType) return null;
  const rest = target.slice(TARGET_PREFIX[ownerType].length);
  const dot = rest.indexOf('.');
  return dot > 0 ? { ownerType, namespace: rest.slice(0, dot), key: rest.slice(dot + 1) } : null;
}

/**
 * A value as a CSV cell: list items joined by "; " (JSON when an item holds ";"), booleans TRUE/FALSE, JSON
 * compact; a reference by its readable form (`cells`: a handle or SKU by GID, server/catalog/references.ts).
 */
export function metafieldCell(mf: MetafieldValue | null | undefined, cells: ReadonlyMap<string, string> = new Map()): string {
  if (!mf) return '';
  const readable = (v: string) => (isReferenceType(mf.type) ? (cells.get(v) ?? v) : v);
  if (isListType(mf.type) && Array.isArray(mf.value)) {
    const values = mf.value.map((v) => (typeof v === 'string' ? readable(v) : v));
    const items = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    return items.some((i) => i.includes(';')) ? JSON.stringify(values) : items.join('; ');
  }
  if (typeof mf.value === 'boolean') return mf.value ? 'TRUE' : 'FALSE';
  if (typeof mf.value === 'string') return readable(mf.value);
  return JSON.stringify(mf.value);
}

/** A CSV cell read back as a value of `type` (what metafieldInputSchema takes); blank is no value (null). */
export function metafieldCellValue(type: string, raw: string): unknown {
  const text = raw.trim();
  if (text === '') return null;
  if (isListType(type)) {
    if (text.startsWith('[')) return text;
    return text
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (type === 'boolean') return /^(true|yes|1)$/i.test(text) ? true : /^(false|no|0)$/i.test(text) ? false : text;
  return type === 'multi_line_text_field' ? raw : text;
}

/**
 * Reference metafields point at other records by GID; people read and write them by the target's
 * name and a readable form: a product or collection by its handle, a variant by its SKU (a variant
 * whose SKU is not unique in the store, and any other target, by its GID).
 */
export type ReferenceEntity = 'product' | 'collection' | 'variant';
const REFERENCE_ENTITIES: Readonly<Record<string, ReferenceEntity>> = {
  product_reference: 'product',
  collection_reference: 'collection',
  variant_reference: 'variant',
};

/** The catalog entity a reference type points at (null: a target the catalog does not hold, kept by GID). */
export const referenceEntity = (type: string): ReferenceEntity | null => REFERENCE_ENTITIES[itemType(type)] ?? null;

/** The GIDs the reference metafield values among `docs` point at (`{type, value}` values, or documents holding one as `value`). */
export function referenceIds(docs: Iterable<unknown>): string[] {
  const ids = new Set<string>();
  for (const doc of docs) {
    if (!doc || typeof doc !== 'object') continue;
    const mf = ('type' in doc ? doc : (doc as { value?: unknown }).value) as MetafieldValue | undefined;
    if (!mf || typeof mf !== 'object' || typeof mf.type !== 'string' || !isReferenceType(mf.type)) continue;
    for (const v of Array.isArray(mf.value) ? mf.value : [mf.value]) if (typeof v === 'string' && GID.test(v)) ids.add(v);
  }
  return [...ids];
}

/** The readable forms of reference values people gave (handles, SKUs), by the entity each names, to look up. */
export function referenceInputs(type: string, value: unknown): Array<{ entity: ReferenceEntity; text: string }> {
  const entity = referenceEntity(type);
  if (!entity) return [];
  const raw = typeof value === 'string' && isListType(type) ? canonicalMetafieldValue(type, value) : value;
  const items = Array.isArray(raw) ? raw : [raw];
  return items
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '' && !GID.test(v.trim()))
    .map((v) => ({ entity, text: v.trim() }));
}

/** Readable forms found: `<entity>:<text>` -> the GID, or why none (not found, several). */
export type ReferenceLookup = ReadonlyMap<string, string | { reason: string }>;
export const referenceLookupKey = (entity: ReferenceEntity, text: string) => `${entity}:${text.trim().toLowerCase()}`;

/** A reference value with its readable forms replaced by GIDs (`lookup`), or why one names nothing. */
export function resolveReferences(type: string, value: unknown, lookup: ReferenceLookup): { value: unknown } | { reason: string } {
  const entity = referenceEntity(type);
  if (!entity || value === null || value === undefined) return { value };
  const list = isListType(type);
  const raw = typeof value === 'string' && list ? canonicalMetafieldValue(type, value) : value;
  if (list && !Array.isArray(raw)) return { value };
  const out: unknown[] = [];
  for (const item of list ? (raw as unknown[]) : [raw]) {
    if (typeof item !== 'string' || item.trim() === '' || GID.test(item.trim())) {
      out.push(typeof item === 'string' ? item.trim() : item);
      continue;
    }
    const found = lookup.get(referenceLookupKey(entity, item));
    if (typeof found === 'string') out.push(found);
    else return { reason: found?.reason ?? `no ${entity} ${entity === 'variant' ? 'has SKU' : 'has the handle'} "${item.trim()}"` };
  }
  return { value: list ? out : out[0] };
}
