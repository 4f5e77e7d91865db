import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, signInAs } from '../helpers/browser';
import { createStore, product, seedEntities, variant } from '../helpers/push-fixtures';
import { type SeededApp, startSeededApp } from '../helpers/seeded-app';

const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number) => `gid://shopify/ProductVariant/${n}`;

/** A supplier price list: two good rows in two number formats, an unknown SKU, a negative price, a column to ignore. */
const CSV = ['Item SKU,Retail price,Notes', 'SKU-1,"1.234,50",first', 'SKU-2,$12,second', 'SKU-9,5,unknown', 'SKU-3,-4,negative', ''].join(
  '\r\n',
);

let seeded: SeededApp;
let browser: Browser;

beforeAll(async () => {
  [seeded, browser] = await Promise.all([
    startSeededApp(async (db) => {
      const store = await createStore(db, { shopDomain: 'import-e2e.myshopify.com' });
      await seedEntities(
        db,
        store.id,
        [1, 2, 3].flatMap((n) => [
          { entity: 'product' as const, key: P(n), local: product(n), base: product(n), remote: product(n) },
          {
            entity: 'variant' as const,
            key: V(n),
            productKey: P(n),
            local: variant('10.00', { sku: `SKU-${n}` }),
            base: variant('10.00', { sku: `SKU-${n}` }),
            remote: variant('10.00', { sku: `SKU-${n}` }),
          },
        ]),
      );
    }),
    launchBrowser(),
  ]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await seeded?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

describe('CSV import in the browser', () => {
  it('as a merchandiser: previews a price list with the suggested columns and the refused rows, then stages the valid rows', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await openPage(page, `${seeded.app.url}/products`);
    await page.getByTestId('catalog-tab-import').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'supplier-prices.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByTestId('import-preview-button').click();
    await page.getByTestId('import-preview').waitFor({ timeout: 15_000 });

    // The mapping suggested from the headers; the notes column is ignored.
    await expect(page.getByLabel('Field for column Item SKU').inputValue()).resolves.toBe('sku');
    await expect(page.getByLabel('Field for column Retail price').inputValue()).resolves.toBe('price');
    await expect(page.getByLabel('Field for column Notes').inputValue()).resolves.toBe('');
    const counts = (await page.getByTestId('import-counts').textContent()) ?? '';
    expect(counts).toContain('4 rows');
    expect(counts).toContain('2 ready to stage');
    expect(counts).toContain('2 rows refused');
    const preview = (await page.getByRole('table', { name: 'First rows as they will be staged' }).textContent()) ?? '';
    expect(preview).toContain('1234.50');
    expect(preview).toContain('12.00');
    const errors = await page.getByTestId('import-row-error').allTextContents();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^4.*Item SKU.*no variant has SKU SKU-9/);
    expect(errors[1]).toMatch(/^5.*Retail price/);
    await screenshot(page, 'import-preview');
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await screenshot(page, `import-preview-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    // Changing a column makes the preview stale until it is checked again.
    await page.getByLabel('Field for column Notes').selectOption('vendor');
    await expect(page.getByTestId('import-commit-button').isDisabled()).resolves.toBe(true);
    await page.getByLabel('Field for column Notes').selectOption('');
    await expect(page.getByTestId('import-commit-button').isDisabled()).resolves.toBe(false);

    await page.getByTestId('import-commit-button').click();
    await page.getByTestId('import-outcome').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('import-outcome').textContent()).resolves.toMatch(
      /2 changes staged from supplier-prices\.csv.*2 rows refused/,
    );
    await screenshot(page, 'import-outcome');

    const staged = await page.evaluate(async () => (await fetch('/api/sync/staged?kind=outgoing&limit=10')).json());
    const prices = (staged.items as Array<{ entityKey: string; fields: Array<{ name: string; local: unknown }> }>)
      .map((c) => [c.entityKey, c.fields.find((f) => f.name === 'price')?.local])
      .sort();
    expect(prices).toEqual([
      [V(1), '1234.50'],
      [V(2), '12.00'],
    ]);
    await page.context().close();
  });

  it('says clearly when the file has no key column, and offers the columns to pick one', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'admin');
    await openPage(page, `${seeded.app.url}/products`);
    await page.getByTestId('catalog-tab-import').click();
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'no-key.csv', mimeType: 'text/csv', buffer: Buffer.from('Code,Retail price\r\nSKU-1,9.99\r\n') });
    await page.getByTestId('import-preview-button').click();
    await expect(page.getByTestId('import-error').textContent()).resolves.toContain('needs a key column');
    await page.getByLabel('Field for column Code').selectOption('sku');
    await page.getByTestId('import-recheck-button').click();
    await page.getByTestId('import-preview').waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('import-counts').textContent()).resolves.toContain('1 ready to stage');
    await page.context().close();
  });

  it('as support: no import tab', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'support');
    await openPage(page, `${seeded.app.url}/products`);
    await page.getByTestId('catalog-tab-products').waitFor();
    expect(await page.getByTestId('catalog-tab-import').count()).toBe(0);
    await page.context().close();
  });
});
