import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AppProcess, startAppProcess } from '../helpers/app-process';
import { createTestDatabase, testDatabaseUrl } from '../helpers/pg';
import { freePort } from '../helpers/ports';
import { launchBrowser, screenshot, signInAs } from '../helpers/browser';

let app: AppProcess;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startAppProcess(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  return context.newPage();
}

describe('the signed-in shell', () => {
  it('sends a visitor without a session to the sign-in page, which says it is demo mode', async () => {
    const page = await newPage();
    await page.goto(`${app.url}/review`);
    await page.waitForURL(/\/signin/);
    await expect(page.getByTestId('demo-mode-notice').textContent()).resolves.toContain('Demo mode');
    await page.context().close();
  });

  for (const role of ['merchandiser', 'admin', 'support'] as const) {
    it(`shows the shell with the ${role} role, navigation and a live socket`, async () => {
      const page = await newPage();
      await signInAs(page, app.url, role);
      await expect(page.getByTestId('role-badge').textContent()).resolves.toBe(role);
      for (const label of ['Review', 'Products', 'Batches', 'Operations', 'Settings']) {
        expect(await page.getByRole('link', { name: label }).first().isVisible()).toBe(true);
      }
      await page.waitForSelector('[data-testid="connection-indicator"][data-status="connected"]');
      await screenshot(page, `shell-${role}`);
      await page.context().close();
    });
  }

  it('gives every page an empty state that says what will appear there', async () => {
    const page = await newPage();
    await signInAs(page, app.url, 'admin');
    for (const [path, text] of [
      ['/review', 'Nothing waits for review'],
      ['/products', 'Products will be listed here'],
      ['/batches', 'appears here with its outcomes'],
      ['/operations', 'No operations have run yet'],
      ['/settings', 'every change waits for a person'],
    ] as const) {
      await page.goto(`${app.url}${path}`);
      await page.getByTestId('empty-state').waitFor();
      expect(await page.getByTestId('empty-state').textContent()).toContain(text);
    }
    await page.context().close();
  });

  it('serves pages under a nonce-based Content-Security-Policy that the app itself never violates', async () => {
    const page = await newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto(`${app.url}/signin`);
    const csp = response!.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    await page.getByTestId('demo-user-admin').click();
    await page.waitForSelector('[data-testid="connection-indicator"][data-status="connected"]');
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('signs out back to the sign-in page', async () => {
    const page = await newPage();
    await signInAs(page, app.url, 'support');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin/);
    await page.goto(`${app.url}/review`);
    await page.waitForURL(/\/signin/);
    await page.context().close();
  });

  it('says so in a banner when the server goes away, keeps the page, and recovers when it is back', async () => {
    // A server of its own, on a fixed port and database, so it can be stopped and started again.
    const port = await freePort();
    const testDb = testDatabaseUrl() ? await createTestDatabase() : null;
    const dataDir = testDb ? null : mkdtempSync(path.join(tmpdir(), 'csd-banner-'));
    const env: Record<string, string> = { PORT: String(port), ...(testDb ? { DATABASE_URL: testDb.url! } : { DATA_DIR: dataDir! }) };
    let own = await startAppProcess({ reuse: env, keepDatabase: true, env });
    const page = await newPage();
    try {
      await signInAs(page, own.url, 'admin');
      await page.goto(`${own.url}/review`);
      await page.getByTestId('empty-state').waitFor();
      await page.waitForSelector('[data-testid="connection-indicator"][data-status="connected"]');

      await own.stop();
      await page.waitForSelector('[data-testid="connection-indicator"]:not([data-status="connected"])', { timeout: 20_000 });
      await page.getByTestId('backend-banner').waitFor({ timeout: 20_000 });
      await expect(page.getByTestId('backend-banner').textContent()).resolves.toContain('cannot be reached');
      // The page is still there: navigation and the last content, nothing crashed.
      expect(await page.getByTestId('empty-state').isVisible()).toBe(true);
      expect(await page.getByRole('link', { name: 'Products' }).first().isVisible()).toBe(true);
      await screenshot(page, 'shell-backend-down');

      own = await startAppProcess({ reuse: env, keepDatabase: true, env });
      await page.waitForSelector('[data-testid="connection-indicator"][data-status="connected"]', { timeout: 30_000 });
      await page.waitForFunction(() => !document.querySelector('[data-testid="backend-banner"]')?.textContent?.includes('cannot be reached'), undefined, { timeout: 30_000 });
    } finally {
      await page.context().close();
      await own.stop();
      await testDb?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
