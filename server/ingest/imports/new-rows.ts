import { quantityLocation, squashHeader } from '../../../lib/sync/import-targets';
import type { FieldValues } from '../../../lib/sync/model';
import { type NewVariantInput, newVariantSchema, type ProductCreate, productCreateSchema } from '../creates';
import { type CatalogIndex, findLocation, type ProductEntry } from './catalog-index';
import type { CellChange } from './plan';
import type { FileLayout, ReadRow, RowError } from './read-row';

/**
 * Rows of Shopify's product CSV that make something new: a Handle the master does not know is a
 * new product (its rows are its variants, told apart by Option1/2/3 Value and named by
 * Option1/2/3 Name as Shopify's export writes them); a row of a known product whose SKU and option
 * values match none of its variants is a new variant. Each is staged as one create for review.
 */

export interface NewVariantRow {
  /** Option values in option order (blank where the row gives none). */
  options: string[];
  /** Option names the row gives (Option1 Name...), blank where it gives none. */
  names: string[];
  /** First stock per location. */
  stock: Array<{ locationId: string; available: number; column: string }>;
}

const MAX_OPTIONS = 3;

export function newVariantRow(options: string[], headers: readonly string[], cell: (header: string) => string): NewVariantRow {
  const names = [1, 2, 3].map((n) => {
    const header = headers.find((h) => squashHeader(h) === `option${n}name`);
    return header ? cell(header).trim() : '';
  });
  return { options, names, stock: [] };
}

/** No variant of the product has the SKU, and the row gives a value for each of its options in a combination none has. */
export function isNewVariant(product: ProductEntry, sku: string, options: string[]): boolean {
  if (sku && product.variants.some((v) => v.local.sku === sku)) return false;
  const count = product.optionNames.length;
  if (count === 0 || options.slice(0, count).some((o) => !o) || options.slice(count).some(Boolean)) return false;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return !product.variants.some((v) => v.options.length === count && v.options.every((o, i) => same(o, options[i]!)));
}

/** A quantity of a new variant: at the column's location, the row's Location, the file's, or the store's only one. */
export function placeNewQuantity(
  layout: FileLayout,
  index: CatalogIndex,
  variant: NewVariantRow,
  c: { header: string; target: string },
  available: number,
  cell: (header: string) => string,
  fail: (column: string | null, reason: string) => void,
) {
  const locationColumn = Object.keys(layout.mapping).find((h) => layout.mapping[h] === 'location');
  const rowLocation = locationColumn ? cell(locationColumn).trim() : '';
  let location = layout.quantityLocations.get(c.target) ?? null;
  if (!quantityLocation(c.target) && rowLocation) {
    const found = findLocation(index, rowLocation);
    if ('reason' in found) return fail(locationColumn!, found.reason);
    location = found.location;
  }
  location ??= layout.fileLocation ?? (index.locations.length === 1 ? index.locations[0]! : null);
  if (!location) return fail(c.header, `${c.header} needs a location: add a Location column, or pick the location for the whole file`);
  if (variant.stock.some((s) => s.locationId === location.id)) return fail(c.header, `a second quantity for ${location.name}`);
  variant.stock.push({ locationId: location.id, available, column: c.header });
}

function variantInput(r: ReadRow, names: string[]): Record<string, unknown> {
  const v = r.newVariant!;
  const values: FieldValues = Object.fromEntries([...r.variantValues].map(([name, given]) => [name, given.value]));
  return {
    ...values,
    ...(names.length ? { options: Object.fromEntries(names.map((n, i) => [n, v.options[i] ?? ''])) } : {}),
    ...(v.stock.length ? { inventory: v.stock.map((s) => ({ locationId: s.locationId, available: s.available })) } : {}),
  };
}

const issueText = (issue: { path: PropertyKey[]; message: string }) =>
  `${issue.path.length ? `${issue.path.map(String).join('.')}: ` : ''}${issue.message}`;

/** The create of a new product from its rows, or the rows' errors. */
export function planNewProduct(group: ReadRow[]): { create: ProductCreate; changes: CellChange[] } | { errors: RowError[] } {
  const handle = group[0]!.newProduct!;
  const variantRows = group.filter((r) => r.newVariant);
  const first = variantRows[0]?.newVariant;
  const count = first ? Math.max(0, ...variantRows.map((r) => r.newVariant!.options.filter(Boolean).length)) : 0;
  const names = first ? first.names.slice(0, Math.min(count, MAX_OPTIONS)) : [];
  if (names.some((n) => !n))
    return { errors: [{ row: variantRows[0]!.row, column: 'Option1 Name', reason: `name each option of ${handle} (Option1 Name...)` }] };
  const product: Record<string, unknown> = { handle };
  for (const r of group)
    for (const [field, given] of r.productValues) if (field !== 'collections' && !(field in product)) product[field] = given.value;
  const collections = group.find((r) => (r.productValues.get('collections')?.value as string[] | undefined)?.length);
  if (collections)
    return {
      errors: [
        {
          row: collections.row,
          column: 'Custom Collections',
          reason: 'a new product joins collections once it exists: import them again after its push',
        },
      ],
    };
  const parsed = productCreateSchema.safeParse({ ...product, variants: variantRows.map((r) => variantInput(r, names)) });
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.slice(0, 5).map((issue) => {
        const at = issue.path[0] === 'variants' && typeof issue.path[1] === 'number' ? variantRows[issue.path[1]] : undefined;
        return { row: (at ?? group[0]!).row, column: null, reason: `new product ${handle}: ${issueText(issue)}` };
      }),
    };
  }
  const changes: CellChange[] = variantRows.map((r) => ({
    row: r.row,
    product: handle,
    item: r.newVariant!.options.filter(Boolean).join(' / ') || String(r.variantValues.get('sku')?.value ?? 'Default Title'),
    field: 'New variant',
    from: null,
    to: 'created',
  }));
  changes.unshift({ row: group[0]!.row, product: handle, item: null, field: 'New product', from: null, to: String(parsed.data.title) });
  return { create: parsed.data, changes };
}

/** A new variant of a known product from its row, or the row's error. */
export function planNewVariant(product: ProductEntry, r: ReadRow): { input: NewVariantInput; change: CellChange } | { error: RowError } {
  const parsed = newVariantSchema.safeParse(variantInput(r, product.optionNames));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: { row: r.row, column: null, reason: `new variant of ${product.handle}: ${issueText(issue)}` } };
  }
  const item = r.newVariant!.options.filter(Boolean).join(' / ');
  return { input: parsed.data, change: { row: r.row, product: product.handle, item, field: 'New variant', from: null, to: 'created' } };
}
