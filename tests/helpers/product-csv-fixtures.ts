import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { locations } from '../../drizzle/schema';
import { type MetafieldDefinition, metafieldKey } from '../../lib/sync/metafields';
import { saveMetafieldDefinitions } from '../../server/catalog/metafield-definitions';
import { rememberCategories } from '../../server/catalog/taxonomy';
import type { Db } from '../../server/db/client';
import { type EntitySeed, product, seedEntities, variant } from './push-fixtures';

/**
 * A catalog for Shopify-format CSV tests: two locations, two custom collections and a smart one;
 * every third product has three variants (Size S, M, L; M without a SKU), every fourth single-variant
 * product has no SKU; stock at both locations; every fifth product is in "Summer". Product 2's title
 * starts with "=" and product 7's vendor ends with a space, as spreadsheets meet them. Metafields
 * (METAFIELDS): every even product has a material; every variant of a product of three sizes has a
 * size chart, and every first variant a pack size. References: every sixth product is related to the
 * product before it, product 1 is featured in Summer and Sale, product 3's first variant pairs with product 5's.
 */

export const P = (n: number) => `gid://shopify/Product/${n}`;
export const V = (n: number, i = 0) => `gid://shopify/ProductVariant/${n * 10 + i}`;
export const ITEM = (n: number, i = 0) => `gid://shopify/InventoryItem/${n * 10 + i}`;
export const MAIN = { id: 'gid://shopify/Location/1', name: 'Main Warehouse' };
export const OUTLET = { id: 'gid://shopify/Location/2', name: 'Outlet' };
export const SUMMER = 'gid://shopify/Collection/1';
export const SALE = 'gid://shopify/Collection/2';
const AUTO = 'gid://shopify/Collection/3';

const SIZES = ['S', 'M', 'L'];
const definition = (ownerType: MetafieldDefinition['ownerType'], key: string, name: string, type: string): MetafieldDefinition => ({
  ownerType,
  namespace: 'custom',
  key,
  name,
  type,
  validations: [],
});
/** The store's metafield definitions, with the columns the export names them by. */
export const METAFIELDS = {
  material: definition('PRODUCT', 'material', 'Material', 'single_line_text_field'),
  sizeChart: definition('PRODUCTVARIANT', 'size_chart', 'Size chart', 'single_line_text_field'),
  packSize: definition('PRODUCTVARIANT', 'pack_size', 'Pack size', 'number_integer'),
  related: definition('PRODUCT', 'related', 'Related', 'product_reference'),
  featured: definition('PRODUCT', 'featured', 'Featured in', 'list.collection_reference'),
  pair: definition('PRODUCTVARIANT', 'pair', 'Pairs with', 'variant_reference'),
};
export const MATERIAL = 'Material (product.metafields.custom.material)';
export const SIZE_CHART = 'Size chart (variant.metafields.custom.size_chart)';
export const PACK_SIZE = 'Pack size (variant.metafields.custom.pack_size)';
export const RELATED = 'Related (product.metafields.custom.related)';
export const FEATURED = 'Featured in (product.metafields.custom.featured)';
export const PAIR = 'Pairs with (variant.metafields.custom.pair)';
/** Categories of the catalog (every fourth product from the first has T-shirts), named as a pull would have brought them. */
export const TEES = {
  id: 'gid://shopify/TaxonomyCategory/aa-1-13-8',
  fullName: 'Apparel & Accessories > Clothing > Clothing Tops > T-Shirts',
};
export const CANDLES = { id: 'gid://shopify/TaxonomyCategory/hg-3-10', fullName: 'Home & Garden > Decor > Candles' };
/** A variant's weight by its product: each unit in turn, with fractions whose grams are not whole. */
export const weightOf = (n: number) =>
  [
    { weight: '250', weightUnit: 'GRAMS' },
    { weight: '1.25', weightUnit: 'KILOGRAMS' },
    { weight: '3.5', weightUnit: 'OUNCES' },
    { weight: '2.2', weightUnit: 'POUNDS' },
  ][n % 4]!;
export const isMulti = (n: number) => n % 3 === 0;
export const skuOf = (n: number, i = 0) => (isMulti(n) ? (i === 1 ? null : `SKU-${n}-${SIZES[i]}`) : n % 4 === 0 ? null : `SKU-${n}`);

const agreed = (entity: EntitySeed['entity'], key: string, productKey: string | null, doc: Record<string, unknown>, meta = {}) => ({
  entity,
  key,
  productKey,
  local: doc,
  base: doc,
  remote: doc,
  meta,
});

/** A metafield row of product n (of the product or one of its variants), agreed on both sides. */
const metafield = (n: number, ownerId: string, d: MetafieldDefinition, value: unknown) =>
  agreed(
    'metafield',
    metafieldKey(ownerId, d.namespace, d.key),
    P(n),
    { value: { type: d.type, value } },
    {
      ownerId,
      namespace: d.namespace,
      key: d.key,
    },
  );

