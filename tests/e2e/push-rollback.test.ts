import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../server/emulator';
import { launchBrowser, openPage, screenshot, signInAs } from '../helpers/browser';
import { apiFromPage, shopifyGraphql } from '../helpers/page-scenario';
import { seedEntities } from '../helpers/push-fixtures';
import { type SeededApp, startSeededApp } from '../helpers/seeded-app';
import { insertEmulatorStore, waitFor } from '../helpers/staging';

let emulator: Emulator;
let seeded: SeededApp;
let app: SeededApp['app'];
let browser: Browser;
let pushBatchId = '';
const edited: Array<{ id: string; shopifyId: string; before: string; after: string }> = [];

const PRODUCT_FIELDS = 'id title handle descriptionHtml vendor productType status tags';

/** The master starts in sync with the emulator's catalog (as after a pull): local = base = remote. */
beforeAll(async () => {
  emulator = await startEmulator({ products: 3, seed: 1, host: '127.0.0.1' });
  const catalog = (await shopify(`{ products(first: 3) { nodes { ${PRODUCT_FIELDS} } } }`, {})).products.nodes as Array<
    Record<string, unknown>
  >;
  [seeded, browser] = await Promise.all([
    startSeededApp(async (db) => {
      const store = await insertEmulatorStore(db, emulator);
      await seedEntities(
        db,
        store.id,
        catalog.map(({ id, ...doc }) => ({ entity: 'product' as const, key: String(id), local: doc, base: doc, remote: doc })),
      );
    }),
    launchBrowser(),
  ]);
  app = seeded.app;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await seeded?.stop();
  await emulator?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

/** Shopify's side, read (or written, as a merchant in the admin) straight from the emulator. */
const shopify = (query: string, variables: Record<string, unknown>, token?: string): Promise<any> =>
  shopifyGraphql(emulator, query, variables, token);
const titleInShopify = async (id: string): Promise<string> =>
  (await shopify('query($id: ID!) { product(id: $id) { title } }', { id })).product.title;

describe('push and rollback in the browser', () => {
  it('as an admin: pushes approved edits, the progress panel reaches 100% live, the batch shows its outcomes, Shopify holds the new values', async () => {
    const page = await newPage();
    await signInAs(page, app.url, 'admin');

    const products = await apiFromPage(page, 'GET', '/api/products?limit=10');
    expect(products.body.items.length).toBeGreaterThanOrEqual(2);
    for (const p of products.body.items.slice(0, 2)) {
      const after = `Pushed ${p.title}`.slice(0, 200);
      expect((await apiFromPage(page, 'PATCH', `/api/products/${p.id}`, { title: after })).status).toBe(200);
      edited.push({ id: p.id, shopifyId: p.shopifyId, before: p.title, after });
    }
    const approved = await apiFromPage(page, 'POST', '/api/sync/staged/bulk-approve', { filter: { kind: 'outgoing' } });
    expect(approved.body.count).toBe(2);

    await openPage(page, `${app.url}/operations`);
    // The push asks first: what goes to which store, how urgent, how long; cancelling writes nothing.
    await page.getByTestId('push-button').click();
    const summary = page.getByTestId('push-summary');
    await summary.waitFor();
    const storeName = emulator.shopDomain.replace(/\.myshopify\.com$/, '');
    await expect(page.getByRole('dialog').getByRole('heading').textContent()).resolves.toBe(`Push 2 changes to ${storeName}?`);
    await expect(summary.getByTestId('push-summary-changes').textContent()).resolves.toBe('2 changes on 2 products');
    await expect(summary.getByTestId('push-summary-store').textContent()).resolves.toContain(emulator.shopDomain);
    await expect(summary.getByTestId('push-summary-priorities').textContent()).resolves.toMatch(/normal: 2/);
    const eta = (await summary.getByTestId('push-summary-eta').textContent()) ?? '';
    expect(eta).toMatch(/^about \d+ s/);
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'push-confirm-1440');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'push-confirm-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    expect((await apiFromPage(page, 'GET', '/api/operations?kind=push')).body.items).toHaveLength(0);
    expect((await apiFromPage(page, 'GET', '/api/sync/shopify/push/summary')).body).toMatchObject({ writes: 2, products: 2 });

    await page.getByTestId('push-button').click();
    await page.getByTestId('confirm-button').click();
    await page
      .waitForFunction(
        () => {
          const panel = document.querySelector('[data-testid="operation-panel"]');
          return (
            panel &&
            panel.getAttribute('data-status') === 'completed' &&
            panel.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') === '100'
          );
        },
        undefined,
        { timeout: 60_000 },
      )
      .catch(async (err) => {
        await screenshot(page, 'push-progress-timeout');
        const ops = await apiFromPage(page, 'GET', '/api/operations?limit=3');
        throw new Error(`${(err as Error).message}\noperations: ${JSON.stringify(ops.body)}\n${app.output().slice(-4000)}`);
      });
    await page.getByTestId('toast').first().waitFor();
    // Done: the panel names no product in flight and never a Shopify id; the path the model chose is shown.
    const panel = page.getByTestId('operation-panel').first();
    await expect(panel.textContent()).resolves.not.toMatch(/gid:\/\//);
    await expect(panel.getByText('Now:').locator('xpath=..').textContent()).resolves.toBe('Now: —');
    await expect(panel.getByTestId('operation-path').textContent()).resolves.toBe('Regular writes');
    await screenshot(page, 'push-progress-complete');

    await page.getByRole('link', { name: 'Batches' }).first().click();
    const row = page.locator('[data-testid="batch-row"][data-kind="push"]').first();
    await row.waitFor();
    await expect(row.getByTestId('batch-count-applied').textContent()).resolves.toBe('2');
    pushBatchId = (await row.getAttribute('data-batch-id'))!;
    await row.getByRole('link').click();
    await page.waitForSelector('[data-testid="batch-item"][data-status="applied"]');
    expect(await page.locator('[data-testid="batch-item"][data-status="applied"]').count()).toBe(2);
    // Reached by links in the same tab, whose socket already saw the push's events through the
    // store's room: the batch's panel still shows its path and its log.
    const batchPanel = page.getByTestId('operation-panel').first();
    await expect(batchPanel.getByTestId('operation-path').textContent()).resolves.toBe('Regular writes');
    await expect(batchPanel.getByText(/^Log \(\d+ lines?\)$/).count()).resolves.toBe(1);
    await screenshot(page, 'push-batch-detail');

    for (const e of edited) await expect(titleInShopify(e.shopifyId)).resolves.toBe(e.after);
    await page.context().close();
  });

  it('as support: rolls the batch back after a preview; the drifted product is skipped and shown so, the other restored', async () => {
    expect(pushBatchId).not.toBe('');
    const [drifted, restored] = edited as [(typeof edited)[0], (typeof edited)[0]];
    await shopify(
      'mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }',
      { p: { id: drifted.shopifyId, title: 'Merchant changed it' } },
      emulator.merchantToken,
    );

    const page = await newPage();
    await signInAs(page, app.url, 'support');
    await openPage(page, `${app.url}/batches/${pushBatchId}`);
    await page.getByTestId('rollback-button').click();
    await page.getByTestId('rollback-preview').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('rollback-skipped').textContent()).resolves.toContain('Shopify now: Title Merchant changed it');
    await expect(page.getByTestId('rollback-preview').textContent()).resolves.toContain('1 item will be restored');
    await screenshot(page, 'rollback-preview');
    await page.getByTestId('confirm-button').click();

    await page.waitForURL((url) => url.pathname.startsWith('/batches/') && !url.pathname.endsWith(pushBatchId), { timeout: 30_000 });
    await page.waitForSelector('[data-testid="batch-detail"][data-status="completed"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="batch-item"][data-status="drifted"]');
    await screenshot(page, 'rollback-batch');

    await expect(titleInShopify(restored.shopifyId)).resolves.toBe(restored.before);
    await expect(titleInShopify(drifted.shopifyId)).resolves.toBe('Merchant changed it');

    await openPage(page, `${app.url}/batches`);
    await page.locator('[data-testid="batch-row"][data-kind="rollback"][data-status="completed"]').first().waitFor();
    await openPage(page, `${app.url}/batches/${pushBatchId}`);
    await page.waitForSelector('[data-testid="batch-item"][data-status="rolled_back"]');
    expect(await page.locator('[data-testid="batch-item"][data-status="rolled_back"]').count()).toBe(1);
    await screenshot(page, 'rollback-original-batch');
    await page.context().close();
  });

  it('as an admin: a reload in the middle of a push shows the same operation, its progress and log lines, and it still reaches 100%', async () => {
    const page = await newPage();
    await signInAs(page, app.url, 'admin');
    const products = await apiFromPage(page, 'GET', '/api/products?limit=10');
    const third = products.body.items.find((p: { id: string }) => !edited.some((e) => e.id === p.id));
    const after = `Reloaded ${third.title}`.slice(0, 200);
    expect((await apiFromPage(page, 'PATCH', `/api/products/${third.id}`, { title: after })).status).toBe(200);
    expect((await apiFromPage(page, 'POST', '/api/sync/staged/bulk-approve', { filter: { kind: 'outgoing' } })).body.count).toBe(1);

    // Shopify answers slowly, so the push is still running when the page reloads.
    emulator.setFaults({ latencyMs: 1500 });
    try {
      await openPage(page, `${app.url}/operations`);
      await page.getByTestId('push-button').click();
      await page.getByTestId('push-summary').waitFor();
      await page.getByTestId('confirm-button').click();
      const running = page.locator('[data-testid="operation-panel"][data-status="running"]').first();
      await running.waitFor({ timeout: 30_000 });
      const operationId = (await running.getAttribute('data-operation-id'))!;
      await page.reload();
      const panel = page.locator(`[data-testid="operation-panel"][data-operation-id="${operationId}"]`);
      await panel.waitFor({ timeout: 30_000 });
      await screenshot(page, 'push-after-reload');
      await page.waitForFunction(
        (id) => {
          const p = document.querySelector(`[data-testid="operation-panel"][data-operation-id="${id}"]`);
          return (
            p?.getAttribute('data-status') === 'completed' &&
            p.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') === '100'
          );
        },
        operationId,
        { timeout: 60_000 },
      );
      // The log replayed after the reload holds the lines from before it: the start of the push is there.
      const log = (await panel.getByLabel('Log lines').textContent()) ?? '';
      expect(log.length).toBeGreaterThan(0);
      const events = await apiFromPage(page, 'GET', `/api/operations/${operationId}`);
      expect(events.status).toBe(200);
      expect(events.body.status).toBe('completed');
    } finally {
      emulator.setFaults({ latencyMs: 0 });
    }
    await expect(titleInShopify(third.shopifyId)).resolves.toBe(after);
    await page.context().close();
  });
  it('as a merchandiser: a product with two pushed edits, its history, a revert to before the first staged for review', async () => {
    const page = await newPage();
    await signInAs(page, app.url, 'admin');
    const products = await apiFromPage(page, 'GET', '/api/products?limit=10');
    const product = products.body.items.at(-1) as { id: string; title: string };
    const pushes: string[] = [];
    for (const title of ['History one', 'History two']) {
      const edit = await apiFromPage(page, 'PATCH', `/api/products/${product.id}`, { title });
      expect(edit.status).toBe(200);
      const approved = await apiFromPage(page, 'POST', '/api/sync/staged/bulk-approve', { filter: { kind: 'outgoing' } });
      expect(approved.body.count, `${title}: ${JSON.stringify(edit.body.counts)} ${JSON.stringify(approved.body)}`).toBe(1);
      const push = await apiFromPage(page, 'POST', '/api/sync/shopify/push', {});
      expect(push.status).toBe(202);
      await waitFor(
        async () => (await apiFromPage(page, 'GET', `/api/sync/batches/${push.body.batchId}`)).body.status === 'completed',
        60_000,
        200,
      );
      pushes.push(push.body.batchId);
    }
    const history = await apiFromPage(page, 'GET', `/api/products/${product.id}/history?field=title`);
    const first = history.body.items.find((i: { batchId: string }) => i.batchId === pushes[0]);
    const titleBefore = first.fields[0].before as string;
    await page.context().close();

    const merch = await newPage();
    await signInAs(merch, app.url, 'merchandiser');
    await openPage(merch, `${app.url}/products/${product.id}`);
    const timeline = merch.getByTestId('product-timeline');
    await timeline.locator(`[data-testid="history-group"][data-batch-id="${pushes[1]}"]`).waitFor();
    await expect(timeline.locator(`[data-testid="history-group"][data-batch-id="${pushes[0]}"]`).textContent()).resolves.toContain(
      'History one',
    );
    await merch.getByTestId('history-field').selectOption('title');
    await timeline.locator(`[data-testid="history-group"][data-batch-id="${pushes[0]}"]`).waitFor();
    await merch.getByTestId('history-field').selectOption('');
    await timeline.locator(`[data-testid="history-group"][data-batch-id="${pushes[0]}"]`).getByTestId('revert-before').click();
    await expect(merch.getByTestId('revert-count').textContent()).resolves.toMatch(/^1 field will be staged/);
    await expect(merch.getByTestId('revert-plan').textContent()).resolves.toContain(`History two → ${titleBefore}`.slice(0, 40));
    for (const width of [1440, 390]) {
      await merch.setViewportSize({ width, height: 900 });
      await screenshot(merch, `product-revert-confirm-${width}`);
    }
    await merch.setViewportSize({ width: 1280, height: 900 });
    await merch.getByTestId('confirm-button').click();
    await merch.getByTestId('revert-review-link').click();
    await merch.waitForURL((url) => url.pathname === '/review');
    const row = merch.getByTestId('review-row').filter({ has: merch.getByTestId('row-revert-mark') });
    await row.first().waitFor({ timeout: 30_000 });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.first().textContent()).resolves.toContain(titleBefore.slice(0, 30));
    for (const width of [1440, 390]) {
      await merch.setViewportSize({ width, height: 900 });
      await openPage(merch, `${app.url}/products/${product.id}`);
      await timeline.locator('[data-testid="history-group"]').first().waitFor();
      await screenshot(merch, `product-history-${width}`);
    }
    // Nothing reached Shopify: the revert is staged, not pushed.
    const shopifyId = products.body.items.at(-1).shopifyId as string;
    await expect(titleInShopify(shopifyId)).resolves.toBe('History two');
    await merch.context().close();
  });
});
