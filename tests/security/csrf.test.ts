import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sessionRoute from '../../app/api/auth/session/route';
import { nodeHeaders, requestSite } from '../../server/http/origin';
import { startServices } from '../../server/services';
import { demoToken } from '../helpers/api';
import { discoverRoutes } from '../helpers/routes';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * Every cookie-authenticated write (any non-GET route behind the guard) is refused when the
 * browser says it comes from another site, or says nothing about where it comes from; the same
 * request from our own origin, or with a bearer token, gets past that check.
 */
const writes = (await discoverRoutes()).filter((r) => r.method !== 'GET' && r.action && !r.file.includes('[...'));

let t: TestRuntime;
let cookie: string;
let bearer: string;
beforeAll(async () => {
  t = await startTestRuntime({ queue: true });
  await startServices(t.runtime, t.services);
  const token = await demoToken('admin');
  cookie = `csd_session=${encodeURIComponent(token)}`;
  bearer = `Bearer ${token}`;
});
afterAll(() => t?.stop());

const CROSS_SITE: Array<[string, Record<string, string>]> = [
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
  ['a foreign Origin', { origin: 'https://evil.example', host: 'desk.example' }],
  [
    'a foreign Origin with a matching X-Forwarded-Host (no TRUST_PROXY)',
    { origin: 'https://evil.example', 'x-forwarded-host': 'evil.example' },
  ],
  ['Origin: null (sandboxed frame)', { origin: 'null', host: 'desk.example' }],
  ['neither Origin nor Sec-Fetch-Site', {}],
];

async function call(r: (typeof writes)[number], headers: Record<string, string>) {
  const req = new Request(`http://desk.example${r.path}`, {
    method: r.method,
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  });
  const res = await r.handler(req, { params: Promise.resolve(r.params) });
  return { status: res.status, body: (await res.json().catch(() => null)) as { error?: { code: string } } | null };
}

describe('cross-site request forgery', () => {
  it('has cookie-authenticated writes to check', () => {
    expect(writes.length).toBeGreaterThan(0);
  });

  for (const r of writes) {
    it(`${r.method} ${r.path} refuses a cookie session sent cross-site`, async () => {
      for (const [what, headers] of CROSS_SITE) {
        const res = await call(r, { cookie, ...headers });
        expect(res.status, what).toBe(403);
        expect(res.body?.error?.code, what).toBe('forbidden:cross_site');
      }
      const sameOrigin: Array<Record<string, string>> = [
        { 'sec-fetch-site': 'same-origin' },
        { origin: 'http://desk.example', host: 'desk.example' },
      ];
      for (const headers of sameOrigin) {
        const res = await call(r, { cookie, ...headers });
        expect(res.body?.error?.code).not.toBe('forbidden:cross_site');
      }
      const withBearer = await call(r, { authorization: bearer, 'sec-fetch-site': 'cross-site' });
      expect(withBearer.body?.error?.code).not.toBe('forbidden:cross_site');
    });
  }
});

describe('login cross-site request forgery', () => {
  async function signIn(headers: Record<string, string>) {
    const req = new Request('http://desk.example/api/auth/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ demoUser: 'demo-admin' }),
    });
    const res = await sessionRoute.POST(req);
    return { status: res.status, cookie: res.headers.get('set-cookie'), body: (await res.json()) as { error?: { code: string } } };
  }

  it('refuses a sign-in posted from another site, by Origin alone or by Sec-Fetch-Site, and sets no cookie', async () => {
    const crossSite: Array<Record<string, string>> = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of crossSite) {
      const res = await signIn(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error?.code).toBe('forbidden:cross_site');
      expect(res.cookie).toBeNull();
    }
  });

  it('signs in from our own page, and a client that sends no browser headers', async () => {
    const ours: Array<Record<string, string>> = [
      { origin: 'http://desk.example', host: 'desk.example' },
      { 'sec-fetch-site': 'same-origin' },
      {},
    ];
    for (const headers of ours) {
      const res = await signIn(headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(res.cookie).toMatch(/^csd_session=/);
    }
  });

  it('trusts X-Forwarded-Host and -Proto only behind TRUST_PROXY', () => {
    const headers = nodeHeaders({ origin: 'https://desk.example', host: 'internal:3000', 'x-forwarded-host': 'desk.example' });
    expect(requestSite(headers, { TRUST_PROXY: false, PUBLIC_URL: undefined })).toBe('cross-site');
    expect(requestSite(headers, { TRUST_PROXY: true, PUBLIC_URL: undefined })).toBe('same-origin');
    expect(requestSite(headers, { TRUST_PROXY: false, PUBLIC_URL: 'https://desk.example' })).toBe('same-origin');
  });
});
