import { entityKeys, type FieldSpec, fieldSpec, sameValue } from '../../../lib/sync/fields';
import { type MetafieldValue, metafieldCell, metafieldKey, metafieldOfTarget } from '../../../lib/sync/metafields';
import type { EntityType, FieldValues } from '../../../lib/sync/model';
import type { NewVariantInput, ProductCreate } from '../creates';
import type { LocalWrite } from '../edits';
import { type MediaEdit, mediaWrites } from '../media-edits';
import type { CatalogIndex, ProductEntry } from './catalog-index';
import { planNewProduct, planNewVariant } from './new-rows';
import { planOptionRenames } from './options';
import { type FileLayout, type Given, type ReadRow, type RowError, readRow } from './read-row';

/**
 * A file's rows grouped by product, in any order: the product's columns must agree on every row that
 * carries them (a contradiction refuses the product, naming both rows and both values), a variant is
 * on one row only, and a product is imported whole or not at all. What is planned is what differs
 * from the master: the writes, the membership changes and, for the preview, each changed cell.
 */

/** A product joining (member) or leaving a custom collection, in the master. */
export interface MembershipWrite {
  key: string;
  productKey: string;
  collectionId: string;
  member: boolean;
}

/** One cell that changes the master: shown in the preview. */
export interface CellChange {
  row: number;
  product: string;
  /** The variant (SKU or title), location or collection the change is about; null for the product itself. */
  item: string | null;
  field: string;
  from: unknown;
  to: unknown;
}

export interface ProductPlan {
  productKey: string;
  writes: LocalWrite[];
  memberships: MembershipWrite[];
  changes: CellChange[];
  /** A product the file makes (productKey is then empty). */
  create?: ProductCreate;
  /** Variants the file adds to the product. */
  newVariants?: NewVariantInput[];
}

export interface ImportPlan {
  products: ProductPlan[];
  errors: RowError[];
  accepted: ReadRow[];
  counts: { rows: number; valid: number; errors: number; skipped: number; changes: number; unchanged: number };
}

export function planImport(layout: FileLayout, index: CatalogIndex, rows: string[][]): ImportPlan {
  const groups = new Map<string, ReadRow[]>();
  const errors: RowError[] = [];
  const accepted: ReadRow[] = [];
  const products: ProductPlan[] = [];
  let skipped = 0;
  rows.forEach((cells, i) => {
    const read = readRow(layout, index, cells, i + 2); // the header is row 1
    if (!read) skipped++;
    else if (!read.product && !read.newProduct) errors.push(...read.errors);
    else {
      const key = read.product?.key ?? `new:${read.newProduct}`;
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(read);
    }
  });
  for (const group of groups.values()) {
    const product = group[0]!.product;
    const handle = product?.handle ?? group[0]!.newProduct!;
    checkAgreement(group);
    checkVariantsOnce(group, layout);
    if (product) {
      const options = planOptionRenames(product, group);
      if (options) group.find((r) => r.row === options.row)!.productValues.set('options', options);
    }
    let planned: ProductPlan | null = null;
    if (!group.some((r) => r.errors.length)) planned = product ? planProduct(product, group, index) : planCreate(group);
    const refused = group.find((r) => r.errors.length);
    if (refused || !planned) {
      for (const r of group)
        if (!r.errors.length)
          r.errors.push({ row: r.row, column: null, reason: `not imported: row ${refused!.row} of ${handle} was refused` });
      errors.push(...group.flatMap((r) => r.errors));
      continue;
    }
    accepted.push(...group);
    products.push(planned);
  }
  errors.sort((a, b) => a.row - b.row);
  accepted.sort((a, b) => a.row - b.row);
  const changes = products.flatMap((p) => p.changes);
  const refusedRows = new Set(errors.map((e) => e.row)).size;
  const changedRows = new Set(changes.map((c) => c.row)).size;
  return {
    products,
    errors,
    accepted,
    counts: {
      rows: rows.length,
      valid: accepted.length,
      errors: refusedRows,
      skipped,
      changes: changes.length,
      unchanged: accepted.length - changedRows,
    },
  };
}

const shown = (given: Given) => (given.raw === '' ? 'empty' : `"${given.raw.length > 80 ? `${given.raw.slice(0, 80)}…` : given.raw}"`);

function agree(field: string, a: unknown, b: unknown): boolean {
  if (field === 'collections') return JSON.stringify([...(a as string[])].sort()) === JSON.stringify([...(b as string[])].sort());
  return sameValue(fieldSpec('product', field), a, b);
}

