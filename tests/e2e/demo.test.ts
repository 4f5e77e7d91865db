import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signInAs } from '../helpers/browser';
import { freePort } from '../helpers/ports';

/**
 * The README's demo command as a newcomer runs it: emulator + app + embedded database + demo
 * users, the URL printed, a first pull adopting the emulator's catalog; stopped by a signal with
 * nothing left running; started again on the same data folder with the data kept, the emulator's
 * catalog included (a merchant edit made before the stop is still in Shopify, and nothing the
 * master shows as synced differs from it).
 */
let browser: Browser;
const dataDir = mkdtempSync(path.join(tmpdir(), 'csd-demo-'));
const running: ChildProcess[] = [];

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function startDemo(port: number, emulatorPort: number): Promise<{ proc: ChildProcess; url: string; output: () => string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    EMULATOR_PORT: String(emulatorPort),
    DATA_DIR: dataDir,
    DEMO_PRODUCTS: '200',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(proc);
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d));
  proc.stderr!.on('data', (d: Buffer) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo printed no URL in 120 s:\n${output}`)), 120_000);
    proc.stdout!.on('data', () => {
      const match = /Catalog Sync Desk is running: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code}:\n${output}`));
    });
  });
  return { proc, url, output: () => output };
}

async function stopDemo(proc: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.once('exit', resolve)));
  proc.kill('SIGTERM');
  return exited;
}

async function signIn(url: string): Promise<string> {
  const session = await fetch(`${url}/api/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ demoUser: 'demo-merchandiser' }),
  });
  return (session.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function productTotal(url: string): Promise<number> {
  const res = await fetch(`${url}/api/products?limit=1`, { headers: { cookie: await signIn(url) } });
  return ((await res.json()) as { total: number }).total;
}

interface ShownProduct {
  shopifyId: string | null;
  title: string;
  syncStatus: string;
  variants: Array<{ shopifyId: string | null; price: string }>;
}

/** Every product as the Products page lists it. */
async function shownProducts(url: string): Promise<ShownProduct[]> {
  const cookie = await signIn(url);
  const out: ShownProduct[] = [];
  let cursor: string | null = null;
  do {
    const res = await fetch(`${url}/api/products?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: { cookie } });
    const page = (await res.json()) as { items: ShownProduct[]; nextCursor: string | null };
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** The emulator's Admin API as a merchant in the Shopify admin (the demo's emulator keeps the default merchant token). */
async function asMerchant<T>(emulatorPort: number, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${emulatorPort}/admin/api/2026-10/graphql.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': 'emulator-merchant-token' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    if (body.errors?.some((e) => e.extensions?.code === 'THROTTLED')) {
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data!;
  }
}

