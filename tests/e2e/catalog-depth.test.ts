import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../server/emulator';
import { launchBrowser, openPage, screenshot, signInAs } from '../helpers/browser';
import { apiFromPage, approveAndPush, firstPull, overflowingElements, pageOverflow, shopifyGraphql } from '../helpers/page-scenario';
import { type SeededApp, startSeededApp } from '../helpers/seeded-app';
import { insertEmulatorStore } from '../helpers/staging';

/**
 * Issue 16's acceptance flow: a merchandiser edits SEO, a metafield of each simple type, an option
 * value, a variant's weight, an image's alt text and order, and makes a product with two variants;
 * reviews them side by side and approves; an admin pushes; the emulator holds exactly that, and the
 * next pull stages nothing.
 */
let emulator: Emulator;
let seeded: SeededApp;
let browser: Browser;

// The generator's third product: three images, and two of the store's metafields (Material, Colors).
const PRODUCT = 'gid://shopify/Product/7400000003';

beforeAll(async () => {
  emulator = await startEmulator({ products: 3, seed: 1, host: '127.0.0.1' });
  // SHOPIFY_ADMIN_URL lets the page show the emulator's pictures (the CSP allows its origin).
  const env = { SHOPIFY_ADMIN_URL: emulator.adminUrl };
  [seeded, browser] = await Promise.all([
    startSeededApp((db) => insertEmulatorStore(db, emulator).then(() => undefined), { env }),
    launchBrowser(),
  ]);
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

/**
 * Screenshots at desk and phone width; at the phone's, nothing scrolls sideways (the review's detail
 * with its variants and inventory included).
 */
async function shoot(page: Page, name: string) {
  await screenshot(page, `${name}-1440`);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await pageOverflow(page), (await overflowingElements(page)).join('\n')).toBe(0);
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Clicks a control that saves through PATCH /api/products/:id and waits for its answer. */
async function saveWith(page: Page, click: () => Promise<void>) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/api/products/')),
    click(),
  ]);
  expect(res.status(), await res.text()).toBe(200);
}

const METAFIELD_EDITS: Array<[key: string, fill: string, shopify: string]> = [
  ['material', 'Organic cotton', 'Organic cotton'],
  ['care_guide', 'Hand wash.\nDry flat.', 'Hand wash.\nDry flat.'],
  ['weight_grams', '250', '250'],
  ['rating', '4.5', '4.5'],
  ['release_date', '2027-03-01', '2027-03-01'],
  ['spec_sheet', 'https://example.com/specs/scarf.pdf', 'https://example.com/specs/scarf.pdf'],
  ['specs', '{"lining": "silk", "layers": 2}', '{"layers":2,"lining":"silk"}'],
  ['colors', 'Black\nOchre', '["Black","Ochre"]'],
];

const SHOPIFY_PRODUCT = `query($id: ID!) { product(id: $id) { seo { title description } options { name values }
  media(first: 10) { nodes { id alt } }
  variants(first: 10) { nodes { id inventoryItem { measurement { weight { value unit } } } } }
  metafields(first: 20) { nodes { key type value } } } }`;
const NEW_PRODUCT = `query($q: String!) { products(first: 5, query: $q) { nodes { title options { name values }
  variants(first: 10) { nodes { title price sku } } } } }`;

/** Confirms a decision and waits for the server's answer to it (the dialog closes before the answer). */
async function decided(page: Page, confirm: () => Promise<void>) {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && /\/approve|\/bulk-approve/.test(r.url()));
  await confirm();
  expect((await answered).ok()).toBe(true);
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

