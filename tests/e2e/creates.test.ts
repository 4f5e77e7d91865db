import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../server/emulator';
import { launchBrowser, openPage, screenshot, signInAs } from '../helpers/browser';
import { apiFromPage, approveAndPush, firstPull, pageOverflow, shopifyGraphql } from '../helpers/page-scenario';
import { type SeededApp, startSeededApp } from '../helpers/seeded-app';
import { insertEmulatorStore } from '../helpers/staging';

let emulator: Emulator;
let seeded: SeededApp;
let browser: Browser;

beforeAll(async () => {
  emulator = await startEmulator({ products: 2, seed: 1, host: '127.0.0.1' });
  [seeded, browser] = await Promise.all([startSeededApp((db) => insertEmulatorStore(db, emulator).then(() => undefined)), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await seeded?.stop();
  await emulator?.close();
});

async function newPage(width = 1440): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  return context.newPage();
}

const PRODUCT = `query($q: String!) { products(first: 5, query: $q) { nodes { id title handle status options { name values }
  variants(first: 10) { nodes { title price sku } } } } }`;

describe('a product made in the dashboard', () => {
  it('a merchandiser creates a product with two variants, reviews its create, an admin pushes, Shopify holds exactly that', async () => {
    const admin = await newPage();
    await signInAs(admin, seeded.app.url, 'admin');
    await firstPull(admin);

    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await openPage(page, `${seeded.app.url}/products`);
    await page.getByTestId('new-product').click();
    const form = page.getByTestId('new-product-form');
    await form.getByTestId('new-title').fill('Field jacket');
    await form.getByLabel('Vendor').fill('Kōbō');
    const rows = form.getByTestId('new-variant-row');
    for (const [i, [size, price, sku]] of [
      ['S', '120', 'JACKET-S'],
      ['M', '125.50', 'JACKET-M'],
    ].entries()) {
      await rows.nth(i).getByTestId('new-variant-value').fill(size!);
      await rows.nth(i).getByTestId('new-variant-price').fill(price!);
      await rows.nth(i).getByTestId('new-variant-sku').fill(sku!);
    }
    await screenshot(page, 'new-product-form-1440');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await pageOverflow(page)).toBe(0);
    await screenshot(page, 'new-product-form-390');
    await page.setViewportSize({ width: 1440, height: 900 });
    await form.getByTestId('new-product-save').click();

    await page.getByTestId('product-page').waitFor();
    await expect(page.getByTestId('product-lifecycle').textContent()).resolves.toContain('New in the master');
    await page.getByTestId('product-variant').nth(1).waitFor();
    await expect(page.getByTestId('product-variant').count()).resolves.toBe(2);
    await page.getByTestId('product-pending-link').click();
    await page.getByTestId('review-row').first().click();
    await expect(page.getByTestId('whole-entity').textContent()).resolves.toContain(
      'Field jacket is new in the master. Its 2 variants go with it',
    );
    await page.getByTestId('variant-row').nth(1).waitFor();
    await expect(page.getByTestId('variant-row').count()).resolves.toBe(2);
    await screenshot(page, 'review-create-1440');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'review-create-390');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('approve-button').click();
    await expect(page.getByRole('dialog').textContent()).resolves.toContain('Approve: create it in Shopify');
    await page.getByTestId('confirm-button').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await approveAndPush(admin);
    const made = (await shopifyGraphql(emulator, PRODUCT, { q: 'handle:field-jacket' })).products.nodes;
    expect(made).toEqual([
      {
        id: expect.any(String),
        title: 'Field jacket',
        handle: 'field-jacket',
        status: 'DRAFT',
        options: [{ name: 'Size', values: ['S', 'M'] }],
        variants: {
          nodes: [
            { title: 'S', price: '120.00', sku: 'JACKET-S' },
            { title: 'M', price: '125.50', sku: 'JACKET-M' },
          ],
        },
      },
    ]);
    const staged = await apiFromPage(admin, 'GET', '/api/sync/staged?status=pending');
    expect(staged.body.items).toEqual([]);
  });
});
