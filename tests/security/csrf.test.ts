import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoToken } from '../helpers/api';
import { discoverRoutes } from '../helpers/routes';
import { startSubsystems } from '../../server/subsystems';
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
  await startSubsystems(t.runtime);
  const token = await demoToken('admin');
  cookie = `csd_session=${encodeURIComponent(token)}`;
  bearer = `Bearer ${token}`;
});
afterAll(() => t?.stop());

const CROSS_SITE: Array<[string, Record<string, string>]> = [
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
  ['a foreign Origin', { origin: 'https://evil.example', host: 'desk.example' }],
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
      const sameOrigin: Array<Record<string, string>> = [{ 'sec-fetch-site': 'same-origin' }, { origin: 'http://desk.example', host: 'desk.example' }];
      for (const headers of sameOrigin) {
        const res = await call(r, { cookie, ...headers });
        expect(res.body?.error?.code).not.toBe('forbidden:cross_site');
      }
      const withBearer = await call(r, { authorization: bearer, 'sec-fetch-site': 'cross-site' });
      expect(withBearer.body?.error?.code).not.toBe('forbidden:cross_site');
    });
  }
});
