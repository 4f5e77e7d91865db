import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as importsRoute from '../../app/api/imports/route';
import * as productRoute from '../../app/api/products/[id]/route';
import * as exportRoute from '../../app/api/products/export.csv/route';
import * as templateRoute from '../../app/api/products/template.csv/route';
import * as stagedRoute from '../../app/api/sync/staged/[id]/route';
import { stores } from '../../drizzle/schema';
import { queryRows } from '../../server/db/rows';
import { callRoute, demoToken } from '../helpers/api';
import {
  CANDLES,
  FEATURED,
  ITEM,
  MAIN,
  MATERIAL,
  OUTLET,
  P,
  PACK_SIZE,
  PAIR,
  RELATED,
  SALE,
  Sheet,
  SIZE_CHART,
  SUMMER,
  seedCsvCatalog,
  skuOf,
  TEES,
  V,
} from '../helpers/product-csv-fixtures';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * Shopify's product CSV both ways: the export from Products, edited like a spreadsheet (cells
 * changed, rows sorted, columns added) and imported back, stages exactly the edited cells;
 * contradictions between a product's rows, unknown locations and quantities beyond Shopify's limit
 * are refused with their reason; a supplier's SKU-keyed list imports as before.
 */
const PRODUCTS = 24;
const PRODUCT_COLUMNS = [
  'Title',
  'Body (HTML)',
  'Vendor',
  'Type',
  'Tags',
  'Status',
  'SEO Title',
  'SEO Description',
  'Product Category',
  'Custom Collections',
];
let t: TestRuntime;
let merch: string;

async function upload(text: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set('file', new Blob([text], { type: 'text/csv' }), 'products.csv');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const req = new Request('http://localhost/api/imports', { method: 'POST', body: form, headers: { authorization: `Bearer ${merch}` } });
  const res = await importsRoute.POST(req, { params: Promise.resolve({}) });
  return { status: res.status, body: await res.json() };
}

async function exported(query = ''): Promise<Sheet> {
  const res = await callRoute<string>(exportRoute.GET, { token: merch, path: `/api/products/export.csv${query}` });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  return new Sheet(res.body);
}

/** Pending changes as "entity key field=value" lines (the master's side). */
async function pendingCells(): Promise<string[]> {
  const rows = await queryRows<{ entity: string; entity_key: string; op: string; fields: Array<{ name: string; local: unknown }> }>(
    t.runtime.db,
    sql`select entity, entity_key, op, fields from staged_changes where status = 'pending'`,
  );
  return rows.flatMap((r) => r.fields.map((f) => `${r.entity} ${r.entity_key} ${f.name}=${JSON.stringify(f.local)}`)).sort();
}

beforeAll(async () => {
  t = await startTestRuntime();
  const [store] = await t.runtime.db.insert(stores).values({ shopDomain: 'csv.myshopify.com', name: 'csv', accessToken: 'x' }).returning();
  await seedCsvCatalog(t.runtime.db, store!.id, PRODUCTS);
  merch = await demoToken('merchandiser');
});
afterAll(() => t?.stop());

