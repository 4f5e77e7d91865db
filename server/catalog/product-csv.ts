import { csvText } from '../../lib/csv';
import { formatCell, type ShopifyColumn, shopifyColumns } from '../../lib/sync/import-targets';
import { type MetafieldValue, metafieldCell, referenceIds } from '../../lib/sync/metafields';
import type { FieldValues } from '../../lib/sync/model';
import { localSelectedOptions, normalizeOptions } from '../../lib/sync/options';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { loadMetafieldDefinitions } from './metafield-definitions';
import * as plans from './plans';
import { productListQuery } from './products';
import { referenceTargets } from './references';
import { categoryNames } from './taxonomy';

/**
 * The master's products as Shopify's product CSV (lib/sync/import-targets.ts lays out the columns):
 * one row per variant, the product's columns on its first row, option names there and option values
 * on every row, stock per location, custom collections by handle, image n on row n. The import reads it back, so an
 * export edited in a spreadsheet stages exactly the cells that were edited.
 */

export const productExportQuery = productListQuery.pick({ storeId: true, q: true, status: true, syncStatus: true, vendor: true });
type ExportFilter = Omit<typeof productExportQuery._output, 'storeId'>;

const PAGE = 200;

interface ExportVariant {
  local: FieldValues;
  options: Array<{ name: string; value: string }>;
  /** Location id -> available. */
  stock: Map<string, unknown>;
  /** `namespace.key` -> the master's value of the variant's metafield. */
  metafields: Map<string, MetafieldValue>;
}

interface ExportProduct {
  local: FieldValues;
  variants: ExportVariant[];
  collections: string[];
  /** The product's images in the master's order. */
  images: FieldValues[];
  /** `namespace.key` -> the master's value. */
  metafields: Map<string, MetafieldValue>;
}

interface ChildRow extends Record<string, unknown> {
  entity: string;
  key: string;
  product_key: string;
  local: FieldValues | null;
  meta: Record<string, unknown>;
}

function cellOf(
  column: ShopifyColumn,
  product: ExportProduct,
  variant: ExportVariant | undefined,
  first: boolean,
  names: CellNames,
  image: FieldValues | undefined,
): string {
  const { categoryNames, references } = names;
  switch (column.kind) {
    case 'field': {
      const { name } = column.spec;
      if (column.entity === 'media') return image ? formatCell(column.spec, image[name]) : '';
      if (column.entity === 'variant') return variant ? formatCell(column.spec, variant.local[name], { doc: variant.local }) : '';
      return first || name === 'handle' ? formatCell(column.spec, product.local[name], { doc: product.local, categoryNames }) : '';
    }
    case 'optionName':
      return first ? (variant?.options[column.position - 1]?.name ?? '') : '';
    case 'optionValue':
      return variant?.options[column.position - 1]?.value ?? '';
    case 'quantity': {
      const available = variant?.stock.get(column.location.id);
      return available === undefined || available === null ? '' : String(available);
    }
    case 'collections':
      return first ? product.collections.join(', ') : '';
    case 'metafield': {
      const name = `${column.definition.namespace}.${column.definition.key}`;
      if (column.definition.ownerType === 'PRODUCTVARIANT') return variant ? metafieldCell(variant.metafields.get(name), references) : '';
      return first ? metafieldCell(product.metafields.get(name), references) : '';
    }
  }
}

/**
 * A product's rows: one per variant (a product without variants still gets its row), image n on
 * row n, and the images past the last variant on rows of their own (Handle and image cells only).
 */
/** Names cells are written by: categories by full name, reference metafield targets by handle or SKU (by GID). */
interface CellNames {
  categoryNames: ReadonlyMap<string, string>;
  references: ReadonlyMap<string, string>;
}

function productRows(columns: ShopifyColumn[], product: ExportProduct, names: CellNames): string[][] {
  const count = Math.max(product.variants.length, product.images.length, 1);
  return Array.from({ length: count }, (_, i) => {
    const variant = product.variants[i];
    const image = product.images[i];
    if (!variant && i > 0)
      return columns.map((c) =>
        c.kind === 'field' && (c.entity === 'media' || c.spec.name === 'handle') ? cellOf(c, product, undefined, false, names, image) : '',
      );
    return columns.map((c) => cellOf(c, product, variant, i === 0, names, image));
  });
}

