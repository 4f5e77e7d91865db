import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as productRoute from '../../app/api/products/[id]/route';
import { callRoute } from '../helpers/api';
import { type AppProcess, startAppProcess } from '../helpers/app-process';
import { discoverRoutes } from '../helpers/routes';

/**
 * Input that is wrong must be a 400 in the API's error shape, never a 500 and never a silent
 * reinterpretation: a path segment that is not valid percent-encoding (on every route with a path
 * parameter, signed in or not, answered and logged by the real server), and an inventory quantity
 * that is not a number (null, "", false and [] are not 0).
 */
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';
const withParams = (await discoverRoutes(SAMPLE_ID)).filter((r) => r.path.includes(SAMPLE_ID));

let app: AppProcess;
beforeAll(async () => {
  app = await startAppProcess({ env: { LOG_LEVEL: 'warn' } });
});
afterAll(() => app?.stop());

describe('malformed path segments', () => {
  it('has routes with path parameters to probe', () => {
    expect(withParams.length).toBeGreaterThan(5);
  });

  it('answers 400 JSON on every route with a path parameter, signed in or not, and logs it', async () => {
    const cookie = await signIn();
    const credentials: Array<Record<string, string>> = [{}, { cookie, 'sec-fetch-site': 'same-origin' }];
    const wrong: string[] = [];
    for (const r of withParams) {
      for (const segment of ['%ff%fe', '%E0%A4%A', '%']) {
        const path = r.path.replace(SAMPLE_ID, segment);
        for (const headers of credentials) {
          const res = await fetch(`${app.url}${path}`, { method: r.method, headers });
          const type = res.headers.get('content-type') ?? '';
          const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
          if (res.status !== 400 || !type.includes('application/json') || body?.error?.code !== 'bad_request:malformed_path') {
            wrong.push(`${r.method} ${path} -> ${res.status} ${type}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(app.output()).toMatch(/request path refused/);
  });

  it('answers pages with a malformed path the same way', async () => {
    const res = await fetch(`${app.url}/batches/%ff%fe`);
    expect(res.status).toBe(400);
  });
});

describe('inventory quantities', () => {
  it('refuses null, "", false, [] and fractions as an available quantity instead of reading them as 0', async () => {
    const { startTestRuntime } = await import('../helpers/runtime');
    const t = await startTestRuntime();
    try {
      const token = await t.runtime.verifier.signDemoToken('demo-admin');
      for (const available of [null, '', false, [], {}, '1.5', 'abc']) {
        const res = await callRoute(productRoute.PATCH, {
          method: 'PATCH',
          params: { id: SAMPLE_ID },
          token,
          body: { inventory: [{ variantId: 'v', locationId: 'l', available }] },
        });
        expect(res.status, JSON.stringify(available)).toBe(400);
        expect(res.body.error.code).toBe('validation');
        expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'inventory.0.available' })]));
      }
    } finally {
      await t.stop();
    }
  });
});

async function signIn(): Promise<string> {
  const res = await fetch(`${app.url}/api/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ demoUser: 'demo-admin' }),
  });
  expect(res.status).toBe(200);
  return /csd_session=[^;]+/.exec(res.headers.get('set-cookie')!)![0];
}
