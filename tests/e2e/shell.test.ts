import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startAppProcess } from '../helpers/app-process';
import { launchBrowser, screenshot, signInAs } from '../helpers/browser';
import { createTestDatabase, testDatabaseUrl } from '../helpers/pg';
import { freePort } from '../helpers/ports';

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
    it(`shows the shell with the ${role} role, navigation and a live socket; nothing the pages ask for is missing`, async () => {
      const page = await newPage();
      const missing: string[] = [];
      page.on('response', (r) => {
        if (r.status() === 404) missing.push(r.url());
      });
      await signInAs(page, app.url, role);
      await expect(page.getByTestId('role-badge').textContent()).resolves.toBe(role);
      for (const label of ['Review', 'Products', 'Batches', 'Operations', 'Settings']) {
        expect(await page.getByRole('link', { name: label }).first().isVisible()).toBe(true);
      }
      await page.waitForSelector('[data-testid="connection-indicator"][data-status="connected"]');
      await screenshot(page, `shell-${role}`);
      expect(missing).toEqual([]);
      await page.context().close();
    });
  }

  it("serves the app's icons and manifest without a session, and every page links them", async () => {
    const files = [
      ['/favicon.ico', /^image\/(x-icon|vnd\.microsoft\.icon)$/],
      ['/icon.svg', /^image\/svg\+xml/],
      ['/apple-touch-icon.png', /^image\/png$/],
      ['/manifest.webmanifest', /^application\/manifest\+json/],
    ] as const;
    for (const [path, type] of files) {
      const res = await fetch(`${app.url}${path}`, { redirect: 'manual' });
      await res.arrayBuffer();
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(type);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const manifest = await (await fetch(`${app.url}/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ name: 'Catalog Sync Desk', short_name: expect.any(String), theme_color: '#059669' });
    for (const icon of manifest.icons as Array<{ src: string; type: string }>) {
      const res = await fetch(`${app.url}${icon.src}`, { redirect: 'manual' });
      await res.arrayBuffer();
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get('content-type'), icon.src).toContain(icon.type);
    }

    const page = await newPage();
    await page.goto(`${app.url}/signin`);
    const head = await page.$$eval('link[rel~="icon"], link[rel="apple-touch-icon"], link[rel="manifest"]', (links) =>
      links.map((l) => l.getAttribute('href')),
    );
    expect(head).toEqual(expect.arrayContaining(['/favicon.ico', '/icon.svg', '/apple-touch-icon.png', '/manifest.webmanifest']));
    await expect(page.locator('meta[name="theme-color"]').getAttribute('content')).resolves.toBe('#059669');
    // The icon at the sizes a browser tab shows it, beside the page's title (headless Chromium draws no tabs).
    const title = await page.title();
    await page.setViewportSize({ width: 600, height: 88 });
    await page.setContent(
      `<div style="display:flex;gap:24px;padding:16px;font:13px system-ui;background:#dee1e6">${[16, 32]
        .map(
          (size) =>
            `<div style="display:flex;align-items:center;gap:8px;padding:8px 12px;background:#fff;border-radius:8px 8px 0 0">` +
            `<img src="${app.url}/favicon.ico" width="${size}" height="${size}">${title}</div>`,
        )
        .join('')}</div>`,
    );
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    await screenshot(page, 'favicon-tab');
    await page.context().close();
  });

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
      await page.waitForFunction(
        () => !document.querySelector('[data-testid="backend-banner"]')?.textContent?.includes('cannot be reached'),
        undefined,
        { timeout: 30_000 },
      );
    } finally {
      await page.context().close();
      await own.stop();
      await testDb?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
