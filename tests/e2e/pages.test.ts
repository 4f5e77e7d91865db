import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookCheckWords } from '../../lib/dashboard/webhook-words';
import { type Emulator, startEmulator } from '../../server/emulator';
import { axeViolations, describeFindings } from '../helpers/axe';
import { launchBrowser, openPage, screenshot, signInAs } from '../helpers/browser';
import {
  apiFromPage,
  approveAndPush,
  firstPull,
  overflowingElements,
  pageOverflow,
  shopifyGraphql,
  waitForApi,
} from '../helpers/page-scenario';
import { type SeededApp, startSeededApp } from '../helpers/seeded-app';
import { insertEmulatorStore } from '../helpers/staging';

/**
 * Issue 14, every page but the review: batches named and searched, a drifted rollback item restored
 * anyway, the product page, settings, the phone shell, and axe-core on every page at 1440 and 390 px.
 * Scenario: a first pull of 4 products, two variant prices pushed, one changed in Shopify afterwards,
 * the push rolled back (one item restored, one drifted).
 */
let emulator: Emulator;
let seeded: SeededApp;
let browser: Browser;
let receiver: Server;
let receiverUrl = '';
let pushId = '';
let rollbackId = '';
let product: { id: string; title: string; variants: Array<{ id: string; shopifyId: string; sku: string; price: string }> };
let other: { id: string; title: string; variants: Array<{ sku: string }> };
const DRIFTED_PRICE = '777.00';