function productSeeds(n: number): EntitySeed[] {
  const extra = {
    title: n === 2 ? '=HYPERLINK("http://example.com")' : `Product ${n}`,
    vendor: n === 7 ? 'Acme ' : 'Acme',
    tags: ['a', `t${n}`],
    descriptionHtml: `<p>Line one</p>\n<p>Product ${n}</p>`,
    seoTitle: n % 2 ? `SEO ${n}` : null,
    options: isMulti(n) ? [{ name: 'Size', values: SIZES }] : [],
    category: n % 4 === 1 ? TEES.id : null,
  };
  const seeds: EntitySeed[] = [agreed('product', P(n), P(n), product(n, extra))];
  const count = isMulti(n) ? 3 : 1;
  for (let i = 0; i < count; i++) {
    const options = isMulti(n) ? [{ name: 'Size', value: SIZES[i] }] : [{ name: 'Title', value: 'Default Title' }];
    const doc = variant(`${10 + n}.${i}0`, { sku: skuOf(n, i), ...weightOf(n) });
    const meta = { title: options[0]!.value, position: i + 1, inventoryItemId: ITEM(n, i), selectedOptions: options };
    seeds.push(agreed('variant', V(n, i), P(n), doc, meta));
    if (isMulti(n)) seeds.push(metafield(n, V(n, i), METAFIELDS.sizeChart, `EU ${SIZES[i]}`));
    if (i === 0) seeds.push(metafield(n, V(n, i), METAFIELDS.packSize, '1'));
    if (n === 3 && i === 0) seeds.push(metafield(n, V(n, i), METAFIELDS.pair, V(5)));
    for (const [l, location] of [MAIN, OUTLET].entries()) {
      const meta = { variantId: V(n, i), inventoryItemId: ITEM(n, i), locationId: location.id };
      seeds.push(agreed('inventory_level', `${ITEM(n, i)}|${location.id}`, P(n), { available: n * 10 + i + l }, meta));
    }
  }
  if (n % 2 === 0) seeds.push(metafield(n, P(n), METAFIELDS.material, 'Cotton'));
  if (n % 6 === 0) seeds.push(metafield(n, P(n), METAFIELDS.related, P(n - 1)));
  if (n === 1) seeds.push(metafield(n, P(n), METAFIELDS.featured, [SUMMER, SALE]));
  if (n % 5 === 0) seeds.push(agreed('membership', `${SUMMER}|${P(n)}`, P(n), { member: true }, { collectionId: SUMMER, productId: P(n) }));
  return seeds;
}

export async function seedCsvCatalog(db: Db, storeId: string, products: number): Promise<void> {
  await db.insert(locations).values([MAIN, OUTLET].map((l) => ({ storeId, ...l })));
  await rememberCategories(db, [TEES, CANDLES]);
  await saveMetafieldDefinitions(db, storeId, Object.values(METAFIELDS));
  const collection = (key: string, title: string, handle: string, smart: boolean) => ({
    ...agreed('collection', key, null, { title, handle, descriptionHtml: '' }, { smart }),
  });
  await seedEntities(db, storeId, [
    collection(SUMMER, 'Summer', 'summer', false),
    collection(SALE, 'Sale', 'sale', false),
    collection(AUTO, 'Auto', 'auto', true),
    ...Array.from({ length: products }, (_, i) => productSeeds(i + 1)).flat(),
  ]);
}

/** A CSV as a header row and records by header, edited like a spreadsheet and written back. */
export class Sheet {
  headers: string[];
  rows: Record<string, string>[];

  constructor(text: string) {
    const [headers, ...rows] = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    this.headers = headers!;
    this.rows = rows.map((r) => Object.fromEntries(this.headers.map((h, i) => [h, r[i] ?? ''])));
  }

  /** The rows of a product, in sheet order. */
  of(handle: string): Record<string, string>[] {
    return this.rows.filter((r) => r.Handle === handle);
  }

  addColumn(header: string, value: (row: Record<string, string>) => string) {
    this.headers.push(header);
    for (const r of this.rows) r[header] = value(r);
  }

  sortBy(header: string) {
    this.rows.sort((a, b) => a[header]!.localeCompare(b[header]!) || a.Handle!.localeCompare(b.Handle!));
  }

  /** The 1-based line of a row in the written file (the header is line 1). */
  line(row: Record<string, string>): number {
    return this.rows.indexOf(row) + 2;
  }

  text(): string {
    return stringify([this.headers, ...this.rows.map((r) => this.headers.map((h) => r[h] ?? ''))]);
  }
}
