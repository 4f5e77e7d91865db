import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startAppProcess } from '../helpers/app-process';
import { launchBrowser } from '../helpers/browser';

/**
 * Builds the app with every secret of the configuration set to a unique marker (into a folder of
 * its own, so the regular build is left alone), then: no marker appears anywhere the browser can
 * fetch (static assets, prerendered pages and their payloads), nor in pages and answers of the
 * running production server; and pages and API answers carry the security headers.
 */
const DIST = path.join('.next', 'secret-scan');
const mark = (name: string) => `csdmarker${name.toLowerCase().replace(/_/g, '')}${randomBytes(12).toString('hex')}`;
const SECRETS = {
  SUPABASE_JWT_SECRET: mark('SUPABASE_JWT_SECRET'),
  SHOPIFY_ACCESS_TOKEN: `shpat_${mark('SHOPIFY_ACCESS_TOKEN')}`,
  SHOPIFY_WEBHOOK_SECRET: mark('SHOPIFY_WEBHOOK_SECRET'),
  METRICS_TOKEN: mark('METRICS_TOKEN'),
};
const ENV = {
  ...SECRETS,
  SHOPIFY_SHOP: 'secret-scan.myshopify.com',
  SHOPIFY_ADMIN_URL: 'http://127.0.0.1:9',
  NEXT_DIST_DIR: DIST,
};

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function leaks(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, value]) => text.includes(value) || text.includes(Buffer.from(value).toString('base64')))
    .map(([name]) => name);
}

let app: AppProcess;
let buildOutput = '';
let onBuilt = () => {};
beforeAll(async () => {
  rmSync(DIST, { recursive: true, force: true });
  // next build adds its folders to tsconfig.json when they are missing; never leave that edit behind.
  const tsconfig = readFileSync('tsconfig.json', 'utf8');
  onBuilt = () => {
    if (readFileSync('tsconfig.json', 'utf8') !== tsconfig) writeFileSync('tsconfig.json', tsconfig);
  };
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(path.join('node_modules', '.bin', 'next'), ['build'], {
      env: { ...process.env, ...ENV, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => (buildOutput += d));
    child.stderr.on('data', (d: Buffer) => (buildOutput += d));
    child.once('exit', resolve);
  });
  onBuilt();
  if (code !== 0) throw new Error(`next build failed (${code}):\n${buildOutput.slice(-3000)}`);
  app = await startAppProcess({ mode: 'production', env: { ...ENV, DEV_AUTH: 'false' } });
}, 600_000);
afterAll(async () => {
  await app?.stop();
  rmSync(DIST, { recursive: true, force: true });
});

async function sessionCookie(): Promise<string> {
  const token = await new SignJWT({
    aud: 'authenticated',
    role: 'authenticated',
    email: 'scan@shop.example',
    app_metadata: { role: 'admin' },
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('scan-user')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRETS.SUPABASE_JWT_SECRET));
  const res = await fetch(`${app.url}/api/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ accessToken: token }),
  });
  expect(res.status).toBe(200);
  return /csd_session=[^;]+/.exec(res.headers.get('set-cookie')!)![0];
}

describe('what reaches the browser', () => {
  it('holds none of the configured secrets in the built assets', () => {
    const files = [
      ...walk(path.join(DIST, 'static')),
      ...walk(path.join(DIST, 'server', 'app')).filter((f) => /\.(html|rsc|body|meta|json)$/.test(f)),
    ];
    expect(files.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(5);
    const found = files.flatMap((f) => leaks(readFileSync(f, 'latin1')).map((name) => `${name} in ${path.relative(DIST, f)}`));
    expect(found).toEqual([]);
  });

  it('serves pages, scripts and API answers without the secrets', async () => {
    const cookie = await sessionCookie();
    const pages = ['/signin', '/operations', '/review', '/products', '/batches', '/settings'];
    const scripts = new Set<string>();
    for (const page of pages) {
      const res = await fetch(`${app.url}${page}`, { headers: { cookie } });
      const html = await res.text();
      expect(leaks(html), page).toEqual([]);
      for (const m of html.matchAll(/src="(\/_next\/static\/[^"]+\.js)"/g)) scripts.add(m[1]!);
    }
    expect(scripts.size).toBeGreaterThan(0);
    for (const src of scripts) expect(leaks(await (await fetch(`${app.url}${src}`)).text()), src).toEqual([]);
    for (const api of ['/api/health', '/api/stores', '/api/auth/session', '/api/sync/metrics']) {
      const res = await fetch(`${app.url}${api}`, { headers: { cookie } });
      expect(res.status, api).toBeLessThan(500);
      expect(leaks(await res.text()), api).toEqual([]);
    }
  });
});

describe('security headers', () => {
  it('sets a nonce-based CSP that forbids framing on every page, fresh per request', async () => {
    const cookie = await sessionCookie();
    const nonces = new Set<string>();
    for (const page of ['/signin', '/operations', '/signin']) {
      const res = await fetch(`${app.url}${page}`, { headers: { cookie } });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, page).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(csp).toMatch(/base-uri 'self'/);
      expect(csp).not.toMatch(/'unsafe-eval'/);
      const nonce = /script-src [^;]*'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, `${page} has a script nonce`).toBeTruthy();
      nonces.add(nonce!);
      const html = await res.text();
      // Every inline script carries the nonce.
      for (const tag of html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
    expect(nonces.size).toBe(3);
  });

  it('sets a deny-all CSP and the same headers on API answers, errors included', async () => {
    for (const api of ['/api/health', '/api/stores', '/api/no/such/route', '/metrics']) {
      const res = await fetch(`${app.url}${api}`);
      await res.arrayBuffer();
      expect(res.headers.get('content-security-policy'), api).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(res.headers.get('x-frame-options'), api).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), api).toBe('nosniff');
    }
    // Webhook deliveries are answered by the app server before Next (server/ingest/webhooks/http.ts).
    const hook = await fetch(`${app.url}/api/webhooks/shopify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await hook.arrayBuffer();
    expect(hook.status).toBe(401);
    expect(hook.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(hook.headers.get('x-frame-options')).toBe('DENY');
    expect(hook.headers.get('x-content-type-options')).toBe('nosniff');
    expect(hook.headers.get('referrer-policy')).toBe('same-origin');
  });
});

describe('the Operations page under the CSP', () => {
  it('hydrates without a CSP violation and shows the health indicators', async () => {
    const cookie = await sessionCookie();
    const eq = cookie.indexOf('=');
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      await context.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: app.url }]);
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to (execute|load|apply|connect)/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${app.url}/operations`);
      await page.waitForSelector('[data-testid="health-panel"]:not([data-status="loading"])', { timeout: 30_000 });
      const indicators = await page.$$eval('[data-testid^="health-"][data-state]', (els) => els.map((e) => e.getAttribute('data-testid')));
      expect(indicators).toEqual([
        'health-eventSuccess',
        'health-pushSuccess',
        'health-pollingFailures',
        'health-activity',
        'health-shopify',
        'health-webhooks',
      ]);
      expect(await page.textContent('[data-testid="health-pollingFailures"]')).toMatch(/fewer than 5/);
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
