import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batches, batchItems, type Store } from '../../drizzle/schema';
import { launchBrowser, openPage, screenshot, signInAs } from '../helpers/browser';
import { apiFromPage as api } from '../helpers/page-scenario';
import { createStore, product, seedEntities, stageAll, variant } from '../helpers/push-fixtures';
import { type SeededApp, startSeededApp } from '../helpers/seeded-app';

const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number) => `gid://shopify/ProductVariant/${n}`;
const C = (n: number) => `gid://shopify/Collection/${n}`;
const collection = (title: string, handle: string) => ({ title, handle, descriptionHtml: '' });

let seeded: SeededApp;
let browser: Browser;
let store: Store;
let adoptBatchId = '';

/**
 * Decisions that say what they do, and edits that name what they change: an outgoing title, an
 * incoming price, a conflict, a product with three variants, a custom and a smart collection, and
 * an adopt batch of 250 items.
 */
beforeAll(async () => {
  [seeded, browser] = await Promise.all([
    startSeededApp(async (db) => {
      store = await createStore(db, { shopDomain: 'decisions-e2e.myshopify.com' });
      const inSync = (n: number, price: string, title: string) => ({
        entity: 'variant' as const,
        key: V(n),
        productKey: P(4),
        local: variant(price),
        base: variant(price),
        remote: variant(price),
        meta: { title },
      });
      await seedEntities(db, store.id, [
        { entity: 'product', key: P(1), local: product(1, { title: 'Ours 1' }), base: product(1), remote: product(1) },
        ...[2, 3, 4].map((n) => ({ entity: 'product' as const, key: P(n), local: product(n), base: product(n), remote: product(n) })),
        { entity: 'variant', key: V(2), productKey: P(2), local: variant('10.00'), base: variant('10.00'), remote: variant('12.50') },
        { entity: 'variant', key: V(3), productKey: P(3), local: variant('11.00'), base: variant('10.00'), remote: variant('13.00') },
        inSync(41, '10.00', 'S'),
        inSync(42, '11.00', 'M'),
        inSync(43, '12.00', 'L'),
        // Stock counted in Shopify at two locations: incoming changes the "Shopify owns stock" preset decides.
        { entity: 'product', key: P(5), local: product(5), base: product(5), remote: product(5) },
        { entity: 'variant', key: V(51), productKey: P(5), local: variant('5.00'), base: variant('5.00'), remote: variant('5.00') },
        ...[1, 2].map((loc) => ({
          entity: 'inventory_level' as const,
          key: `gid://shopify/InventoryItem/51|gid://shopify/Location/${loc}`,
          productKey: P(5),
          local: { available: 10 },
          base: { available: 10 },
          remote: { available: 10 + loc * 3 },
          meta: { variantId: V(51) },
        })),
        ...[
          [1, collection('Summer Picks', 'summer-picks'), false],
          [2, collection('On Sale', 'on-sale'), true],
        ].map(([n, doc, smart]) => ({
          entity: 'collection' as const,
          key: C(n as number),
          productKey: null,
          local: doc as Record<string, unknown>,
          base: doc as Record<string, unknown>,
          remote: doc as Record<string, unknown>,
          meta: { smart },
        })),
      ]);
      await stageAll(db, store.id);
      const [batch] = await db
        .insert(batches)
        .values({
          storeId: store.id,
          kind: 'adopt',
          status: 'completed',
          createdBy: 'seed',
          counts: { total: 250, applied: 250, failed: 0, drifted: 0, cancelled: 0, dead: 0, rolledBack: 0 },
        })
        .returning();
      adoptBatchId = batch!.id;
      await db.insert(batchItems).values(
        Array.from({ length: 250 }, (_, i) => {
          const id = randomUUID();
          return {
            id,
            batchId: adoptBatchId,
            storeId: store.id,
            side: 'master' as const,
            entity: 'variant' as const,
            entityKey: V(1000 + i),
            productKey: P(1000 + i),
            status: 'applied' as const,
            before: { price: '1.00' },
            target: { price: '2.00' },
            after: { price: '2.00' },
            idempotencyKey: `csd-${id}`,
          };
        }),
      );
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

/** Opens the one change the search finds, in a kind's tab. */
async function openChange(page: Page, kind: string, search: string) {
  await page.getByTestId(`kind-tab-${kind}`).click();
  await page.getByTestId('review-search').fill(search);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="review-row"]').length === 1, undefined, { timeout: 15_000 });
  await page.getByTestId('review-row').first().click();
  await page.getByTestId('change-detail').waitFor();
}

describe('decisions say what they do', () => {
  it('rejecting an incoming price keeps the master value and stages a marked restore whose history keeps the reason', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await openChange(page, 'incoming', 'product-2');
    await expect(page.getByTestId('approve-button').textContent()).resolves.toBe('Approve: adopt 12.50 into the master');
    await expect(page.getByTestId('reject-button').textContent()).resolves.toBe(
      'Reject: keep 10.00 in the master and propose restoring it in Shopify',
    );
    await screenshot(page, 'decision-incoming-buttons');
    await page.getByTestId('reject-reason').fill('Shopify price was a typo');
    await page.getByTestId('reject-button').click();

    await openChange(page, 'outgoing', 'product-2');
    const row = page.getByTestId('review-row').first();
    await expect(row.textContent()).resolves.toContain('restore');
    await page.getByTestId('restore-mark').waitFor();
    await expect(page.getByTestId('approve-button').textContent()).resolves.toBe('Approve: restore 10.00 in Shopify');
    await expect(page.getByTestId('reject-button').textContent()).resolves.toBe("Reject: adopt Shopify's 12.50 into the master instead");
    const history = page.getByTestId('change-history');
    await history.waitFor();
    await expect(history.textContent()).resolves.toMatch(/rejected.*Shopify price was a typo/);
    await screenshot(page, 'decision-restore');
    await page.context().close();
  });

  it('a conflict offers its resolution, not a reject; an outgoing edit rejected in bulk after a confirmation that says what happens', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await openChange(page, 'conflict', 'product-3');
    expect(await page.getByTestId('reject-button').count()).toBe(0);
    await page.getByTestId('conflict-no-reject').waitFor();

    await openChange(page, 'outgoing', 'product-1');
    await expect(page.getByTestId('reject-button').textContent()).resolves.toBe('Reject: discard the master edit, Shopify keeps Product 1');
    await page.getByTestId('review-row').first().locator('input[type="checkbox"]').check();
    await page.getByTestId('bulk-reject').click();
    const outcomes = page.getByTestId('bulk-outcomes');
    await expect(outcomes.textContent()).resolves.toBe('1 outgoing change: the master edits are discarded; Shopify keeps its values.');
    await screenshot(page, 'decision-bulk-reject');
    await page.getByTestId('confirm-button').click();
    await page.getByTestId('empty-state').waitFor();
    const products = await api(page, 'GET', '/api/products?q=product-1');
    expect(products.body.items[0].title).toBe('Product 1');
    await page.context().close();
  });
});

describe('products: edits name what they change', () => {
  it('edits the price of the chosen variant of a 3-variant product and nothing else; joins a custom collection', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'merchandiser');
    await openPage(page, `${seeded.app.url}/products`);
    const row = page.locator('[data-testid="product-row"]').filter({ hasText: 'Product 4' });
    await row.waitFor();
    await expect(row.getByTestId('product-price-cell').textContent()).resolves.toBe('10.00 – 12.00');
    expect(await row.getByRole('button', { name: /Edit price/ }).count()).toBe(0);
    await row.getByTestId('product-details-toggle').click();
    const detail = page.getByTestId('product-detail');
    await detail.getByRole('button', { name: 'Edit price of M of Product 4' }).click();
    await detail.getByLabel('New price of M').fill('15.5');
    await detail.getByLabel('New price of M').press('Enter');
    await page.getByTestId('toast').first().waitFor();
    const after = await api(page, 'GET', `/api/products/${encodeURIComponent(P(4))}`);
    const prices = Object.fromEntries(after.body.variants.map((v: { shopifyId: string; price: string }) => [v.shopifyId, v.price]));
    expect(prices).toEqual({ [V(41)]: '10.00', [V(42)]: '15.50', [V(43)]: '12.00' });
    const staged = await api(page, 'GET', `/api/sync/staged?productId=${encodeURIComponent(P(4))}`);
    expect(staged.body.items.map((c: { entityKey: string }) => c.entityKey)).toEqual([V(42)]);

    await expect(detail.locator(`[data-collection="${C(2)}"]`).isDisabled()).resolves.toBe(true);
    await detail.locator(`[data-collection="${C(1)}"]`).check();
    await expect(detail.getByTestId('collections-save').textContent()).resolves.toBe('Stage 1 join for review');
    await expect(detail.getByTestId('collections-save').isEnabled()).resolves.toBe(true);
    await screenshot(page, 'product-variants-collections');
    await detail.getByTestId('collections-save').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="collections-save"]')?.textContent === 'No collection change',
      undefined,
      {
        timeout: 15_000,
      },
    );
    const membership = await api(page, 'GET', `/api/sync/staged?productId=${encodeURIComponent(P(4))}&entity=membership`);
    expect(membership.body.items).toEqual([expect.objectContaining({ kind: 'outgoing', op: 'create', entityKey: `${C(1)}|${P(4)}` })]);
    await page.context().close();
  });
});

