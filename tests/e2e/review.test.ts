import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../drizzle/schema';
import { launchBrowser, openPage, screenshot, signInAs } from '../helpers/browser';
import { apiFromPage } from '../helpers/page-scenario';
import { createStore, product, seedEntities, stageAll, variant } from '../helpers/push-fixtures';
import { type SeededApp, startSeededApp } from '../helpers/seeded-app';

const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number) => `gid://shopify/ProductVariant/${n}`;
const SCRIPT_TITLE = '<script>window.__xss = 1</script>Evil <b>bold</b> title';
const NEW_DESCRIPTION =
  '<p>Soft <b>organic</b> cotton</p><script>window.__xss = 2</script><img src="x" onerror="window.__xss = 3"><style>p{}</style><ul><li>Machine wash</li></ul>';

let seeded: SeededApp;
let browser: Browser;
let store: Store;

/** A small scenario: 1 conflict, 3 incoming prices, 2 outgoing titles (one with markup), 1 product in sync. */
beforeAll(async () => {
  [seeded, browser] = await Promise.all([
    startSeededApp(async (db) => {
      store = await createStore(db, { shopDomain: 'review-e2e.myshopify.com' });
      await seedEntities(db, store.id, [
        {
          entity: 'product',
          key: P(1),
          local: product(1, { title: 'Ours title' }),
          base: product(1),
          remote: product(1, { title: 'Shopify title' }),
        },
        ...[2, 3, 4].flatMap((n) => [
          { entity: 'product' as const, key: P(n), local: product(n), base: product(n), remote: product(n) },
          {
            entity: 'variant' as const,
            key: V(n),
            productKey: P(n),
            local: variant('10.00'),
            base: variant('10.00'),
            remote: variant(`1${n}.50`),
            meta: { title: 'Small', inventoryItemId: `gid://shopify/InventoryItem/${n}` },
          },
        ]),
        // Product 2 has a second variant and stock at two locations, all in sync: context, not changes.
        {
          entity: 'variant',
          key: V(102),
          productKey: P(2),
          local: variant('11.00'),
          base: variant('11.00'),
          remote: variant('11.00'),
          meta: { title: 'Large', inventoryItemId: 'gid://shopify/InventoryItem/102' },
        },
        ...[2, 102].flatMap((n) =>
          [1, 2].map((loc) => ({
            entity: 'inventory_level' as const,
            key: `gid://shopify/InventoryItem/${n}|gid://shopify/Location/${loc}`,
            productKey: P(2),
            local: { available: n + loc },
            base: { available: n + loc },
            remote: { available: n + loc },
            meta: { variantId: V(n) },
          })),
        ),
        { entity: 'product', key: P(5), local: product(5, { title: 'Renamed here' }), base: product(5), remote: product(5) },
        {
          entity: 'product',
          key: P(6),
          local: product(6, { title: SCRIPT_TITLE, descriptionHtml: NEW_DESCRIPTION }),
          base: product(6),
          remote: product(6),
        },
        { entity: 'product', key: P(7), local: product(7), base: product(7), remote: product(7) },
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

const count = (page: Page, kind: string) => page.getByTestId(`count-${kind}`).textContent();

async function waitForCount(page: Page, kind: string, expected: string) {
  await page.waitForFunction(
    ([k, e]) => document.querySelector(`[data-testid="count-${k}"]`)?.textContent === e,
    [kind, expected] as const,
    { timeout: 15_000 },
  );
}

describe('review as a merchandiser', () => {
  it('filters to conflicts and resolves one with a validated custom value', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.waitForSelector('[data-testid="review-row"]');
    await waitForCount(page, 'conflict', '1');
    await expect(count(page, 'incoming')).resolves.toBe('3');
    await page.getByTestId('change-detail').waitFor();
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await screenshot(page, `review-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByTestId('kind-tab-conflict').click();
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="review-row"]')];
      return rows.length === 1 && rows[0]!.getAttribute('data-kind') === 'conflict';
    });
    await page.getByTestId('review-row').first().click();
    await page.waitForSelector('[data-testid="conflict-resolution"]');
    await expect(page.getByTestId('field-title').textContent()).resolves.toContain('Shopify title');

    await page.getByLabel('Custom value').first().check();
    await page.getByTestId('custom-title').fill('   ');
    await page.getByTestId('approve-button').click();
    await expect(page.getByTestId('decision-error').textContent()).resolves.toContain('must not be blank');

    await page.getByTestId('custom-title').fill('Agreed title');
    await screenshot(page, 'review-conflict-custom');
    await page.getByTestId('approve-button').click();
    await waitForCount(page, 'conflict', '0');
    const decided = await apiFromPage(page, 'GET', '/api/sync/staged?status=approved&kind=conflict');
    expect(decided.body.items).toHaveLength(1);
    expect(decided.body.items[0].target).toMatchObject({ title: 'Agreed title' });
    await page.context().close();
  });

  it("shows the product's variants with price and inventory per location beside a variant change", async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.getByTestId('kind-tab-incoming').click();
    await page.getByTestId('review-search').fill('product-2');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="review-row"]').length === 1, undefined, { timeout: 15_000 });
    await page.getByTestId('review-row').first().click();
    await page.waitForSelector('[data-testid="variant-table"]');
    const rows = page.getByTestId('variant-table').getByTestId('variant-row');
    await expect(rows.count()).resolves.toBe(2);
    const small = (await page.locator('[data-testid="variant-row"][aria-current="true"]').textContent()) ?? '';
    expect(small).toMatch(/Small.*10\.00.*Shopify: 12\.50/);
    expect(small).toMatch(/3.*4/);
    const large = (await rows.filter({ hasText: 'Large' }).textContent()) ?? '';
    expect(large).toMatch(/Large.*11\.00/);
    expect(large).not.toContain('Shopify:');
    await expect(page.getByTestId('variant-table').locator('thead').textContent()).resolves.toMatch(/Location 1.*Location 2/);
    await screenshot(page, 'review-variant-table');
    await page.context().close();
  });

  it('bulk-approves every incoming change by filter after a confirmation with the count; another open page updates live', async () => {
    const page = await newPage();
    const watcher = await newPage(1024);
    await signInAs(page, seeded.app.url, 'merchandiser');
    await signInAs(watcher, seeded.app.url, 'merchandiser');
    await watcher.waitForSelector('[data-testid="connection-indicator"][data-status="connected"]');
    await waitForCount(watcher, 'outgoing', '2');

    await page.getByTestId('kind-tab-incoming').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="review-row"][data-kind="incoming"]').length === 3);
    await page.getByTestId('select-all-matching').click();
    await expect(page.getByTestId('selection-count').textContent()).resolves.toBe('3 selected');
    await page.getByTestId('bulk-approve').click();
    await expect(page.getByRole('dialog').textContent()).resolves.toContain('Approve 3 changes?');
    await screenshot(page, 'review-bulk-confirm');
    await page.getByTestId('confirm-button').click();
    await waitForCount(page, 'incoming', '0');
    await page.getByTestId('empty-state').waitFor();

    // Another user's edit stages an outgoing change: the watcher's count moves without a reload.
    const products = await apiFromPage(page, 'GET', '/api/products?limit=50');
    const p7 = products.body.items.find((p: { shopifyId: string }) => p.shopifyId === P(7));
    const res = await apiFromPage(page, 'PATCH', `/api/products/${p7.id}`, { title: 'Edited elsewhere' });
    expect(res.status).toBe(200);
    await waitForCount(watcher, 'outgoing', '3');
    await screenshot(watcher, 'review-live-1024');
    await page.context().close();
    await watcher.context().close();
  });

  it('renders a product title containing <script> as text', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.getByTestId('kind-tab-all').click();
    await page.getByTestId('review-search').fill('evil');
    await page.waitForFunction(() => document.querySelector('[data-testid="row-title"]')?.textContent?.includes('<script>'), undefined, {
      timeout: 15_000,
    });
    await page.getByTestId('review-row').first().click();
    await page.waitForSelector('[data-testid="change-title"]');
    await expect(page.getByTestId('change-title').textContent()).resolves.toContain('<script>window.__xss = 1</script>');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('#main b').count()).toBe(0);

    // The description: a word diff of the sanitized text by default, the sanitized source on demand; never run.
    const diff = page.getByTestId('field-descriptionHtml').getByTestId('text-diff');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="field-descriptionHtml"] [data-testid="text-diff"]')?.textContent?.includes('organic'),
    );
    const text = (await diff.textContent()) ?? '';
    expect(text).toContain('Soft organic cotton');
    expect(text).toContain('• Machine wash');
    expect(text).not.toMatch(/<p>|__xss|onerror|p\{\}/);
    await page.getByTestId('diff-mode-html').click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="field-descriptionHtml"] [data-testid="text-diff"]')?.textContent?.includes('<b>organic</b>'),
    );
    const source = (await diff.textContent()) ?? '';
    expect(source).toContain('<img src="x">');
    expect(source).not.toMatch(/<script|onerror|<style|__xss/);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await screenshot(page, 'review-script-title');
    await page.context().close();
  });

  it('shows a merchandiser no push, pull or rollback, and the API refuses them with 403', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.getByTestId('sync-controls-denied').waitFor();
    expect(await page.getByTestId('push-button').count()).toBe(0);
    expect(await page.getByTestId('pull-full').count()).toBe(0);
    await openPage(page, `${seeded.app.url}/operations`);
    await page.getByTestId('sync-controls-denied').waitFor();
    expect(await page.getByTestId('push-button').count()).toBe(0);
    await openPage(page, `${seeded.app.url}/batches`);
    await page.getByRole('heading', { name: 'Batches' }).waitFor();
    expect(await page.getByTestId('rollback-button').count()).toBe(0);
    for (const [path, body] of [
      ['/api/sync/shopify/push', {}],
      ['/api/sync/shopify/pull', { mode: 'full' }],
      ['/api/sync/rollback/00000000-0000-4000-8000-000000000000', {}],
    ] as const) {
      const res = await apiFromPage(page, 'POST', path, body);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code, path).toBe('forbidden');
    }
    await page.context().close();
  });

  it('reviews by keyboard: x selects, j and k move, r rejects the active change', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.getByTestId('kind-tab-outgoing').click();
    await waitForCount(page, 'outgoing', '3');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="review-row"]').length === 3);
    await page.getByTestId('review-list').focus();
    await page.keyboard.press('x');
    await expect(page.getByTestId('selection-count').textContent()).resolves.toBe('1 selected');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    const active = page.locator('[data-testid="review-row"][aria-current="true"]');
    const rows = page.getByTestId('review-row');
    expect(await active.getAttribute('id')).toBe(await rows.nth(1).getAttribute('id'));
    const rejectedTitle = await active.getByTestId('row-title').textContent();
    await page.keyboard.press('r');
    await waitForCount(page, 'outgoing', '2');
    const titles = await page.getByTestId('row-title').allTextContents();
    expect(titles).not.toContain(rejectedTitle);
    await page.context().close();
  });
});