function exportProducts(
  products: Array<{ key: string; local: FieldValues; remote: FieldValues | null }>,
  children: ChildRow[],
  handles: Map<string, string>,
) {
  return products.map((p): ExportProduct => {
    // The variants' option values as the master names them (a rename not pushed yet included).
    const local = normalizeOptions(p.local.options);
    const remote = normalizeOptions(p.remote?.options ?? p.local.options);
    const mine = children.filter((c) => c.product_key === p.key && c.local !== null);
    const metafieldsOf = (owner: string) =>
      new Map(
        mine
          .filter((m) => m.entity === 'metafield' && m.key.startsWith(`${owner}|`))
          .map((m) => [m.key.slice(m.key.indexOf('|') + 1), m.local!.value as MetafieldValue]),
      );
    const stockOf = (item: unknown) =>
      new Map(
        mine
          .filter((l) => l.entity === 'inventory_level' && l.key.startsWith(`${item}|`))
          .map((l) => [l.key.split('|')[1]!, l.local!.available]),
      );
    return {
      local: p.local,
      variants: mine
        .filter((v) => v.entity === 'variant')
        .map((v) => ({
          local: v.local!,
          options: localSelectedOptions(remote, local, (v.meta.selectedOptions ?? []) as ExportVariant['options']),
          stock: stockOf(v.meta.inventoryItemId),
          metafields: metafieldsOf(v.key),
        })),
      collections: mine
        .filter((m) => m.entity === 'membership')
        .map((m) => handles.get(m.key.split('|')[0]!))
        .filter((h): h is string => Boolean(h))
        .sort(),
      images: mine
        .filter((m) => m.entity === 'media')
        .map((m) => m.local!)
        .sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0)),
      metafields: metafieldsOf(p.key),
    };
  });
}

/** The export as CSV text chunks, page by page: the header row, then every product of the filter. */
export async function* productsCsv(db: Executor, storeId: string, filter: ExportFilter): AsyncGenerator<string> {
  const locations = await queryRows<{ id: string; name: string }>(db, plans.activeLocations(storeId));
  const collections = await queryRows<{ key: string; handle: string; smart: boolean }>(db, plans.masterCollections(storeId));
  const handles = new Map(collections.filter((c) => !c.smart).map((c) => [c.key, c.handle]));
  const columns = shopifyColumns(locations, await loadMetafieldDefinitions(db, storeId));
  yield `\uFEFF${csvText([columns.map((c) => c.header)])}`;
  let cursor: string | undefined;
  do {
    const rows = await queryRows<{ id: string; key: string; sort_title: string; local: FieldValues | null; remote: FieldValues | null }>(
      db,
      plans.productPage(storeId, filter, cursor, PAGE),
    );
    const page = plans.titlePages.page(rows, PAGE, (r) => ({ key: r.sort_title, id: r.id }));
    const products = page.items.filter((p): p is typeof p & { local: FieldValues } => p.local !== null);
    if (products.length) {
      const children = await queryRows<ChildRow>(
        db,
        plans.rowsOfProducts(
          storeId,
          products.map((p) => p.key),
        ),
      );
      const targets = await referenceTargets(
        db,
        storeId,
        referenceIds(children.filter((c) => c.entity === 'metafield').map((c) => c.local)),
      );
      const names = {
        categoryNames: await categoryNames(
          db,
          products.map((p) => p.local.category),
        ),
        references: new Map([...targets].map(([id, t]) => [id, t.cell])),
      };
      yield csvText(exportProducts(products, children, handles).flatMap((p) => productRows(columns, p, names)));
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** Example values for the template's one row. */
const EXAMPLE = {
  product: {
    handle: 'classic-tee',
    title: 'Classic tee',
    descriptionHtml: '<p>Soft cotton tee.</p>',
    vendor: 'Acme',
    productType: 'Shirts',
    tags: ['cotton', 'summer'],
    status: 'ACTIVE',
    seoTitle: 'Classic cotton tee',
    seoDescription: 'A soft cotton tee for every day.',
    category: 'gid://shopify/TaxonomyCategory/aa-1-13-8',
  },
  variant: {
    sku: 'TEE-BLK-M',
    barcode: null,
    price: '19.00',
    compareAtPrice: '24.00',
    inventoryPolicy: 'DENY',
    taxable: true,
    tracked: true,
    cost: '7.50',
    weight: '0.2',
    weightUnit: 'KILOGRAMS',
  },
  options: [
    { name: 'Size', value: 'M' },
    { name: 'Color', value: 'Black' },
  ],
  image: { src: 'https://cdn.shopify.com/s/files/classic-tee-black.jpg', position: 1, alt: 'Classic tee in black' },
};

/** The headers of the export for the store's locations and metafield definitions, and one example row. */
export async function productsCsvTemplate(db: Executor, storeId: string): Promise<string> {
  const locations = await queryRows<{ id: string; name: string }>(db, plans.activeLocations(storeId));
  const columns = shopifyColumns(locations, await loadMetafieldDefinitions(db, storeId));
  const stock = new Map(locations.map((l) => [l.id, 10]));
  const variant = { local: EXAMPLE.variant, options: EXAMPLE.options, stock, metafields: new Map() };
  const names = {
    categoryNames: new Map([[EXAMPLE.product.category, 'Apparel & Accessories > Clothing > Clothing Tops > T-Shirts']]),
    references: new Map<string, string>(),
  };
  const example = productRows(
    columns,
    { local: EXAMPLE.product, variants: [variant], collections: [], images: [EXAMPLE.image], metafields: new Map() },
    names,
  );
  return `\uFEFF${csvText([columns.map((c) => c.header), ...example])}`;
}