describe('batches', () => {
  it('pages every item of a batch of 250', async () => {
    const page = await newPage();
    await signInAs(page, seeded.app.url, 'support');
    await openPage(page, `${seeded.app.url}/batches/${adoptBatchId}`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="batch-item"]').length === 200, undefined, {
      timeout: 15_000,
    });
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="batch-item"]').length === 250, undefined, {
      timeout: 15_000,
    });
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await page.context().close();
  });
});

describe('field ownership', () => {
  it('"Shopify owns stock": the preview says what it decides, confirming adopts the pending stock, named by the rule', async () => {
    const page = await newPage(1440);
    await signInAs(page, seeded.app.url, 'admin');
    const pendingStock = () => api(page, 'GET', '/api/sync/staged?status=pending&entity=inventory_level');
    expect((await pendingStock()).body.total).toBe(2);
    await openPage(page, `${seeded.app.url}/settings`);
    const section = page.getByTestId('field-ownership');
    await section.getByTestId('ownership-empty').waitFor();
    await section.getByRole('button', { name: 'Preview and enable' }).first().click();
    const preview = page.getByTestId('ownership-preview');
    await preview.waitFor();
    await expect(preview.locator('p').first().textContent()).resolves.toBe(
      'This would decide 2 pending changes: adopt 2 Inventory available.',
    );
    await screenshot(page, 'ownership-preview-1440');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'ownership-preview-390');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('confirm-button').click();
    await section.getByTestId('ownership-rules').waitFor();
    await expect(section.getByTestId('ownership-rules').textContent()).resolves.toMatch(
      /Inventory available.*Shopify owns.*Shopify owns stock/,
    );
    await screenshot(page, 'ownership-enabled-1440');
    expect((await pendingStock()).body.total).toBe(0);

    // Audited with the rule's name, and the adopt batch says who made it.
    const activity = await api(page, 'GET', '/api/sync/recent-activity?actorId=field-ownership');
    const audits = activity.body.items.filter((a: { action: string }) => a.action === 'staged.ownership');
    expect(audits).toHaveLength(2);
    expect(audits[0].details).toMatchObject({ rule: 'Shopify owns stock', decision: 'adopt' });
    const batchId = audits[0].details.batchId as string;
    await openPage(page, `${seeded.app.url}/batches/${batchId}`);
    await expect(page.getByTestId('batch-created-by').textContent()).resolves.toBe('by the field ownership rule “Shopify owns stock”');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'ownership-batch-390');
    await page.context().close();
  });
});