/** Shopify's side: each product's title and variant prices. */
async function shopifySide(emulatorPort: number): Promise<Map<string, { title: string; prices: Map<string, string> }>> {
  const out = new Map<string, { title: string; prices: Map<string, string> }>();
  type Page = {
    products: {
      nodes: Array<{ id: string; title: string; variants: { nodes: Array<{ id: string; price: string }> } }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
  let after: string | null = null;
  do {
    const page: Page = await asMerchant<Page>(
      emulatorPort,
      `query($after: String) { products(first: 40, after: $after) {
        nodes { id title variants(first: 20) { nodes { id price } } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    for (const p of page.products.nodes) out.set(p.id, { title: p.title, prices: new Map(p.variants.nodes.map((v) => [v.id, v.price])) });
    after = page.products.pageInfo.hasNextPage ? page.products.pageInfo.endCursor : null;
  } while (after);
  return out;
}

/** Products the master shows as synced whose title or a variant's price is not Shopify's. */
function syncedButDiffering(shown: ShownProduct[], shopify: Awaited<ReturnType<typeof shopifySide>>): Array<string | null> {
  return shown
    .filter((p) => {
      if (p.syncStatus !== 'synced') return false;
      const remote = p.shopifyId ? shopify.get(p.shopifyId) : undefined;
      return !remote || remote.title !== p.title || p.variants.some((v) => v.shopifyId && remote.prices.get(v.shopifyId) !== v.price);
    })
    .map((p) => p.shopifyId);
}

/** Waits for the incoming change a webhook stages for the product, and approves it (the master adopts Shopify's value). */
async function approveIncoming(url: string, productId: string): Promise<void> {
  const cookie = await signIn(url);
  const until = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${url}/api/sync/staged?productId=${encodeURIComponent(productId)}`, { headers: { cookie } });
    const [change] = ((await res.json()) as { items: Array<{ id: string; kind: string }> }).items.filter((c) => c.kind === 'incoming');
    if (change) {
      const approved = await fetch(`${url}/api/sync/staged/${change.id}/approve`, {
        method: 'POST',
        headers: { cookie, origin: url, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(approved.status).toBe(200);
      return;
    }
    if (Date.now() > until) throw new Error(`no incoming change staged for ${productId} in 30 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits for the newest pull operation to end; its status. */
async function lastPullSettled(url: string): Promise<{ status: string; title: string }> {
  const cookie = await signIn(url);
  const until = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${url}/api/operations?kind=pull&limit=1`, { headers: { cookie } });
    const [op] = ((await res.json()) as { items: Array<{ status: string; title: string }> }).items;
    if (op && !['queued', 'running'].includes(op.status)) return op;
    if (Date.now() > until) throw new Error(`the pull did not end in 60 s: ${JSON.stringify(op)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  for (const p of running) if (p.exitCode === null) p.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('brings the dashboard up on the URL it prints, adopts the catalog, signs in each role, shows store activity arriving live; stops cleanly; a restart keeps the data', async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const first = await startDemo(port, emulatorPort);
    expect(first.url).toBe(`http://localhost:${port}`);
    expect(first.output()).toContain('Sign in with a demo user');

    // The first pull adopts the emulator's 200 products as the master.
    const until = Date.now() + 60_000;
    while ((await productTotal(first.url)) < 200 && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
    expect(await productTotal(first.url)).toBe(200);

    for (const role of ['merchandiser', 'admin', 'support'] as const) {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      await signInAs(page, first.url, role);
      await expect(page.getByTestId('role-badge').textContent()).resolves.toBe(role);
      await expect(page.getByText('Demo mode', { exact: true }).first().isVisible()).resolves.toBe(true);
      await page.waitForSelector('[data-testid="connection-indicator"][data-status="connected"]');
      if (role === 'admin') {
        // The store activity control: a merchant edits the emulator's store; incoming changes arrive live by webhook.
        await page.getByTestId('store-activity-rate').selectOption('600');
        await page.waitForFunction(
          () => Number(document.querySelector('[data-testid="count-incoming"]')?.textContent ?? 0) > 0,
          undefined,
          { timeout: 60_000 },
        );
        await screenshot(page, 'demo-admin');
        await page.getByTestId('store-activity-rate').selectOption('0');
        await page.waitForFunction(
          () => (document.querySelector('[data-testid="store-activity-rate"]') as HTMLSelectElement | null)?.value === '0',
        );
      } else {
        expect(await page.getByTestId('store-activity').count()).toBe(0);
      }
      await page.context().close();
    }

    // A merchant edit in Shopify, adopted into the master (both sides agree: synced), and one more just before the stop.
    const [adopted, edited] = [...(await shopifySide(emulatorPort)).keys()];
    const editTitle = (id: string | undefined, title: string) =>
      asMerchant(emulatorPort, 'mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }', {
        p: { id, title },
      });
    await editTitle(adopted, 'Edited in Shopify and adopted');
    await approveIncoming(first.url, adopted!);
    expect((await shownProducts(first.url)).find((p) => p.shopifyId === adopted)).toMatchObject({
      title: 'Edited in Shopify and adopted',
      syncStatus: 'synced',
    });
    await editTitle(edited, 'Edited in Shopify just before the stop');

    expect(await stopDemo(first.proc)).toBe(0);
    // Nothing is left behind: neither the app nor the emulator still listens.
    expect(await listening(port)).toBe(false);
    expect(await listening(emulatorPort)).toBe(false);

    const second = await startDemo(port, emulatorPort);
    expect(second.output()).toContain('the master already has products');
    expect(second.output()).toContain('with its catalog from');
    expect(await productTotal(second.url)).toBe(200);
    // The emulator is the same shop as before the stop: the edit is still there.
    const shopify = await shopifySide(emulatorPort);
    expect(shopify.get(adopted!)?.title).toBe('Edited in Shopify and adopted');
    expect(shopify.get(edited!)?.title).toBe('Edited in Shopify just before the stop');
    // Once the demo's catch-up pull has run, no product the master shows as synced differs from Shopify.
    expect(await lastPullSettled(second.url)).toMatchObject({ status: 'completed', title: expect.stringMatching(/^Incremental/) });
    const shown = await shownProducts(second.url);
    expect(syncedButDiffering(shown, shopify)).toEqual([]);
    expect(shown.find((p) => p.shopifyId === edited)?.syncStatus).not.toBe('synced');
    expect(await stopDemo(second.proc)).toBe(0);

    // Without the emulator's file (deleted, or made by an older demo) the emulator starts from a fresh
    // seed; the demo says so and compares the two with a full pull: nothing differing shows as synced.
    rmSync(path.join(dataDir, 'emulator-state.json'));
    const third = await startDemo(port, emulatorPort);
    expect(third.output()).toContain("the emulator's catalog was not kept with it");
    expect(await lastPullSettled(third.url)).toMatchObject({ status: 'completed', title: expect.stringMatching(/^Full/) });
    const reseeded = await shopifySide(emulatorPort);
    expect(reseeded.get(adopted!)?.title).not.toBe('Edited in Shopify and adopted');
    const afterReseed = await shownProducts(third.url);
    expect(syncedButDiffering(afterReseed, reseeded)).toEqual([]);
    expect(afterReseed.find((p) => p.shopifyId === adopted)?.syncStatus).not.toBe('synced');
    expect(await stopDemo(third.proc)).toBe(0);
  }, 300_000);
});
