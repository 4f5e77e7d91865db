import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, signInAs } from '../helpers/browser';
import { ITEM, OUTLET, P, Sheet, seedCsvCatalog, V } from '../helpers/product-csv-fixtures';
import { createStore } from '../helpers/push-fixtures';
import { type SeededApp, startSeededApp } from '../helpers/seeded-app';

/**
 * The round trip a merchandiser makes with a spreadsheet: export the products a search shows in
 * Shopify's format from the Products page, edit cells (a title, an SEO title, a price on a
 * variant's row, a quantity at a location), sort the sheet, import it, and review exactly those
 * changes.
 */
let seeded: SeededApp;
let browser: Browser;

beforeAll(async () => {
  [seeded, browser] = await Promise.all([
    startSeededApp(async (db) => {
      const store = await createStore(db, { shopDomain: 'product-csv-e2e.myshopify.com' });
      await seedCsvCatalog(db, store.id, 12);
    }),
    launchBrowser(),
  ]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await seeded?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  return context.newPage();
}

async function download(page: Page, testId: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFileSync((await file.path())!, 'utf8');
}

describe("Shopify's product CSV in the browser", () => {
  it('exports the products a search shows, imports the edited and sorted sheet, and stages exactly the edited cells', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await openPage(page, `${seeded.app.url}/products`);
    await page.getByTestId('product-table').waitFor();
    await page.getByTestId('product-search').fill('product-1');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="product-row"]').length === 4);
    await expect(page.getByTestId('products-export').textContent()).resolves.toBe('Export these (CSV)');
    await screenshot(page, 'products-export');

    const sheet = new Sheet(await download(page, 'products-export'));
    expect(new Set(sheet.rows.map((r) => r.Handle))).toEqual(new Set(['product-1', 'product-10', 'product-11', 'product-12']));
    sheet.of('product-11')[0]!.Title = 'Eleven, renamed';
    sheet.of('product-1')[0]!['SEO Title'] = 'Only one';
    sheet.of('product-12')[2]!['Variant Price'] = '42.00';
    sheet.of('product-10')[0]!['Inventory Available: Outlet'] = '3';
    sheet.sortBy('Title'); // the variants' rows (no title) now come before their product's row

    await page.getByTestId('catalog-tab-import').click();
    const template = new Sheet(await download(page, 'import-template'));
    expect(template.headers).toEqual(sheet.headers);
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'products-edited.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet.text()) });
    await page.getByTestId('import-preview-button').click();
    await page.getByTestId('import-preview').waitFor({ timeout: 15_000 });
    await expect(page.getByLabel('Field for column Inventory Available: Outlet').inputValue()).resolves.toBe('available:Outlet');
    await expect(page.getByTestId('import-counts').textContent()).resolves.toMatch(
      /6 rows.*6 ready to stage.*0 rows refused.*4 cells change/,
    );
    // Every column of our own export is understood (option names rename options; image columns are synced).
    await expect(page.getByTestId('import-ignored').count()).resolves.toBe(0);
    const changes = (await page.getByTestId('import-change').allTextContents()).sort();
    expect(changes).toHaveLength(4);
    expect(changes.join('\n')).toMatch(/product-11.*Title.*Product 11.*Eleven, renamed/);
    expect(changes.join('\n')).toMatch(/product-12.*L.*Price.*22\.20.*42\.00/);
    expect(changes.join('\n')).toMatch(/product-10.*SKU-10 at Outlet.*Available.*101.*3/);
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await screenshot(page, `product-csv-preview-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByTestId('import-commit-button').click();
    await page.getByTestId('import-outcome').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('import-outcome').textContent()).resolves.toMatch(/4 changes staged from products-edited\.csv/);

    await openPage(page, `${seeded.app.url}/review`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="review-row"]').length === 4, undefined, { timeout: 15_000 });
    const staged = await page.evaluate(async () => (await fetch('/api/sync/staged?status=pending&limit=50')).json());
    const cells = (staged.items as Array<{ entityKey: string; kind: string; fields: Array<{ name: string; local: unknown }> }>)
      .flatMap((c) => c.fields.map((f) => `${c.kind} ${c.entityKey} ${f.name}=${JSON.stringify(f.local)}`))
      .sort();
    expect(cells).toEqual(
      [
        `outgoing ${P(11)} title="Eleven, renamed"`,
        `outgoing ${P(1)} seoTitle="Only one"`,
        `outgoing ${V(12, 2)} price="42.00"`,
        `outgoing ${ITEM(10)}|${OUTLET.id} available=3`,
      ].sort(),
    );
    await screenshot(page, 'product-csv-review');
    await page.context().close();
  });
});