beforeAll(async () => {
  emulator = await startEmulator({ products: 4, seed: 2, host: '127.0.0.1' });
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/catalog`;
  [seeded, browser] = await Promise.all([
    startSeededApp((db) => insertEmulatorStore(db, emulator).then(() => undefined), {
      // Webhooks point at an address nothing listens on (registration is what is tested); the receiver is on loopback.
      env: { PUBLIC_URL: 'http://127.0.0.1:9', ALLOW_PRIVATE_NOTIFICATION_TARGETS: 'true' },
    }),
    launchBrowser(),
  ]);
  const page = await newPage(1440);
  await signInAs(page, seeded.app.url, 'admin');
  await firstPull(page);
  const products = (await apiFromPage(page, 'GET', '/api/products?limit=10')).body.items;
  product = products.find((p: typeof product) => p.variants.length >= 2 && p.variants.every((v) => v.sku));
  other = products.find((p: typeof other) => p.id !== product.id && p.variants.some((v) => v.sku));
  const [kept, moved] = product.variants as [(typeof product.variants)[0], (typeof product.variants)[0]];
  const edit = await apiFromPage(page, 'PATCH', `/api/products/${product.id}`, {
    variants: [kept, moved].map((v) => ({ id: v.id, price: (Number(v.price) + 5).toFixed(2) })),
  });
  expect(edit.status).toBe(200);
  pushId = await approveAndPush(page);
  await shopifyGraphql(
    emulator,
    'mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $p, variants: $v) { userErrors { message } } }',
    {
      p: (await apiFromPage(page, 'GET', `/api/products/${product.id}`)).body.shopifyId,
      v: [{ id: moved.shopifyId, price: DRIFTED_PRICE }],
    },
    emulator.merchantToken,
  );
  const rollback = await apiFromPage(page, 'POST', `/api/sync/rollback/${pushId}`, {});
  expect(rollback.status).toBe(202);
  rollbackId = rollback.body.batchId;
  await waitForApi(page, `/api/sync/batches/${rollbackId}`, (b) => b.status === 'completed');
  await page.context().close();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await seeded?.stop();
  await emulator?.close();
  receiver?.close();
});

async function newPage(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 } });
  return context.newPage();
}

const variantPrice = async (shopifyId: string): Promise<string> =>
  (await shopifyGraphql(emulator, 'query($id: ID!) { productVariant(id: $id) { price } }', { id: shopifyId })).productVariant.price;

describe('batches', () => {
  it('are named by what they did and found by SKU or product; counts agree between list, header and rows', async () => {
    const page = await newPage(1440);
    await signInAs(page, seeded.app.url, 'merchandiser');
    await openPage(page, `${seeded.app.url}/batches`);
    const push = page.locator(`[data-testid="batch-row"][data-batch-id="${pushId}"]`);
    await expect(push.getByTestId('batch-name').textContent()).resolves.toMatch(/^Push - 2 changes - \d\d:\d\d$/);
    const rollbackRow = page.locator(`[data-testid="batch-row"][data-batch-id="${rollbackId}"]`);
    await expect(rollbackRow.getByTestId('batch-name').textContent()).resolves.toMatch(
      /^Rollback - 2 changes - \d\d:\d\d \(of Push - 2 changes - \d\d:\d\d\)$/,
    );
    expect(await page.locator('[data-testid="batch-table"]').textContent()).not.toMatch(/[0-9a-f]{8}-|gid:\/\//);
    await expect(push.getByTestId('batch-count-rolledBack').textContent()).resolves.toBe('1');
    await expect(push.getByTestId('batch-count-applied').textContent()).resolves.toBe('1');

    await page.getByTestId('batch-search').fill(product.variants[0]!.sku);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="batch-row"]').length === 2);
    await screenshot(page, 'batches-search-1440');
    await page.getByTestId('batch-search').fill(other.variants.find((v) => v.sku)!.sku);
    await page.getByTestId('batch-none').waitFor();
    await page.getByTestId('batch-search').fill(product.title);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="batch-row"]').length === 2);

    await push.getByTestId('batch-name').click();
    await page.getByTestId('batch-counts').waitFor();
    await expect(page.getByTestId('batch-outcome-applied').getAttribute('data-count')).resolves.toBe('1');
    await expect(page.getByTestId('batch-outcome-rolledBack').getAttribute('data-count')).resolves.toBe('1');
    await expect(page.getByTestId('operation-percent').textContent()).resolves.toContain('2 / 2 (100%)');
    await page.getByTestId('batch-outcome-rolledBack').click();
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="batch-item"]')];
      return rows.length === 1 && rows[0]!.getAttribute('data-status') === 'rolled_back';
    });
    await page.context().close();
  });

  it("a drifted rollback item shows Shopify's value beside ours; an admin restores it anyway after a second confirmation", async () => {
    const support = await newPage(1440);
    await signInAs(support, seeded.app.url, 'support');
    await openPage(support, `${seeded.app.url}/batches/${rollbackId}`);
    const driftedRow = support.locator('[data-testid="batch-item"][data-status="drifted"]');
    await expect(driftedRow.getByTestId('batch-item-shopify-now').textContent()).resolves.toContain(`Price ${DRIFTED_PRICE}`);
    expect(await support.getByTestId('restore-anyway').count()).toBe(0);
    // The rollback's operation is titled as the batch list names it (its time shown beside it).
    await expect(support.getByTestId('operation-panel').locator('h3').textContent()).resolves.toBe(
      'Rollback - 2 changes (of Push - 2 changes)',
    );
    await support.context().close();

    const page = await newPage(1440);
    await signInAs(page, seeded.app.url, 'admin');
    await openPage(page, `${seeded.app.url}/batches/${rollbackId}`);
    await page.getByTestId('restore-anyway').click();
    await expect(page.getByTestId('restore-shopify-now').textContent()).resolves.toBe(`Price ${DRIFTED_PRICE}`);
    await screenshot(page, 'restore-anyway-first-1440');
    await page.getByTestId('confirm-button').click();
    await expect(page.getByTestId('restore-second-confirmation').textContent()).resolves.toContain(`“Price ${DRIFTED_PRICE}” in Shopify`);
    await screenshot(page, 'restore-anyway-second-1440');
    await page.getByTestId('confirm-button').click();
    await page.waitForURL((url) => url.pathname.startsWith('/batches/') && !url.pathname.endsWith(rollbackId));
    await page.waitForSelector('[data-testid="batch-detail"][data-status="completed"]', { timeout: 60_000 });
    await expect(page.locator('h1').textContent()).resolves.toMatch(/^Rollback - 1 change - \d\d:\d\d \(of Push - 2 changes - /);
    await screenshot(page, 'restore-anyway-done-1440');
    const moved = product.variants[1]!;
    await expect(variantPrice(moved.shopifyId)).resolves.toBe(moved.price);
    await page.context().close();
  });
});

describe('products', () => {
  it('lists SKU, compare-at and inventory; the product page has every variant, stock per location, collections and history; N pending opens its changes', async () => {
    const page = await newPage(1440);
    await signInAs(page, seeded.app.url, 'merchandiser');
    expect((await apiFromPage(page, 'PATCH', `/api/products/${product.id}`, { title: `${product.title} (edited)` })).status).toBe(200);
    expect((await apiFromPage(page, 'PATCH', `/api/products/${other.id}`, { title: `${other.title} (also edited)` })).status).toBe(200);
    await openPage(page, `${seeded.app.url}/products`);
    const row = page.locator(`[data-testid="product-row"][data-product-id="${product.id}"]`);
    await expect(row.getByTestId('product-sku-cell').textContent()).resolves.toContain(product.variants[0]!.sku);
    await expect(row.getByTestId('product-stock-cell').textContent()).resolves.toMatch(/^\d[\d,]*$/);
    await expect(row.getByTestId('product-compare-cell').isVisible()).resolves.toBe(true);
    await screenshot(page, 'products-1440');
    await row.getByTestId('product-link').click();
    await page.waitForURL(`**/products/${product.id}`);
    await page.getByTestId('product-page').waitFor();
    expect(await page.getByTestId('product-variant').count()).toBe(product.variants.length);
    expect(await page.getByTestId('variant-stock').count()).toBeGreaterThan(0);
    await page.getByTestId('collections-editor').waitFor();
    // The history opens on what was applied (the rollback among it); every staged change is one tab away.
    await page.locator('[data-testid="history-group"]').first().waitFor();
    await page.getByTestId('history-tab-staged').click();
    await page.locator('[data-testid="product-history-row"]').first().waitFor();
    const statuses = await page
      .locator('[data-testid="product-history-row"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(statuses).toEqual(expect.arrayContaining(['pending', 'rolled_back']));
    await screenshot(page, 'product-page-1440');

    // The merchant's price change (the drift) may be pending too: the review lists exactly the product's pending changes.
    const pending = (await apiFromPage(page, 'GET', `/api/products/${product.id}`)).body.pendingChanges;
    const everywhere = (await apiFromPage(page, 'GET', '/api/sync/staged?limit=1')).body.total;
    await expect(page.getByTestId('product-pending-link').textContent()).resolves.toContain(`${pending} pending change`);
    const pendingLink = await page.getByTestId('product-pending-link').getAttribute('href');
    await page.getByTestId('product-pending-link').click();
    await page.waitForURL(/\/review\?product=/);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="review-row"]').length === n, pending);
    expect(pending).toBeLessThan(everywhere);
    expect((await page.locator('[data-testid="review-row"]').allTextContents()).join(' ')).toContain('(edited)');
    /** The list says how many changes match (only the rows in view are rendered). */
    const listed = (n: number) =>
      page.waitForFunction(
        (n) =>
          document.querySelector('[data-testid="review-list"]')?.getAttribute('aria-label')?.startsWith(`Staged changes, ${n} matching`),
        n,
      );
    // The product filter shows as a chip by the product's title; removing it (or "Clear filters") lists every change again.
    const chip = page.getByTestId('product-filter-chip');
    await expect(chip.textContent()).resolves.toBe(`Product: ${product.title} (edited)`);
    await screenshot(page, 'review-product-filter-1440');
    await chip.getByRole('button', { name: `Remove the filter Product: ${product.title} (edited)` }).click();
    await listed(everywhere);
    expect(page.url()).not.toContain('product=');
    await openPage(page, `${seeded.app.url}${pendingLink}`);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="review-row"]').length === n, pending);
    await page.getByTestId('clear-filters').click();
    await listed(everywhere);
    await expect(page.getByTestId('product-filter-chip').count()).resolves.toBe(0);
    await page.context().close();
  });
});

describe('settings', () => {
  it('shows the store with its webhooks (re-registered by an admin), manages notification addresses, and fits rule conditions to the entity', async () => {
    const page = await newPage(1440);
    await signInAs(page, seeded.app.url, 'admin');
    await openPage(page, `${seeded.app.url}/settings`);
    const card = page.getByTestId('store-card');
    // The app registers the store's webhooks at start when PUBLIC_URL is set: the card says so, and an admin registers them again.
    await page.waitForFunction(() => document.querySelector('[data-testid="store-webhooks"]')?.textContent?.includes('Registered'));
    await card.locator('[data-testid="store-reachability"][data-ok="true"]').waitFor();
    // The card and the health indicator say the webhook check in the same words (they cannot disagree).
    const hooks = (await apiFromPage(page, 'GET', '/api/sync/metrics')).body.health.webhooks;
    const words = webhookCheckWords(hooks.stores[0]).text;
    expect(hooks.detail).toContain(words);
    await page.waitForFunction((w) => document.querySelector('[data-testid="store-webhooks-check"]')?.textContent === w, words);
    await expect(card.getByTestId('register-webhooks').textContent()).resolves.toBe('Re-register webhooks');
    await card.getByTestId('register-webhooks').click();
    await expect(page.getByTestId('toast').first().textContent()).resolves.toMatch(
      /webhook subscriptions were already registered|Registered \d+ webhook/,
    );

    await page.getByTestId('subscriber-url').fill(receiverUrl);
    await page.getByTestId('subscriber-add').click();
    await expect(page.getByTestId('subscriber-secret').textContent()).resolves.toMatch(/shown this once/);
    await page.getByTestId('subscriber-test').click();
    await page.locator('[data-testid="subscriber-attempt"][data-status="delivered"]').waitFor();
    await expect(page.getByTestId('subscriber-attempts').textContent()).resolves.toContain('test');

    await page.getByTestId('rule-entity').selectOption('inventory_level');
    expect(await page.getByTestId('rule-max-quantity').count()).toBe(1);
    expect(await page.getByTestId('rule-max-price').count()).toBe(0);
    await page.getByTestId('rule-entity').selectOption('variant');
    expect(await page.getByTestId('rule-max-quantity').count()).toBe(0);
    expect(await page.getByTestId('rule-max-price').count()).toBe(1);
    await screenshot(page, 'settings-1440');

    await page.getByTestId('subscriber-delete').click();
    await page.getByTestId('confirm-button').click();
    await page.getByTestId('subscriber').waitFor({ state: 'detached' });
    await page.context().close();
  });
});

describe('scheduled changes', () => {
  it('a merchandiser schedules a sale from review; Upcoming and the product page show it; Shopify holds the sale price, then the old one', async () => {
    const page = await newPage(1440);
    await signInAs(page, seeded.app.url, 'merchandiser');
    const variant = (other as unknown as typeof product).variants[0]!;
    const regular = await variantPrice(variant.shopifyId);
    const sale = (Number(regular) - 1).toFixed(2);
    expect((await apiFromPage(page, 'PATCH', `/api/products/${other.id}`, { variants: [{ id: variant.id, price: sale }] })).status).toBe(
      200,
    );
    await openPage(page, `${seeded.app.url}/review?product=${encodeURIComponent(other.id)}`);
    await page.getByTestId('review-row').filter({ hasText: 'Price' }).getByTestId('row-open').click();
    const detail = page.getByTestId('change-detail');
    await detail.getByTestId('window-open').click();
    // Start in 3 s, end 6 s later, entered as the browser's own datetime-local values.
    const [start, end] = await page.evaluate(() => {
      const local = (d: Date) => {
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
      };
      const now = Date.now();
      return [local(new Date(now + 4000)), local(new Date(now + 10_000))];
    });
    await detail.getByTestId('window-start').fill(start!);
    await detail.getByTestId('window-end').fill(end!);
    await detail.getByTestId('window-submit').click();
    await detail.getByTestId('window-form').waitFor({ state: 'detached' });

    await openPage(page, `${seeded.app.url}/upcoming`);
    const item = page.locator(`[data-testid="upcoming-item"][data-kind="window"]`).first();
    await expect(item.getByTestId('upcoming-window').textContent()).resolves.toMatch(new RegExp(`^Price ${sale} from .+ to .+`));
    await expect(page.getByTestId('upcoming-zone').textContent()).resolves.toMatch(/Times are in your browser’s zone, \S+\./);
    await screenshot(page, 'upcoming-waiting-1440');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'upcoming-waiting-390');
    expect(await pageOverflow(page)).toBe(0);
    await page.setViewportSize({ width: 1440, height: 900 });

    await openPage(page, `${seeded.app.url}/products/${other.id}`);
    const line = page.getByTestId('product-window').first();
    const listed = await apiFromPage(page, 'GET', `/api/sync/schedules?productId=${encodeURIComponent(other.id)}`);
    expect(listed.body.items, JSON.stringify(listed.body)).toHaveLength(1);
    await line.waitFor().catch(async (err) => {
      await screenshot(page, 'product-window-missing');
      throw err;
    });
    await expect(line.textContent()).resolves.toContain(`Price ${sale} from `);
    // At the start the sale is pushed as a batch; at the end it is rolled back as one.
    const shopifyHolds = async (price: string) => {
      const until = Date.now() + 30_000;
      while ((await variantPrice(variant.shopifyId)) !== price) {
        if (Date.now() > until) throw new Error(`Shopify never held ${price}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await shopifyHolds(sale);
    await line.locator('[data-testid="product-window-start"][data-state="applied"]').waitFor({ timeout: 30_000 });
    await screenshot(page, 'product-window-applied-1440');
    await shopifyHolds(regular);
    await line.locator('[data-testid="product-window-end"][data-state="reverted"]').waitFor({ timeout: 30_000 });
    const batches = (await apiFromPage(page, 'GET', '/api/sync/schedules')).body.items[0];
    expect(batches.batch).toMatchObject({ kind: 'push', counts: { applied: 1 } });
    expect(batches.end.batch).toMatchObject({ kind: 'rollback', counts: { applied: 1 } });
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'product-window-reverted-390');
    await page.context().close();
  });
});

