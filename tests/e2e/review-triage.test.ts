import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locations } from '../../drizzle/schema';
import { adminEndpoint } from '../../lib/shopify/client';
import { type Emulator, startEmulator } from '../../server/emulator';
import { axeViolations, describeFindings } from '../helpers/axe';
import { launchBrowser, screenshot, signInAs } from '../helpers/browser';
import { apiFromPage as api } from '../helpers/page-scenario';
import { product, seedEntities, stageAll, variant } from '../helpers/push-fixtures';
import { type SeededApp, startSeededApp } from '../helpers/seeded-app';
import { insertEmulatorStore } from '../helpers/staging';

const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number) => `gid://shopify/ProductVariant/${n}`;
const LOC = 'gid://shopify/Location/77';

let emulator: Emulator;
let seeded: SeededApp;
let browser: Browser;
const pushed: string[] = [];

/**
 * Triage of a mixed queue: the emulator's 3 products edited in the master (pushed in one test);
 * Shirt (P 30) with two incoming prices (+30%, +5%) and a stock move at Warehouse East; Old Mug
 * (P 40) deleted in Shopify; Lamp (P 60) a title conflict; Cap (P 70) and Hat (P 80) outgoing edits
 * whose pushes failed because Shopify refused them.
 */
beforeAll(async () => {
  emulator = await startEmulator({ products: 3, seed: 7, host: '127.0.0.1' });
  const res = await fetch(adminEndpoint(emulator.shopDomain, emulator.apiVersion, emulator.adminUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': emulator.accessToken },
    body: JSON.stringify({ query: '{ products(first: 3) { nodes { id title handle descriptionHtml vendor productType status tags } } }' }),
  });
  const catalog = ((await res.json()) as any).data.products.nodes as Array<Record<string, unknown>>;
  [seeded, browser] = await Promise.all([
    startSeededApp(async (db) => {
      const store = await insertEmulatorStore(db, emulator);
      await db.insert(locations).values({ storeId: store.id, id: LOC, name: 'Warehouse East' });
      const shirt = product(30, { title: 'Shirt' });
      await seedEntities(db, store.id, [
        ...catalog.map(({ id, ...doc }) => {
          pushed.push(String(id));
          return { entity: 'product' as const, key: String(id), local: { ...doc, title: `${doc.title} v2` }, base: doc, remote: doc };
        }),
        { entity: 'product', key: P(30), local: shirt, base: shirt, remote: shirt },
        ...(
          [
            [301, 'Small / Blue', 'SH-S', '13.00'],
            [302, 'Large / Blue', 'SH-L', '10.50'],
          ] as const
        ).map(([n, title, sku, price]) => ({
          entity: 'variant' as const,
          key: V(n),
          productKey: P(30),
          local: variant('10.00', { sku }),
          base: variant('10.00', { sku }),
          remote: variant(price, { sku }),
          meta: { title, inventoryItemId: `gid://shopify/InventoryItem/${n}` },
        })),
        {
          entity: 'inventory_level',
          key: `gid://shopify/InventoryItem/301|${LOC}`,
          productKey: P(30),
          local: { available: 5 },
          base: { available: 5 },
          remote: { available: 25 },
          meta: { variantId: V(301) },
        },
        { entity: 'product', key: P(40), local: product(40, { title: 'Old Mug' }), base: product(40, { title: 'Old Mug' }), remote: null },
        {
          entity: 'product',
          key: P(60),
          local: product(60, { title: 'Lamp ours' }),
          base: product(60, { title: 'Lamp' }),
          remote: product(60, { title: 'Lamp theirs' }),
        },
        {
          entity: 'product',
          key: P(70),
          local: product(70, { title: 'Cap new' }),
          base: product(70, { title: 'Cap' }),
          remote: product(70, { title: 'Cap' }),
        },
        {
          entity: 'product',
          key: P(80),
          local: product(80, { title: 'Hat new' }),
          base: product(80, { title: 'Hat' }),
          remote: product(80, { title: 'Hat' }),
        },
      ]);
      await stageAll(db, store.id);
      await db.execute(
        sql`update staged_changes set status = 'failed', decided_by = 'mia@example.com', decided_at = now(),
          error = ${`Product ${P(70)}: Handle has already been taken`} where entity_key = ${P(70)}`,
      );
      await db.execute(
        sql`update staged_changes set status = 'failed', decided_by = 'mia@example.com', decided_at = now(),
          error = 'Title: Title is too long (maximum is 255 characters)' where entity_key = ${P(80)}`,
      );
    }),
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

const rowCount = (page: Page, n: number) =>
  page.waitForFunction((c) => document.querySelectorAll('[data-testid="review-row"]').length === c, n, { timeout: 15_000 });
const rowTexts = (page: Page) => page.$$eval('[data-testid="review-row"]', (rows) => rows.map((r) => r.textContent ?? ''));
/** No id or API name a merchandiser would not know. */
const API_NAMES = /gid:\/\/|descriptionHtml|productType|compareAtPrice|inventory_level|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/;

describe('review triage', () => {
  it('rows carry values; sort by size, filter by price change, group by product and approve all for one product', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.getByTestId('kind-tab-incoming').click();
    await rowCount(page, 4);
    const texts = await rowTexts(page);
    expect(texts.find((t) => t.includes('SH-S') && t.includes('Price'))).toMatch(
      /Shirt · Small \/ Blue · SKU SH-S.*Price: 10\.00.*13\.00.*\+3\.00 \(\+30%\)/,
    );
    expect(texts.find((t) => t.includes('Warehouse East'))).toMatch(
      /Shirt · Warehouse East · Small \/ Blue · SKU SH-S.*Available: 5.*25.*\+20 \(\+400%\)/,
    );
    expect(texts.find((t) => t.includes('Old Mug'))).toContain('deleted in Shopify');
    for (const t of texts) expect(t).not.toMatch(API_NAMES);

    await page.getByTestId('review-sort').selectOption('size');
    // Largest first: +30% price, then +20 units of stock, then +5% price, then the delete (no size).
    await page
      .waitForFunction(
        () => document.querySelector('[data-testid="review-row"] [data-testid="row-delta"]')?.textContent === '+3.00 (+30%)',
        undefined,
        {
          timeout: 15_000,
        },
      )
      .catch(async (err) => {
        throw new Error(`${(err as Error).message}: ${JSON.stringify(await rowTexts(page))}`);
      });
    const bySize = await rowTexts(page);
    expect(bySize[1]).toContain('Warehouse East');
    expect(bySize[2]).toContain('SH-L');
    await page.getByTestId('min-price-percent').fill('20');
    await rowCount(page, 1);
    await expect(page.getByTestId('row-subject').textContent()).resolves.toContain('SH-S');
    await screenshot(page, 'review-triage-size-filter-1440');
    await page.getByTestId('min-price-percent').fill('');

    await page.getByTestId('review-sort').selectOption('product');
    const shirt = page.locator('[data-testid="product-group"]', { hasText: 'Shirt' });
    await shirt.waitFor();
    await expect(shirt.textContent()).resolves.toContain('3 changes');
    await screenshot(page, 'review-triage-grouped-1440');
    const grouped = await axeViolations(page);
    expect(grouped, describeFindings('grouped list', grouped)).toEqual([]);
    await shirt.getByTestId('approve-product').click();
    await expect(page.getByRole('dialog').textContent()).resolves.toContain('Approve 3 changes?');
    await page.getByTestId('confirm-button').click();
    await rowCount(page, 1);
    const open = await api(page, 'GET', `/api/sync/staged?productId=${encodeURIComponent(P(30))}`);
    expect(open.body.items).toEqual([]);
    await page.context().close();
  });

  it('a deletion is one decision with a confirmation, by button and by the keyboard', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.getByTestId('review-search').fill('old mug');
    await rowCount(page, 1);
    // In bulk too the deletion is named: by the filter (counted by the server) and by a selection.
    const deletion = 'Including 1 deletion: the entry deleted in Shopify is removed from the master now.';
    await page.getByTestId('select-all-matching').click();
    await page.getByTestId('bulk-approve').click();
    await expect(page.getByTestId('bulk-outcomes').textContent()).resolves.toContain(deletion);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('checkbox', { name: 'Select all loaded changes' }).uncheck();
    await page.getByTestId('review-row').first().locator('input[type="checkbox"]').check();
    await page.getByTestId('bulk-approve').click();
    await expect(page.getByTestId('bulk-outcomes').textContent()).resolves.toContain(deletion);
    await screenshot(page, 'review-bulk-delete-confirm-1440');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('review-row').first().locator('input[type="checkbox"]').uncheck();
    await page.getByTestId('review-row').first().click();
    await page.getByTestId('whole-entity').waitFor();
    expect(await page.getByTestId('change-detail').locator('input[type="checkbox"]').count()).toBe(0);
    await page.getByTestId('review-list').focus();
    await page.keyboard.press('a');
    const dialog = page.getByRole('dialog');
    await expect(dialog.textContent()).resolves.toContain('Old Mug was deleted in Shopify');
    await screenshot(page, 'review-delete-confirm-1440');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api(page, 'GET', '/api/sync/staged?q=old%20mug')).body.items).toHaveLength(1);
    await page.getByTestId('approve-button').click();
    await page.getByTestId('confirm-button').click();
    await page.getByTestId('empty-state').waitFor();
    const decided = await api(page, 'GET', `/api/sync/staged?q=old%20mug&status=${ANY}`);
    expect(decided.body.items[0]).toMatchObject({ op: 'delete', decidedBy: expect.any(String) });
    expect(decided.body.items[0].status).not.toBe('pending');
    await page.context().close();
  });

  it('a conflict is chosen on the values, the custom value is prefilled, the detail names no ids or API fields', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.getByTestId('kind-tab-conflict').click();
    await rowCount(page, 1);
    await page.getByTestId('review-row').first().click();
    const detail = page.getByTestId('change-detail');
    await detail.waitFor();
    await expect(page.getByTestId('field-table').locator('thead').textContent()).resolves.toMatch(/Field\s*Master.*Shopify/);
    await page.getByTestId('pick-remote-title').click();
    await expect(page.getByTestId('pick-remote-title').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.getByTestId('choice-title').textContent()).resolves.toBe("Keeping Shopify's value");
    await page.getByLabel('Custom value').first().check();
    await expect(page.getByTestId('custom-title').inputValue()).resolves.toBe('Lamp ours');
    expect(await detail.textContent()).not.toMatch(API_NAMES);
    await screenshot(page, 'review-conflict-values-1440');
    const conflict = await axeViolations(page);
    expect(conflict, describeFindings('conflict detail', conflict)).toEqual([]);
    // Shopify's value is kept: adopted into the master, nothing to push.
    await page.getByTestId('pick-remote-title').click();
    await page.getByTestId('approve-button').click();
    await page.getByTestId('empty-state').waitFor();
    await page.context().close();
  });

  it('Status Any lists decided changes with who, when and why; a failed push says why in words and is approved again', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.getByTestId('status-filter').selectOption({ label: 'Any' });
    await page.getByTestId('review-search').fill('cap new');
    await rowCount(page, 1);
    const row = page.getByTestId('review-row').first();
    await expect(row.getAttribute('data-status')).resolves.toBe('failed');
    await expect(row.getByTestId('row-decided').textContent()).resolves.toContain('approved by mia@example.com');
    await row.click();
    const failed = page.getByTestId('push-failed');
    await expect(page.getByTestId('push-failed-reason').textContent()).resolves.toBe(
      'Shopify refused the Handle: the value is already used by another item.',
    );
    expect(await failed.textContent()).not.toMatch(API_NAMES);
    await expect(page.getByTestId('reject-button').textContent()).resolves.toBe('Reject: discard the master edit, Shopify keeps Cap');
    await screenshot(page, 'review-failed-1440');
    await page.getByTestId('retry-button').click();
    await page.waitForSelector('[data-testid="review-row"][data-status="approved"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="push-state"][data-status="approved"]', { timeout: 15_000 });
    await page.context().close();
  });

  it('a failed push is rejected beside "Approve again": the master edit is discarded, with the reason kept', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.getByTestId('status-filter').selectOption({ label: 'Any' });
    await page.getByTestId('review-search').fill('hat new');
    await rowCount(page, 1);
    await page.getByTestId('review-row').first().click();
    await expect(page.getByTestId('push-failed-reason').textContent()).resolves.toBe(
      'Shopify refused the Title: Title is too long (maximum is 255 characters)',
    );
    await page.getByTestId('retry-button').waitFor();
    await page.getByTestId('reject-reason').fill('title too long for Shopify');
    await page.getByTestId('reject-button').click();
    await page.waitForSelector('[data-testid="review-row"][data-status="rejected"]', { timeout: 15_000 });
    const hat = (await api(page, 'GET', `/api/sync/staged?q=hat%20new&status=${ANY}`)).body.items[0];
    expect(hat).toMatchObject({ status: 'rejected', reason: 'title too long for Shopify' });
    const product = await api(page, 'GET', `/api/products/${encodeURIComponent(P(80))}`);
    expect(product.body.title).toBe('Hat');
    await page.context().close();
  });

  it('the list follows a push live: approved rows become applied without a reload', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'admin');
    await page.getByTestId('status-filter').selectOption({ label: 'Any' });
    await page.getByTestId('review-search').fill('v2');
    await rowCount(page, 3);
    // The Cap change (approved again above) would go too; it is taken back first so the push holds the three edits.
    const cap = (await api(page, 'GET', `/api/sync/staged?status=approved&q=cap%20new`)).body.items[0];
    if (cap) expect((await api(page, 'POST', `/api/sync/staged/${cap.id}/unapprove`, {})).status).toBe(200);
    expect((await api(page, 'POST', '/api/sync/staged/bulk-approve', { filter: { q: 'v2' } })).body.count).toBe(3);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="review-row"][data-status="approved"]').length === 3,
      undefined,
      {
        timeout: 15_000,
      },
    );
    await page.getByTestId('review-row').first().click();
    expect((await api(page, 'POST', '/api/sync/shopify/push', {})).status).toBe(202);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="review-row"][data-status="applied"]').length === 3,
      undefined,
      {
        timeout: 60_000,
      },
    );
    await page.waitForFunction(
      () => document.querySelector('[data-testid="push-state"]')?.getAttribute('data-status') === 'applied',
      undefined,
      {
        timeout: 15_000,
      },
    );
    // A store that has only pushed is not "degraded: No sync activity yet".
    expect(await page.getByTestId('backend-banner').count()).toBe(0);
    await screenshot(page, 'review-push-applied-1440');
    expect(pushed).toHaveLength(3);
    await page.context().close();
  });

  it('the detail says it cannot load a change while the server cannot be reached, instead of loading on', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await page.getByTestId('status-filter').selectOption({ label: 'Any' });
    await page.getByTestId('review-row').nth(1).waitFor();
    await page.route(/\/api\/sync\/staged\/[0-9a-f-]{36}$/, (route) => route.abort('connectionrefused'));
    await page.getByTestId('review-row').nth(1).click();
    const error = page.locator('section[aria-label="Change detail"]').getByTestId('error-state');
    await error.waitFor({ timeout: 10_000 });
    await expect(error.textContent()).resolves.toContain('Could not load this change');
    await screenshot(page, 'review-detail-unreachable-1440');
    await page.unroute(/\/api\/sync\/staged\/[0-9a-f-]{36}$/);
    await error.getByRole('button', { name: 'Retry' }).click();
    await page.getByTestId('change-detail').waitFor();
    await page.context().close();
  });

  it('at 390 px: list, then the detail as its own view with Back; no horizontal overflow; an empty review does not send a merchandiser to pull', async () => {
    const page = await newPage(390);
    await signInAs(page, seeded.app.url, 'merchandiser');
    // The filters fold behind a toggle that counts the active ones; search stays in view.
    const toggle = page.getByTestId('filters-toggle');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    expect(await page.getByTestId('status-filter').isVisible()).toBe(false);
    await toggle.click();
    await page.getByTestId('status-filter').selectOption({ label: 'Any' });
    await expect(toggle.textContent()).resolves.toBe('Filters (1 active)');
    await toggle.click();
    expect(await page.getByTestId('status-filter').isVisible()).toBe(false);
    await page.getByTestId('review-row').first().waitFor();
    // The first change is on the first screen of a 390 x 844 phone.
    const first = (await page.getByTestId('review-row').first().boundingBox())!;
    expect(first.y + first.height).toBeLessThanOrEqual(844);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await page.getByTestId('change-detail').isVisible()).toBe(false);
    await screenshot(page, 'review-list-390');
    const list390 = await axeViolations(page);
    expect(list390, describeFindings('list at 390', list390)).toEqual([]);
    await page.getByTestId('review-row').first().click();
    await page.getByTestId('change-detail').waitFor();
    expect(await page.getByTestId('review-list').isVisible()).toBe(false);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'review-detail-390');
    const detail390 = await axeViolations(page);
    expect(detail390, describeFindings('detail at 390', detail390)).toEqual([]);
    await page.getByTestId('back-to-list').click();
    await page.getByTestId('review-list').waitFor();

    await toggle.click();
    await page.getByTestId('status-filter').selectOption('pending');
    await page.getByTestId('kind-tab-incoming').click();
    await page.getByTestId('empty-state').waitFor();
    const words = (await page.getByTestId('empty-state').textContent()) ?? '';
    expect(words).not.toMatch(/run a pull/i);
    await page.context().close();
  });
});

const ANY = 'pending,approved,rejected,queued,applying,applied,failed,drifted,rolled_back,superseded';
