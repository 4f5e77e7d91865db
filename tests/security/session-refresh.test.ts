import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startAppProcess } from '../helpers/app-process';
import { launchBrowser } from '../helpers/browser';

/**
 * A Supabase session outlives its first access token: supabase-js refreshes the token in the
 * browser and the new one reaches the session cookie, so a reviewer is not signed out mid-review.
 * A stand-in for Supabase Auth issues tokens that live TOKEN_SECONDS; the test keeps the dashboard
 * open past the first one's expiry and expects to still be signed in.
 */
const SECRET = 'session-refresh-jwt-secret-0123456789-abcdef';
const TOKEN_SECONDS = 45;

let auth: Server;
let authUrl: string;
let app: AppProcess;
let browser: Browser;
const issued: string[] = [];

async function session(): Promise<Record<string, unknown>> {
  const now = Math.floor(Date.now() / 1000);
  const user = { id: 'user-refresh', aud: 'authenticated', role: 'authenticated', email: 'rae@shop.example' };
  const accessToken = await new SignJWT({ ...user, app_metadata: { role: 'merchandiser' }, user_metadata: { full_name: 'Rae' } })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(`${authUrl}/auth/v1`)
    .setAudience('authenticated')
    .setSubject(user.id)
    .setIssuedAt(now)
    .setExpirationTime(now + TOKEN_SECONDS)
    .sign(new TextEncoder().encode(SECRET));
  issued.push(accessToken);
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: TOKEN_SECONDS,
    expires_at: now + TOKEN_SECONDS,
    refresh_token: `refresh-${issued.length}`,
    user: { ...user, app_metadata: { role: 'merchandiser' }, user_metadata: {}, created_at: new Date().toISOString() },
  };
}

function answer(res: ServerResponse, status: number, body?: unknown) {
  res.writeHead(status, {
    'access-control-allow-origin': '*',
    'access-control-allow-headers': '*',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'content-type': 'application/json',
  });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  if (req.method === 'OPTIONS') return answer(res, 204);
  const url = new URL(req.url ?? '/', authUrl);
  if (req.method === 'POST' && url.pathname === '/auth/v1/token') return answer(res, 200, await session());
  answer(res, 404, { error: 'not_found' });
}

beforeAll(async () => {
  auth = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => auth.listen(0, '127.0.0.1', r));
  authUrl = `http://127.0.0.1:${(auth.address() as AddressInfo).port}`;
  [app, browser] = await Promise.all([
    startAppProcess({ env: { DEV_AUTH: 'false', SUPABASE_URL: authUrl, SUPABASE_ANON_KEY: 'anon-key', SUPABASE_JWT_SECRET: SECRET } }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  auth?.close();
});

describe('session refresh', () => {
  it('keeps a Supabase session signed in past its first access token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/signin`);
    await page.getByLabel('Email').fill('rae@shop.example');
    await page.getByLabel('Password').fill('correct horse');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/review/);
    const first = (await context.cookies()).find((c) => c.name === 'csd_session')!.value;
    expect(decodeURIComponent(first)).toBe(issued[0]);

    // Past the first token's expiry, with the dashboard open: still signed in, on a newer token.
    await page.waitForTimeout((TOKEN_SECONDS + 5) * 1000);
    const now = (await context.cookies()).find((c) => c.name === 'csd_session')?.value;
    expect(now && decodeURIComponent(now)).not.toBe(issued[0]);
    expect(issued).toContain(decodeURIComponent(now!));
    await page.goto(`${app.url}/review`);
    expect(new URL(page.url()).pathname).toBe('/review');
    const me = await page.evaluate(async () => (await fetch('/api/auth/session')).status);
    expect(me).toBe(200);
    await context.close();
  }, 120_000);
});
