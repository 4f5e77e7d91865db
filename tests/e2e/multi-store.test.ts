import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../server/emulator';
import { launchBrowser, openPage, screenshot, signInAs } from '../helpers/browser';
import { apiFromPage, firstPull, pageOverflow, shopifyGraphql, waitForApi } from '../helpers/page-scenario';
import { type SeededApp, startSeededApp } from '../helpers/seeded-app';
import { insertEmulatorStore } from '../helpers/staging';

/**
 * Issue 17 item 4, in the browser: a second store (the same catalog under other ids) connected in
 * Settings and pulled, the master edited once, one outgoing change per store in "All stores" review,
 * both approved and pushed store by store; each store holds the new price.
 */
let emuA: Emulator;
let emuB: Emulator;
let seeded: SeededApp;
let browser: Browser;
const PRODUCTS = 20;

beforeAll(async () => {
  [emuA, emuB] = await Promise.all([
    startEmulator({ products: PRODUCTS, seed: 4, host: '127.0.0.1', shopDomain: 'store-a.myshopify.com' }),
    startEmulator({ products: PRODUCTS, seed: 4, idOffset: 5_000_000, host: '127.0.0.1', shopDomain: 'store-b.myshopify.com' }),
  ]);
  [seeded, browser] = await Promise.all([startSeededApp((db) => insertEmulatorStore(db, emuA).then(() => undefined)), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await seeded?.stop();
  await emuA?.close();
  await emuB?.close();
});

async function newPage(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 } });
  return context.newPage();
}

/** Both widths the dashboard is used at; nothing may scroll sideways at 390. */
async function screenshots(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await screenshot(page, `${name}-1440`);
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, `${name}-390`);
  expect(await pageOverflow(page)).toBe(0);
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Variant prices in one store by product handle, read from its GraphQL. */
async function pricesByHandle(emulator: Emulator, handle: string): Promise<string[]> {
  const data = await shopifyGraphql(emulator, `{ products(first: 50) { nodes { handle variants(first: 10) { nodes { price } } } } }`, {});
  const product = data.products.nodes.find((p: { handle: string }) => p.handle === handle);
  return product.variants.nodes.map((v: { price: string }) => v.price);
}

/** Pushes the approved changes of the store the switcher shows, from Operations, and waits for the panel to finish. */
async function pushFromOperations(page: Page, storeId: string): Promise<void> {
  await openPage(page, `${seeded.app.url}/operations?store=${storeId}`);
  await page.getByTestId('push-button').click();
  await expect(page.getByTestId('push-summary-changes').textContent()).resolves.toMatch(/^1 change on 1 product/);
  await page.getByTestId('confirm-button').click();
  const done = await waitForApi(page, `/api/operations?kind=push&storeId=${storeId}`, (b) =>
    b.items.some((o: { status: string }) => ['completed', 'failed'].includes(o.status)),
  );
  expect(done.items[0].status).toBe('completed');
}

