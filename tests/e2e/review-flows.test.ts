import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signInAs } from '../helpers/browser';
import { apiFromPage as api } from '../helpers/page-scenario';
import { createStore, product, seedEntities, stageAll, variant } from '../helpers/push-fixtures';
import { type SeededApp, startSeededApp } from '../helpers/seeded-app';

const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number) => `gid://shopify/ProductVariant/${n}`;

let seeded: SeededApp;
let browser: Browser;

/**
 * The review page as a merchandiser works it: 8 outgoing title edits (products 1-8), an incoming
 * price (product 9), and products 20-23 in sync that the tests edit while a change is open.
 */
beforeAll(async () => {
  [seeded, browser] = await Promise.all([
    startSeededApp(async (db) => {
      const store = await createStore(db, { shopDomain: 'review-flows-e2e.myshopify.com' });
      await seedEntities(db, store.id, [
        ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({
          entity: 'product' as const,
          key: P(n),
          local: product(n, { title: `Ours ${n}` }),
          base: product(n),
          remote: product(n),
        })),
        ...[9, 20, 21, 22, 23].map((n) => ({
          entity: 'product' as const,
          key: P(n),
          local: product(n),
          base: product(n),
          remote: product(n),
        })),
        { entity: 'variant', key: V(9), productKey: P(9), local: variant('10.00'), base: variant('10.00'), remote: variant('12.50') },
      ]);
      await stageAll(db, store.id);
    }),
    launchBrowser(),
  ]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await seeded?.stop();
});

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  return context.newPage();
}

const rowIds = (page: Page) =>
  page.$$eval('[data-testid="review-row"]', (rows) => rows.map((r) => `${r.id}${r.getAttribute('aria-current') === 'true' ? '*' : ''}`));

async function waitForRows(page: Page, n: number) {
  await page.waitForFunction((c) => document.querySelectorAll('[data-testid="review-row"]').length === c, n, { timeout: 15_000 });
}

/** Edits a product's title through the API, as another user would while this page is open. */
async function editTitle(page: Page, shopifyId: string, title: string) {
  const list = await api(page, 'GET', `/api/products?q=${encodeURIComponent(shopifyId.split('/').pop()!)}&limit=50`);
  const p = list.body.items.find((x: { shopifyId: string }) => x.shopifyId === shopifyId);
  const res = await api(page, 'PATCH', `/api/products/${p.id}`, { title });
  expect(res.status).toBe(200);
}

describe('review: the open change stays open', () => {
  it('live arrivals during selection: the detail and highlight stay on the open change, new ones wait, `a` decides the one shown', async () => {
    const page = await newPage(1440);
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.getByTestId('kind-tab-outgoing').click();
    await waitForRows(page, 8);
    const fifth = page.getByTestId('review-row').nth(4);
    await fifth.click();
    const openId = (await fifth.getAttribute('id'))!.replace(/^change-/, '');
    const title = await page.getByTestId('change-title').textContent();
    const before = await rowIds(page);
    expect(before[4]).toBe(`change-${openId}*`);

    // Activity while the change is open: four new changes, and the first row's change updated (it moves to the top on the server).
    const firstTitle = (await page.getByTestId('row-title').first().textContent())!;
    for (const n of [20, 21, 22, 23]) await editTitle(page, P(n), `Arrived ${n}`);
    await editTitle(page, P(Number(firstTitle.replace(/\D/g, ''))), 'Ours again');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="fresh-arrivals"]')?.textContent?.startsWith('4 new'),
      undefined,
      {
        timeout: 15_000,
      },
    );
    await screenshot(page, 'review-live-arrivals-1440');
    // Announced politely to a screen reader, from a live region that was there before they came.
    const announced = page.locator('[aria-live="polite"][data-testid="fresh-announcement"]');
    await expect(announced.textContent()).resolves.toBe('4 new changes arrived');
    expect(await rowIds(page)).toEqual(before);
    await expect(page.getByTestId('change-title').textContent()).resolves.toBe(title);

    await page.keyboard.press('a');
    await expect.poll(async () => (await api(page, 'GET', `/api/sync/staged/${openId}`)).body.status, { timeout: 15_000 }).toBe('approved');
    const approved = await api(page, 'GET', '/api/sync/staged?status=approved');
    expect(approved.body.items.map((c: { id: string }) => c.id)).toEqual([openId]);
    // The next row opens; the approved one leaves the list; nothing else moved.
    await waitForRows(page, 7);
    const after = await rowIds(page);
    expect(after).toEqual([...before.slice(0, 4), `${before[5]}*`, ...before.slice(6)]);

    await page.getByTestId('fresh-arrivals').click();
    await waitForRows(page, 11);
    expect((await rowIds(page)).filter((id) => id.endsWith('*'))).toEqual([`${before[5]}*`]);
    await page.context().close();
  });

  it('a reject reason typed while the search is still settling is sent with the reject', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.getByTestId('kind-tab-incoming').click();
    await waitForRows(page, 1);
    await page.getByTestId('review-row').first().click();
    await page.getByTestId('reject-reason').waitFor();
    // The search is applied 300 ms after typing stops: the reason is typed before the list reloads for it.
    await page.getByTestId('review-search').fill('product-9');
    await page.getByTestId('reject-reason').fill('Typo in Shopify');
    await page.waitForTimeout(1_000);
    await page.getByTestId('reject-button').click();
    await expect
      .poll(async () => (await api(page, 'GET', '/api/sync/staged?status=rejected')).body.items.length, { timeout: 15_000 })
      .toBe(1);
    const rejected = await api(page, 'GET', '/api/sync/staged?status=rejected');
    expect(rejected.body.items[0]).toMatchObject({ entityKey: V(9), reason: 'Typo in Shopify' });
    await page.context().close();
  });
});