describe('at 390 px', () => {
  it('the menu lists the pages, a choice closes it, and products show SKU, price and stock under the title', async () => {
    const page = await newPage(390);
    await signInAs(page, seeded.app.url, 'merchandiser');
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).count()).toBe(0);
    await page.getByTestId('mobile-menu-button').click();
    await page.getByTestId('mobile-nav').waitFor();
    await screenshot(page, 'mobile-menu-390');
    await page
      .getByTestId('mobile-nav')
      .getByRole('link', { name: /Products/ })
      .click();
    await page.waitForURL(/\/products$/);
    await page.getByTestId('mobile-nav').waitFor({ state: 'detached' });
    await expect(page.getByTestId('mobile-menu-button').textContent()).resolves.toContain('Products');
    const summary = page.locator(`[data-testid="product-row"][data-product-id="${product.id}"] [data-testid="product-summary"]`);
    await expect(summary.textContent()).resolves.toMatch(new RegExp(`${product.variants[0]!.sku}.*available`));
    expect(await pageOverflow(page)).toBe(0);
    await page.context().close();
  });
});

describe('accessibility and width', () => {
  const signedOut = ['/signin'];
  const pages = () => [
    '/review',
    '/products',
    `/products/${product.id}`,
    '/batches',
    `/batches/${pushId}`,
    `/batches/${rollbackId}`,
    '/operations',
    '/upcoming',
    '/settings',
  ];

  for (const width of [1440, 390]) {
    it(`axe-core finds no serious or critical violation on any page at ${width} px, and no page is wider than the screen`, async () => {
      const page = await newPage(width);
      const found: string[] = [];
      const overflow: string[] = [];
      const visit = async (path: string) => {
        await openPage(page, `${seeded.app.url}${path}`);
        await page.waitForLoadState('networkidle');
        await page.waitForFunction(() => !document.querySelector('[data-testid="skeleton"]'), undefined, { timeout: 20_000 });
        // The review list's rows are the review page's own (its test sweeps them); the rest of that page is swept here.
        const findings = await axeViolations(page, path === '/review' ? { exclude: ['[data-testid="review-list"]'] } : {});
        if (findings.length) found.push(describeFindings(`${path} at ${width}`, findings));
        const wider = await pageOverflow(page);
        if (wider > 0) overflow.push(`${path}: ${wider} px wider than the screen: ${(await overflowingElements(page)).join('; ')}`);
        const name = path === `/batches/${rollbackId}` ? '/batches/rollback' : path.replace(/\/[0-9a-f-]{36}/, '/one');
        await screenshot(page, `page${name.replaceAll('/', '-')}-${width}`);
      };
      for (const path of signedOut) await visit(path);
      await signInAs(page, seeded.app.url, 'admin');
      for (const path of pages()) await visit(path);
      expect(found.join('\n'), found.join('\n')).toBe('');
      expect(overflow).toEqual([]);
      await page.context().close();
    }, 180_000);
  }
});