/** Every row that gives a product column gives the same value as the first one that did. */
function checkAgreement(group: ReadRow[]) {
  const first = new Map<string, { given: Given; row: number }>();
  for (const r of group) {
    for (const [field, given] of r.productValues) {
      const seen = first.get(field);
      if (!seen) first.set(field, { given, row: r.row });
      else if (!agree(field, seen.given.value, given.value))
        r.errors.push({
          row: r.row,
          column: given.column,
          reason: `${given.column} is ${shown(given)} here but ${shown(seen.given)} on row ${seen.row}: the rows of one product must agree`,
        });
    }
  }
}

function checkVariantsOnce(group: ReadRow[], layout: FileLayout) {
  const seen = new Map<string, number>();
  for (const r of group) {
    const key = r.variant?.key ?? (r.newVariant ? `new:${r.newVariant.options.join('\u0000').toLowerCase()}` : null);
    if (key === null) continue;
    const before = seen.get(key);
    if (before === undefined) seen.set(key, r.row);
    else r.errors.push({ row: r.row, column: layout.keyColumn, reason: `this variant (${variantName(r)}) is also on row ${before}` });
  }
}

/** Spaces at the ends of a text cell are no edit: spreadsheets drop them from unquoted cells. */
const sameCell = (spec: FieldSpec, a: unknown, b: unknown) =>
  sameValue(spec, a, b) || (spec.type === 'text' && typeof a === 'string' && typeof b === 'string' && a.trim() === b.trim());

const variantName = (r: ReadRow) => String(r.variant?.local.sku ?? r.variant?.title ?? r.variant?.key);

function planProduct(product: ProductEntry, group: ReadRow[], index: CatalogIndex): ProductPlan {
  const plan: ProductPlan = { productKey: product.key, writes: [], memberships: [], changes: [] };
  /** The fields of `values` that differ from the master's document, each recorded as a change. */
  const differing = (entity: EntityType, local: FieldValues, values: Array<[string, unknown, number]>, item: string | null) => {
    const out: FieldValues = {};
    for (const [name, value, row] of values) {
      const spec = fieldSpec(entity, name) as FieldSpec;
      const next = spec.normalize(value);
      if (sameCell(spec, local[name], next)) continue;
      out[name] = next;
      const shown = (v: unknown) => (spec.type === 'category' && typeof v === 'string' ? (index.categoryNames.get(v) ?? v) : v);
      plan.changes.push({
        row,
        product: product.handle,
        item,
        field: spec.label,
        from: shown(spec.normalize(local[name])),
        to: shown(next),
      });
    }
    return out;
  };
  const productValues = new Map<string, [unknown, number]>();
  for (const r of group)
    for (const [field, given] of r.productValues) if (!productValues.has(field)) productValues.set(field, [given.value, r.row]);
  const collections = productValues.get('collections');
  productValues.delete('collections');
  for (const [target, [value, row]] of productValues) {
    const metafield = metafieldOfTarget(target);
    if (!metafield) continue;
    productValues.delete(target);
    planMetafield(plan, product, { ownerId: product.key, item: null, ...metafield }, value as MetafieldValue | null, row);
  }
  const changed = differing(
    'product',
    product.local,
    [...productValues].map(([f, [v, row]]) => [f, v, row]),
    null,
  );
  if (Object.keys(changed).length) plan.writes.push({ entity: 'product', key: product.key, values: changed });
  for (const r of group) {
    if (r.newVariant) {
      const made = planNewVariant(product, r);
      if ('error' in made) r.errors.push(made.error);
      else {
        plan.newVariants = [...(plan.newVariants ?? []), made.input];
        plan.changes.push(made.change);
      }
      continue;
    }
    if (!r.variant) continue;
    const fields = [...r.variantValues].filter(([target, given]) => {
      const metafield = metafieldOfTarget(target);
      if (!metafield) return true;
      const place = { ownerId: r.variant!.key, item: variantName(r), ...metafield };
      planMetafield(plan, product, place, given.value as MetafieldValue | null, r.row);
      return false;
    });
    const values = differing(
      'variant',
      r.variant.local,
      fields.map(([f, g]) => [f, g.value, r.row]),
      variantName(r),
    );
    if (Object.keys(values).length) plan.writes.push({ entity: 'variant', key: r.variant.key, values });
    for (const q of r.quantities) {
      const location = index.locations.find((l) => q.key.endsWith(`|${l.id}`));
      const level = differing(
        'inventory_level',
        index.levels.get(q.key) ?? {},
        [['available', q.available, r.row]],
        `${variantName(r)} at ${location?.name ?? q.key}`,
      );
      if (Object.keys(level).length) plan.writes.push({ entity: 'inventory_level', key: q.key, values: level });
    }
  }
  if (collections) planMemberships(plan, product, index, collections[0] as string[], collections[1]);
  planImages(plan, product, group);
  return plan;
}