describe("Shopify's product CSV", () => {
  it('exports one row per variant with the product on its first row, options, stock per location and collections', async () => {
    const sheet = await exported();
    expect(sheet.headers.slice(0, 3)).toEqual(['Handle', 'Title', 'Body (HTML)']);
    expect(sheet.headers).toEqual(
      expect.arrayContaining(['Option1 Name', 'Option1 Value', 'Variant SKU', 'Variant Price', 'Cost per item', 'SEO Title']),
    );
    expect(sheet.headers.slice(-9)).toEqual([
      'Inventory Available: Main Warehouse',
      'Inventory Available: Outlet',
      'Custom Collections',
      FEATURED,
      MATERIAL,
      RELATED,
      PACK_SIZE,
      PAIR,
      SIZE_CHART,
    ]);
    expect(sheet.rows).toHaveLength(PRODUCTS + 2 * (PRODUCTS / 3));
    const [first, second, third] = sheet.of('product-3');
    expect(first).toMatchObject({ Title: 'Product 3', 'Option1 Name': 'Size', 'Option1 Value': 'S', 'Variant SKU': 'SKU-3-S' });
    expect(second).toMatchObject({ Title: '', Tags: '', 'Option1 Name': '', 'Option1 Value': 'M', 'Variant SKU': '' });
    expect(third).toMatchObject({ 'Option1 Value': 'L', 'Variant Price': '13.20', 'Inventory Available: Outlet': '33' });
    // Product metafields on the product's first row, variant metafields on each variant's row.
    expect([first, second, third].map((r) => [r![MATERIAL], r![SIZE_CHART], r![PACK_SIZE]])).toEqual([
      ['', 'EU S', '1'],
      ['', 'EU M', ''],
      ['', 'EU L', ''],
    ]);
    expect(sheet.of('product-6').map((r) => r[MATERIAL])).toEqual(['Cotton', '', '']);
    expect(sheet.of('product-5')[0]!['Custom Collections']).toBe('summer');
    // A formula is written as text, and a value ending in a space survives the spreadsheet.
    expect(sheet.of('product-2')[0]!.Title).toBe('\'=HYPERLINK("http://example.com")');
    expect(sheet.of('product-7')[0]!.Vendor).toBe('Acme ');
    const filtered = await exported('?q=product-2');
    expect(new Set(filtered.rows.map((r) => r.Handle))).toEqual(new Set([2, 20, 21, 22, 23, 24].map((n) => `product-${n}`)));
  });

  it('imports its own export, edited, sorted and with columns it does not sync, staging exactly the edited cells', async () => {
    const sheet = await exported();
    const product3 = sheet.of('product-3')[0]!;
    product3.Title = 'Product 3 renamed';
    product3.Tags = 'a, new-tag';
    sheet.of('product-6')[2]!['Variant Price'] = '99.50'; // a non-first row
    sheet.of('product-4')[0]!['Inventory Available: Main Warehouse'] = '7'; // a variant without SKU
    sheet.of('product-6')[1]!['Inventory Available: Outlet'] = '0'; // without SKU, in a product of three
    sheet.of('product-10')[0]!['SEO Title'] = 'Ten, for search';
    sheet.of('product-11')[0]!['SEO Title'] = ''; // an emptied cell clears the field
    sheet.of('product-12')[0]!.Status = 'draft';
    sheet.of('product-5')[0]!['Custom Collections'] = 'Sale';
    const sixM = sheet.of('product-6')[1]!;
    sixM[SIZE_CHART] = 'EU 38'; // a variant metafield on a non-first row
    sheet.of('product-6')[0]![PACK_SIZE] = '6'; // and on the product's first row
    sheet.of('product-9')[2]![SIZE_CHART] = ''; // an emptied cell removes the value
    sheet.of('product-4')[0]![MATERIAL] = 'Linen';
    sheet.addColumn('Gift Card', (r) => (r.Title ? 'FALSE' : ''));
    // A row of a product with nothing on it is passed over (images have columns of their own now: field-media.test.ts).
    sheet.rows.push({ ...Object.fromEntries(sheet.headers.map((h) => [h, ''])), Handle: 'product-8' });
    sheet.sortBy('Title'); // the variants' rows (no title) now come before their product's row

    const preview = await upload(sheet.text());
    expect(preview.status).toBe(200);
    expect(preview.body.keyColumn).toBe('Handle');
    expect(preview.body.ignored).toEqual(['Gift Card']);
    expect(preview.body.mapping).toMatchObject({
      'Option1 Name': 'option1Name',
      'Variant Inventory Tracker': 'tracked',
      'Inventory Available: Main Warehouse': 'available:Main Warehouse',
      'Custom Collections': 'collections',
      'Option1 Value': 'option1',
    });
    expect(preview.body.rowErrors).toEqual([]);
    expect(preview.body.mapping).toMatchObject({
      [SIZE_CHART]: 'variant.metafield:custom.size_chart',
      [MATERIAL]: 'metafield:custom.material',
    });
    expect(preview.body.counts).toMatchObject({ rows: sheet.rows.length, skipped: 1, errors: 0, changes: 14 });
    expect(preview.body.changes).toContainEqual({
      row: sheet.line(sixM),
      product: 'product-6',
      item: 'M',
      field: 'custom.size_chart',
      from: 'EU M',
      to: 'EU 38',
    });
    const titleChange = preview.body.changes.find((c: { field: string }) => c.field === 'Title');
    expect(titleChange).toEqual({
      row: sheet.line(product3),
      product: 'product-3',
      item: null,
      field: 'Title',
      from: 'Product 3',
      to: 'Product 3 renamed',
    });
    expect(await pendingCells()).toEqual([]);

    const done = await upload(sheet.text(), { commit: 'true' });
    expect(done.status).toBe(200);
    expect(await pendingCells()).toEqual(
      [
        `product ${P(3)} title="Product 3 renamed"`,
        `product ${P(3)} tags=["a","new-tag"]`,
        `variant ${V(6, 2)} price="99.50"`,
        `inventory_level ${ITEM(4)}|${MAIN.id} available=7`,
        `inventory_level ${ITEM(6, 1)}|${OUTLET.id} available=0`,
        `product ${P(10)} seoTitle="Ten, for search"`,
        `product ${P(11)} seoTitle=null`,
        `product ${P(12)} status="DRAFT"`,
        `membership ${SUMMER}|${P(5)} member=null`,
        `membership ${SALE}|${P(5)} member=true`,
        `metafield ${V(6, 1)}|custom.size_chart value={"type":"single_line_text_field","value":"EU 38"}`,
        `metafield ${V(6, 0)}|custom.pack_size value={"type":"number_integer","value":"6"}`,
        `metafield ${V(9, 2)}|custom.size_chart value=null`,
        `metafield ${P(4)}|custom.material value={"type":"single_line_text_field","value":"Linen"}`,
      ].sort(),
    );
    expect(done.body.counts).toMatchObject({ errors: 0, staged: 13 });
    const again = await upload((await exported()).text());
    expect(again.body.counts).toMatchObject({ errors: 0, changes: 0 });
  });

  it('carries the weight in grams with its unit and the category by its full name, and reads them back', async () => {
    const sheet = await exported();
    expect(sheet.of('product-1')[0]).toMatchObject({
      'Product Category': TEES.fullName,
      'Variant Grams': '1250',
      'Variant Weight Unit': 'kg',
    });
    expect(sheet.of('product-2')[0]).toMatchObject({
      'Product Category': '',
      'Variant Grams': '99.2233309375',
      'Variant Weight Unit': 'oz',
    });
    expect(sheet.of('product-3')[0]).toMatchObject({ 'Variant Grams': '997.903214', 'Variant Weight Unit': 'lb' });
    expect(sheet.of('product-4')[0]).toMatchObject({ 'Variant Grams': '250', 'Variant Weight Unit': 'g' });
    const before = await pendingCells();

    sheet.of('product-17')[0]!['Variant Grams'] = '1500'; // kg: 1.5
    sheet.of('product-21')[0]!['Variant Weight Unit'] = 'LB'; // the same 1250 g, now read in pounds
    sheet.of('product-14')[0]!['Product Category'] = CANDLES.fullName.toUpperCase(); // names match case-insensitively
    sheet.of('product-22')[0]!['Product Category'] = TEES.id; // or by GID
    sheet.of('product-23')[0]!['Variant Grams'] = '-5';
    const preview = await upload(sheet.text());
    expect(preview.body.changes.filter((c: { field: string }) => c.field === 'Category')).toEqual([
      {
        row: sheet.line(sheet.of('product-14')[0]!),
        product: 'product-14',
        item: null,
        field: 'Category',
        from: null,
        to: CANDLES.fullName,
      },
      { row: sheet.line(sheet.of('product-22')[0]!), product: 'product-22', item: null, field: 'Category', from: null, to: TEES.fullName },
    ]);
    const done = await upload(sheet.text(), { commit: 'true' });
    expect(done.body.rowErrors).toEqual([
      { row: sheet.line(sheet.of('product-23')[0]!), column: 'Variant Grams', reason: 'must be a non-negative number' },
    ]);
    expect((await pendingCells()).filter((c) => !before.includes(c))).toEqual(
      [
        `variant ${V(17)} weight="1.5"`,
        `variant ${V(21)} weight="2.755778277"`,
        `variant ${V(21)} weightUnit="POUNDS"`,
        `product ${P(14)} category="${CANDLES.id}"`,
        `product ${P(22)} category="${TEES.id}"`,
      ].sort(),
    );
  });

  it("refuses a variant metafield cell its definition's type does not take, naming the row and the column", async () => {
    const sheet = await exported();
    const row = sheet.of('product-12')[0]!;
    row[PACK_SIZE] = 'six';
    const res = await upload(sheet.text());
    expect(res.body.rowErrors[0]).toEqual({
      row: sheet.line(row),
      column: PACK_SIZE,
      reason: expect.stringMatching(/^metafield "Pack size" \(custom\.pack_size\) must be a whole number/),
    });
  });

  it('refuses the rows of a product whose repeated columns disagree, naming both rows and both values', async () => {
    const sheet = await exported();
    for (const handle of ['product-9', 'product-15']) {
      const [first, ...rest] = sheet.of(handle);
      for (const r of rest) for (const h of PRODUCT_COLUMNS) r[h] = first![h]!;
    }
    const [first, second, third] = sheet.of('product-9');
    third!.Tags = 'a, t9, sale';
    second!['Variant Price'] = '1.00';
    sheet.sortBy('Variant SKU'); // the M row (no SKU) comes first, then L, then S
    const res = await upload(sheet.text());
    expect(res.body.rowErrors).toEqual(
      [
        {
          row: sheet.line(third!),
          column: 'Tags',
          reason: `Tags is "a, t9, sale" here but "a, t9" on row ${sheet.line(second!)}: the rows of one product must agree`,
        },
        ...[first, second]
          .map((r) => sheet.line(r!))
          .sort((a, b) => a - b)
          .map((row) => ({ row, column: null, reason: `not imported: row ${sheet.line(third!)} of product-9 was refused` })),
      ].sort((a, b) => a.row - b.row),
    );
    // Product 15 repeats its columns consistently: accepted, nothing to change.
    expect(res.body.counts).toMatchObject({ errors: 3, changes: 0 });
  });

  it('finds the location of a quantity by its name, in a column or picked for the file', async () => {
    const csv = ['Variant SKU,Variant Inventory Qty,Location', 'SKU-1,5,main warehouse', 'SKU-2,6,Outlet', 'SKU-5,1,Nowhere', 'SKU-7,2,'];
    const res = await upload(csv.join('\n'));
    const cells = (body: { changes: Array<{ item: string; to: unknown }> }) => body.changes.map((c) => `${c.item}=${c.to}`);
    expect(cells(res.body)).toEqual(['SKU-1 at Main Warehouse=5', 'SKU-2 at Outlet=6']);
    expect(res.body.rowErrors).toEqual([
      { row: 4, column: 'Location', reason: 'the store has no location "Nowhere" (its locations: "Main Warehouse", "Outlet")' },
      { row: 5, column: 'Variant Inventory Qty', reason: expect.stringMatching(/needs a location: add a Location column, or pick/) },
    ]);
    const picked = await upload('Handle,Variant Inventory Qty\nproduct-7,3\nproduct-8,4\n', { location: 'Outlet' });
    expect(picked.body.location).toEqual(OUTLET);
    expect(picked.body.locations).toEqual([MAIN, OUTLET]);
    expect(cells(picked.body)).toEqual(['SKU-7 at Outlet=3', `${'Default Title'} at Outlet=4`]);
    const unknown = await upload('Handle,Variant Inventory Qty\nproduct-7,3\n', { location: 'Basement' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'validation:location', message: expect.stringContaining('no location "Basement"') });
    const column = await upload('Handle,Inventory Available: Attic\nproduct-7,3\n');
    expect(column.body.error.message).toMatch(/^Column Inventory Available: Attic: the store has no location "Attic"/);
  });

  it("refuses quantities beyond Shopify's limit at import and at edit, with the reason", async () => {
    const res = await upload('Variant SKU,Inventory Available: Outlet\nSKU-1,2147483648\nSKU-2,999999999999\nSKU-5,-5\n');
    const reason = "must be at most 1,000,000,000 (Shopify's limit for a quantity)";
    expect(res.body.rowErrors).toEqual([
      { row: 2, column: 'Inventory Available: Outlet', reason },
      { row: 3, column: 'Inventory Available: Outlet', reason },
    ]);
    expect(res.body.counts).toMatchObject({ valid: 1, errors: 2 });
    const patch = await callRoute(productRoute.PATCH, {
      method: 'PATCH',
      token: merch,
      params: { id: P(1) },
      body: { inventory: [{ variantId: V(1), locationId: OUTLET.id, available: 2147483648 }] },
    });
    expect(patch.status).toBe(400);
    expect(patch.body.error.message).toContain(reason);
  });

  it("imports a supplier's SKU-keyed list as before: one variant per row, blank cells left alone", async () => {
    const before = await pendingCells();
    const res = await upload(`SKU,Price,Vendor\n${skuOf(3, 2)},"1.234,50",\nSKU-13,$12,Bolt Co\n`, { commit: 'true' });
    expect(res.body).toMatchObject({ keyColumn: 'SKU', counts: { rows: 2, valid: 2, errors: 0, staged: 3 } });
    expect((await pendingCells()).filter((c) => !before.includes(c))).toEqual(
      [`product ${P(13)} vendor="Bolt Co"`, `variant ${V(3, 2)} price="1234.50"`, `variant ${V(13)} price="12.00"`].sort(),
    );
  });

  it('renames an option and a value from the option cells: one product change, refused when a variant would move', async () => {
    const before = await pendingCells();
    const sheet = await exported('?q=product-21');
    const [small, , large] = sheet.of('product-21');
    small!['Option1 Name'] = 'Taille';
    small!['Option1 Value'] = 'Small'; // found by its SKU: renames S in every variant that has it
    const done = await upload(sheet.text(), { commit: 'true' });
    expect(done.body.rowErrors).toEqual([]);
    const options = [{ name: 'Taille', values: ['Small', 'M', 'L'] }];
    expect((await pendingCells()).filter((c) => !before.includes(c))).toEqual([`product ${P(21)} options=${JSON.stringify(options)}`]);

    // Exported again, the master's names come back (the rename is not pushed yet): re-imported, nothing new.
    const again = await exported('?q=product-21');
    expect(again.of('product-21').map((r) => r['Option1 Value'])).toEqual(['Small', 'M', 'L']);
    expect(again.of('product-21')[0]!['Option1 Name']).toBe('Taille');
    expect((await upload(again.text())).body.counts).toMatchObject({ errors: 0, changes: 0 });

    // A variant given another existing value would move, not rename: refused, naming the value.
    large!['Option1 Value'] = 'M';
    const refused = await upload(sheet.text());
    expect(refused.body.rowErrors).toContainEqual(
      expect.objectContaining({
        row: sheet.line(large!),
        column: 'Option1 Value',
        reason: expect.stringContaining('"M" is another value'),
      }),
    );
  });

  it('offers a template: the columns for the store and one example row the import reads', async () => {
    const res = await callRoute<string>(templateRoute.GET, { token: merch, path: '/api/products/template.csv' });
    const sheet = new Sheet(res.body);
    expect(sheet.headers).toEqual((await exported()).headers);
    expect(sheet.rows).toHaveLength(1);
    const preview = await upload(sheet.text());
    // Its handle is new to the store: the example row reads as a new product, ready to fill in.
    expect(preview.body.rowErrors).toEqual([]);
    expect(preview.body.changes).toContainEqual(expect.objectContaining({ row: 2, product: 'classic-tee', field: 'New product' }));
  });

  it('writes references by handle (a variant by SKU), reads back a handle, SKU or GID, and the review reads them by name', async () => {
    const sheet = await exported();
    expect(sheet.of('product-6')[0]![RELATED]).toBe('product-5');
    expect(sheet.of('product-1')[0]![FEATURED]).toBe('summer; sale');
    expect(sheet.of('product-3')[0]![PAIR]).toBe('SKU-5');
    expect((await upload(sheet.text())).body.counts).toMatchObject({ errors: 0, changes: 0 });

    const before = await pendingCells();
    sheet.of('product-6')[0]![RELATED] = 'Product-7'; // handles are matched without case
    sheet.of('product-1')[0]![FEATURED] = 'sale';
    sheet.of('product-3')[0]![PAIR] = V(8); // a variant without SKU, by its GID
    const unknown = sheet.of('product-14')[0]!;
    unknown[RELATED] = 'no-such-product';
    const refused = await upload(sheet.text());
    expect(refused.body.rowErrors[0]).toEqual({
      row: sheet.line(unknown),
      column: RELATED,
      reason: 'metafield "Related" (custom.related): no product has the handle "no-such-product"',
    });
    unknown[RELATED] = '';
    const done = await upload(sheet.text(), { commit: 'true' });
    expect(done.body.rowErrors).toEqual([]);
    const reference = (type: string, value: unknown) => `value=${JSON.stringify({ type, value })}`;
    expect((await pendingCells()).filter((c) => !before.includes(c))).toEqual(
      [
        `metafield ${P(6)}|custom.related ${reference('product_reference', P(7))}`,
        `metafield ${P(1)}|custom.featured ${reference('list.collection_reference', [SALE])}`,
        `metafield ${V(3)}|custom.pair ${reference('variant_reference', V(8))}`,
      ].sort(),
    );

    // PATCH takes the same readable forms, and refuses a SKU nothing has by name.
    const patch = (body: unknown) => callRoute(productRoute.PATCH, { method: 'PATCH', token: merch, params: { id: P(9) }, body });
    const pair = (value: string) => ({ variants: [{ id: V(9), metafields: [{ namespace: 'custom', key: 'pair', value }] }] });
    expect((await patch(pair('SKU-404'))).body.error.message).toBe(
      'Invalid body: variants.0.metafields.0.value: metafield "Pairs with" (custom.pair): no variant has SKU "SKU-404"',
    );
    expect((await patch({ ...pair('SKU-10'), metafields: [{ namespace: 'custom', key: 'related', value: 'product-10' }] })).status).toBe(
      200,
    );
    expect((await pendingCells()).filter((c) => c.includes(`${P(9)}|`) || c.includes(`${V(9)}|`))).toEqual([
      `metafield ${P(9)}|custom.related ${reference('product_reference', P(10))}`,
      `metafield ${V(9)}|custom.pair ${reference('variant_reference', V(10))}`,
    ]);

    // The review reads each target by its name: a product by title, a variant as "<product> / <variant>".
    const [change] = await queryRows<{ id: string }>(
      t.runtime.db,
      sql`select id from staged_changes where entity_key = ${`${V(9)}|custom.pair`} and status = 'pending'`,
    );
    const detail = await callRoute(stagedRoute.GET, { token: merch, params: { id: change!.id } });
    expect(detail.body.valueNames).toEqual({ [V(10)]: 'Product 10 / SKU-10' });
    const related = detail.body.related.find((c: { entityKey: string }) => c.entityKey === `${P(9)}|custom.related`);
    expect(related.valueNames).toEqual({ [P(10)]: 'Product 10' });
  });
});