describe('catalog depth, edited in the dashboard', () => {
  it('a merchandiser edits SEO, metafields, options, weight and images and makes a product; reviewed, pushed, Shopify holds exactly that', async () => {
    const admin = await newPage();
    await signInAs(admin, seeded.app.url, 'admin');
    await firstPull(admin);
    const before = (await shopifyGraphql(emulator, SHOPIFY_PRODUCT, { id: PRODUCT })).product;

    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    const list = await apiFromPage(page, 'GET', '/api/products?limit=50');
    const product = list.body.items.find((p: { shopifyId: string }) => p.shopifyId === PRODUCT);
    await openPage(page, `${seeded.app.url}/products/${product.id}`);
    const editor = page.getByTestId('product-details-editor');
    await editor.waitFor();

    await editor.getByTestId('seo-title').fill('Limited scarf in organic cotton');
    await editor.getByTestId('seo-description').fill('A scarf of organic cotton, dyed by hand.');
    const metafield = (key: string) => editor.locator(`[data-metafield="custom.${key}"] [data-testid="metafield-input"]`);
    for (const [key, text] of METAFIELD_EDITS) await metafield(key).fill(text);
    await metafield('eco').selectOption('false');
    await expect(editor.locator('[data-metafield="custom.colors"] label').textContent()).resolves.toBe('Colors');
    // An option value renamed: the first value of the first option.
    const option = before.options[0] as { name: string; values: string[] };
    const renamed = `${option.values[0]} deluxe`;
    await editor.getByTestId('option-value').first().fill(renamed);
    const firstVariant = editor.getByTestId('weight-field').first();
    await firstVariant.getByTestId('variant-weight').fill('1.25');
    await firstVariant.getByTestId('variant-weight-unit').selectOption('KILOGRAMS');
    await shoot(page, 'product-editor');

    // A value of the wrong type is refused next to its field, and nothing is saved.
    await metafield('specs').fill('{"lining": ');
    await editor.getByTestId('details-save').click();
    await expect(editor.locator('[data-metafield="custom.specs"] [role="alert"]').textContent()).resolves.toBe('is not valid JSON');
    await metafield('rating').fill('7');
    await metafield('specs').fill(METAFIELD_EDITS[6]![1]);
    await editor.getByTestId('details-save').click();
    await expect(editor.locator('[data-metafield="custom.rating"] [role="alert"]').textContent()).resolves.toContain('must be at most 5');
    await metafield('rating').fill('4.5');
    await saveWith(page, () => editor.getByTestId('details-save').click());

    // Images: the second one's alt text, then the third moved before it.
    const images = page.getByTestId('media-item');
    await images.nth(2).waitFor();
    await expect(images.count()).resolves.toBe(3);
    await images.nth(1).getByLabel('Alt text').fill('Scarf folded, side view');
    await saveWith(page, () => images.nth(1).getByRole('button', { name: 'Save alt' }).click());
    await saveWith(page, () => images.nth(2).getByRole('button', { name: 'Move earlier' }).click());

    // A new product with two variants.
    await openPage(page, `${seeded.app.url}/products`);
    await page.getByTestId('new-product').click();
    const form = page.getByTestId('new-product-form');
    await form.getByTestId('new-title').fill('Trail vest');
    const rows = form.getByTestId('new-variant-row');
    for (const [i, [size, price, sku]] of [
      ['S', '80', 'VEST-S'],
      ['M', '82.50', 'VEST-M'],
    ].entries()) {
      await rows.nth(i).getByTestId('new-variant-value').fill(size!);
      await rows.nth(i).getByTestId('new-variant-price').fill(price!);
      await rows.nth(i).getByTestId('new-variant-sku').fill(sku!);
    }
    await form.getByTestId('new-product-save').click();
    await page.getByTestId('product-page').waitFor();

    // Review, side by side: the list metafield item by item, the image as two thumbnails.
    await openPage(page, `${seeded.app.url}/review?product=${encodeURIComponent(product.id)}`);
    const reviewRows = page.getByTestId('review-row');
    await reviewRows.filter({ hasText: 'Colors' }).getByTestId('row-open').click();
    const detail = page.getByTestId('change-detail');
    await detail.getByText('+ Ochre').waitFor();
    await expect(detail.getByTestId('master-value').textContent()).resolves.toMatch(/Black\+ Ochre− Sand/);
    await expect(detail.getByTestId('shopify-value').textContent()).resolves.toMatch(/Black\+ Sand− Ochre/);
    await shoot(page, 'review-metafield');
    // The second image's change: its place and its alt text (the row names its first field, the place).
    await reviewRows.filter({ hasText: 'an image' }).filter({ hasText: 'and 1 more' }).getByTestId('row-open').click();
    const compare = page.getByTestId('media-compare');
    await expect(compare.getByTestId('image-master').textContent()).resolves.toContain('Scarf folded, side view');
    await compare.locator('img').nth(1).waitFor();
    await expect(compare.locator('img').count()).resolves.toBe(2);
    await shoot(page, 'review-image');
    await page.getByTestId('select-all-matching').click();
    await page.getByTestId('bulk-approve').click();
    await decided(page, () => page.getByTestId('confirm-button').click());

    await openPage(page, `${seeded.app.url}/review`);
    await reviewRows.filter({ hasText: 'Trail vest' }).getByTestId('row-open').click();
    // The detail loads after the click: wait for its rows before counting them.
    await page.getByTestId('variant-row').nth(1).waitFor();
    await expect(page.getByTestId('variant-row').count()).resolves.toBe(2);
    await page.getByTestId('approve-button').click();
    await decided(page, () => page.getByTestId('confirm-button').click());
    const pending = await apiFromPage(page, 'GET', '/api/sync/staged?status=pending');
    expect(pending.body.items).toEqual([]);

    await approveAndPush(admin);
    const after = (await shopifyGraphql(emulator, SHOPIFY_PRODUCT, { id: PRODUCT })).product;
    expect(after.seo).toEqual({ title: 'Limited scarf in organic cotton', description: 'A scarf of organic cotton, dyed by hand.' });
    expect(after.options).toEqual([{ name: option.name, values: [renamed, ...option.values.slice(1)] }, ...before.options.slice(1)]);
    const values = Object.fromEntries(after.metafields.nodes.map((m: { key: string; value: string }) => [m.key, m.value]));
    for (const [key, , shopify] of METAFIELD_EDITS) {
      if (key === 'specs') expect(JSON.parse(values[key])).toEqual(JSON.parse(shopify));
      else expect(values[key], key).toBe(shopify);
    }
    expect(values.eco).toBe('false');
    const [m1, m2, m3] = before.media.nodes;
    expect(after.media.nodes).toEqual([m1, m3, { ...m2, alt: 'Scarf folded, side view' }]);
    expect(after.variants.nodes[0].inventoryItem.measurement.weight).toEqual({ value: 1.25, unit: 'KILOGRAMS' });
    expect(after.variants.nodes.slice(1)).toEqual(before.variants.nodes.slice(1));
    const made = (await shopifyGraphql(emulator, NEW_PRODUCT, { q: 'handle:trail-vest' })).products.nodes;
    expect(made).toEqual([
      {
        title: 'Trail vest',
        options: [{ name: 'Size', values: ['S', 'M'] }],
        variants: {
          nodes: [
            { title: 'S', price: '80.00', sku: 'VEST-S' },
            { title: 'M', price: '82.50', sku: 'VEST-M' },
          ],
        },
      },
    ]);

    // Both sides now hold the same catalog: the next pull stages nothing, for the edited product
    // and for the product made in the master (its options and Shopify's default weights were
    // recorded when its create was pushed).
    await firstPull(admin);
    const staged = await apiFromPage(admin, 'GET', '/api/sync/staged?status=pending&limit=500');
    expect(staged.body.items).toEqual([]);
  });
});