/**
 * The product's images as the file gives them (rows with an Image Src): an image of the master is
 * found by its URL, its alt text and place taken from the row (the place from Image Position, else
 * the row order); a URL the master lacks is added; a master image the file leaves out is removed,
 * when the file gives any image of the product (a file without image rows leaves images alone).
 */
function planImages(plan: ProductPlan, product: ProductEntry, group: ReadRow[]) {
  const rows = group.filter((r) => r.mediaValues.has('src'));
  if (rows.length === 0) return;
  const edits: MediaEdit = [];
  const rowOf = new Map<string, number>();
  const listed = new Set<string>();
  rows.forEach((r, i) => {
    const src = String(r.mediaValues.get('src')!.value);
    const alt = r.mediaValues.has('alt') ? (r.mediaValues.get('alt')!.value as string | null) : undefined;
    const position = Number(r.mediaValues.get('position')?.value ?? i + 1);
    const existing = product.media.find((m) => m.local.src === src && !listed.has(m.key));
    if (existing) {
      listed.add(existing.key);
      rowOf.set(existing.key, r.row);
      edits.push({ id: existing.key, position, ...(alt !== undefined ? { alt } : {}) });
    } else edits.push({ src, position, alt: alt ?? null });
  });
  for (const m of product.media) if (!listed.has(m.key)) edits.push({ id: m.key, remove: true });
  const { writes } = mediaWrites(product.key, product.media, edits);
  const first = rows[0]!.row;
  for (const w of writes) {
    plan.writes.push(w);
    const was = product.media.find((m) => m.key === w.key)?.local ?? {};
    const item = `image ${String(w.op === 'create' ? w.values.src : was.src)}`;
    const row = rowOf.get(w.key) ?? first;
    if (w.op)
      plan.changes.push({
        row,
        product: product.handle,
        item,
        field: 'Image',
        from: w.op === 'create' ? null : was.src,
        to: w.op === 'create' ? w.values.src : null,
      });
    else
      for (const [name, to] of Object.entries(w.values))
        plan.changes.push({ row, product: product.handle, item, field: fieldSpec('media', name)!.label, from: was[name] ?? null, to });
  }
}

/** A product the file makes: one create with its variants, or the rows' errors (put on the rows). */
function planCreate(group: ReadRow[]): ProductPlan | null {
  const made = planNewProduct(group);
  if ('errors' in made) {
    for (const e of made.errors) group.find((r) => r.row === e.row)!.errors.push(e);
    return null;
  }
  return { productKey: '', writes: [], memberships: [], changes: made.changes, create: made.create };
}

/**
 * A metafield cell (of the product, or of a variant: `item` names it) that differs from the master's value:
 * a write (set, or removed when blank) and its preview line.
 */
function planMetafield(
  plan: ProductPlan,
  product: ProductEntry,
  metafield: { ownerId: string; item: string | null; namespace: string; key: string },
  value: MetafieldValue | null,
  row: number,
) {
  const key = metafieldKey(metafield.ownerId, metafield.namespace, metafield.key);
  const held = (product.metafields.get(key)?.value ?? null) as MetafieldValue | null;
  if (sameValue(fieldSpec('metafield', 'value'), held, value)) return;
  plan.writes.push({
    entity: 'metafield',
    key,
    values: { value },
    productKey: product.key,
    ownerId: metafield.ownerId,
    namespace: metafield.namespace,
    metafieldKey: metafield.key,
  });
  plan.changes.push({
    row,
    product: product.handle,
    item: metafield.item,
    field: `${metafield.namespace}.${metafield.key}`,
    from: held ? metafieldCell(held) : null,
    to: value ? metafieldCell(value) : null,
  });
}

function planMemberships(plan: ProductPlan, product: ProductEntry, index: CatalogIndex, wanted: string[], row: number) {
  const title = (key: string) => index.collections.find((c) => c.key === key)?.title ?? key;
  const join = wanted.filter((k) => !product.collections.has(k));
  const leave = [...product.collections].filter((k) => !wanted.includes(k));
  for (const [keys, member] of [
    [join, true],
    [leave, false],
  ] as const) {
    for (const collectionId of keys) {
      plan.memberships.push({ key: entityKeys.membership(collectionId, product.key), productKey: product.key, collectionId, member });
      plan.changes.push({ row, product: product.handle, item: title(collectionId), field: 'In collection', from: !member, to: member });
    }
  }
}
