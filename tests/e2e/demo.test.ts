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
 * nothing left running; started again on the same data folder with the data kept.
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
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), EMULATOR_PORT: String(emulatorPort), DATA_DIR: dataDir, DEMO_PRODUCTS: '200', LOG_LEVEL: 'warn' };
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

async function productTotal(url: string): Promise<number> {
  const session = await fetch(`${url}/api/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ demoUser: 'demo-merchandiser' }) });
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
  const res = await fetch(`${url}/api/products?limit=1`, { headers: { cookie } });
  return ((await res.json()) as { total: number }).total;
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
        await page.waitForFunction(() => Number(document.querySelector('[data-testid="count-incoming"]')?.textContent ?? 0) > 0, undefined, { timeout: 60_000 });
        await screenshot(page, 'demo-admin');
        await page.getByTestId('store-activity-rate').selectOption('0');
        await page.waitForFunction(() => (document.querySelector('[data-testid="store-activity-rate"]') as HTMLSelectElement | null)?.value === '0');
      } else {
        expect(await page.getByTestId('store-activity').count()).toBe(0);
      }
      await page.context().close();
    }

    expect(await stopDemo(first.proc)).toBe(0);
    // Nothing is left behind: neither the app nor the emulator still listens.
    expect(await listening(port)).toBe(false);
    expect(await listening(emulatorPort)).toBe(false);

    const second = await startDemo(port, emulatorPort);
    expect(second.output()).toContain('the master already has products');
    expect(await productTotal(second.url)).toBe(200);
    expect(await stopDemo(second.proc)).toBe(0);
  }, 300_000);
});