describe('one master, two stores', () => {
  it('connects a second store in Settings, pulls it, edits a price once, reviews and pushes it to both stores', async () => {
    const admin = await newPage(1440);
    await signInAs(admin, seeded.app.url, 'admin');
    await firstPull(admin);

    // Settings: connect store B through the form (the server tests the connection on save).
    await openPage(admin, `${seeded.app.url}/settings`);
    await admin.getByTestId('store-add-open').click();
    await admin.getByTestId('store-name').fill('Store B');
    await admin.getByTestId('store-domain').fill(emuB.shopDomain);
    await admin.getByTestId('store-token').fill(emuB.accessToken);
    await admin.getByTestId('store-webhook-secret').fill(emuB.webhookSecret);
    await admin.getByTestId('store-api-version').fill(emuB.apiVersion);
    await admin.getByTestId('store-admin-url').fill(emuB.adminUrl);
    await admin.getByTestId('store-connect').click();
    await admin.getByTestId('store-connect-form').waitFor({ state: 'detached', timeout: 30_000 });
    const stores = (await apiFromPage(admin, 'GET', '/api/stores')).body.items as Array<{ id: string; name: string; shopDomain: string }>;
    expect(stores.map((s) => s.shopDomain).sort()).toEqual([emuA.shopDomain, emuB.shopDomain]);
    const storeA = stores.find((s) => s.shopDomain === emuA.shopDomain)!;
    const storeB = stores.find((s) => s.shopDomain === emuB.shopDomain)!;
    await admin.getByTestId('store-switcher').waitFor();
    const cardB = admin.locator(`[data-testid="store-card"][data-store-id="${storeB.id}"]`);
    await cardB.getByTestId('store-first-pull').waitFor();
    await screenshots(admin, 'stores-settings');

    // Its first full pull, from its card; then the switcher picks store B.
    await cardB.getByTestId('store-first-pull').click();
    const pulled = await waitForApi(admin, `/api/operations?kind=pull&storeId=${storeB.id}`, (b) =>
      b.items.some((o: { status: string }) => ['completed', 'failed'].includes(o.status)),
    );
    expect(pulled.items[0].status).toBe('completed');
    await admin.getByTestId('store-switcher').selectOption({ label: 'Store B' });
    await admin.waitForURL((url) => url.searchParams.get('store') === storeB.id);
    await openPage(admin, `${seeded.app.url}/operations?store=${storeB.id}`);
    await expect(admin.getByTestId('store-switcher').inputValue()).resolves.toBe(storeB.id);
    await screenshots(admin, 'stores-switcher');
    const productsB = await admin.evaluate(
      (id) => fetch('/api/products?limit=50', { headers: { 'x-store-id': id } }).then((r) => r.json()),
      storeB.id,
    );
    expect(productsB.items).toHaveLength(PRODUCTS);

    // As the merchandiser: one price edit on store A's product page.
    const products = (await apiFromPage(admin, 'GET', `/api/products?limit=50&storeId=${storeA.id}`)).body.items;
    const product = products.find((p: { variants: unknown[] }) => p.variants.length === 1) ?? products[0];
    const newPrice = (Number(product.variants[0].price) + 7).toFixed(2);
    const merch = await newPage(1440);
    await signInAs(merch, seeded.app.url, 'merchandiser');
    await openPage(merch, `${seeded.app.url}/products/${product.id}?store=${storeA.id}`);
    const row = merch.locator('[data-testid="product-variant"]').first();
    await row.getByRole('button', { name: /^Edit price of / }).click();
    await row.getByRole('textbox').fill(newPrice);
    await row.getByRole('textbox').press('Enter');
    await merch.getByTestId('toast').first().waitFor();

    // All stores: two outgoing changes, one per store, each with its store's badge; both approved.
    await openPage(merch, `${seeded.app.url}/review?store=all`);
    await merch.getByTestId('kind-tab-outgoing').click();
    await merch.waitForFunction(() => document.querySelectorAll('[data-testid="review-row"]').length === 2, undefined, { timeout: 30_000 });
    const badges = await merch.getByTestId('row-store').allTextContents();
    expect(badges.sort()).toEqual([storeA.name, storeB.name].sort());
    await merch.getByTestId('review-row').first().click();
    await expect(merch.getByTestId('change-store').textContent()).resolves.toMatch(/^store: (store-a|Store B)$/);
    await screenshots(merch, 'stores-review-all');
    await merch.getByTestId('select-all-matching').click();
    await merch.getByTestId('bulk-approve').click();
    await expect(merch.getByRole('dialog').textContent()).resolves.toContain('Approve 2 changes?');
    await merch.getByTestId('confirm-button').click();
    await waitForApi(merch, '/api/sync/staged?status=approved&kind=outgoing', (b) => b.items.length === 2);

    // As the admin: push store by store (the push acts on the store the switcher shows).
    await pushFromOperations(admin, storeA.id);
    await pushFromOperations(admin, storeB.id);
    await expect(pricesByHandle(emuA, product.handle)).resolves.toContain(newPrice);
    await expect(pricesByHandle(emuB, product.handle)).resolves.toContain(newPrice);
    await admin.context().close();
    await merch.context().close();
  });
});
