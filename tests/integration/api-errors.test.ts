import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as catchAll from '../../app/api/[...path]/route';
import * as sessionRoute from '../../app/api/auth/session/route';
import * as healthRoute from '../../app/api/health/route';
import * as cancelRoute from '../../app/api/operations/[id]/cancel/route';
import * as operationRoute from '../../app/api/operations/[id]/route';
import * as activityRoute from '../../app/api/sync/recent-activity/route';
import { callRoute, demoToken } from '../helpers/api';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
let admin: string;

beforeAll(async () => {
  t = await startTestRuntime();
  admin = await demoToken('admin');
});
afterAll(() => t?.stop());

function expectErrorShape(body: any, code: string) {
  expect(body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
}

describe('API errors', () => {
  it('answers 404 in the error shape for an unknown /api path', async () => {
    const res = await callRoute(catchAll.GET, { path: '/api/no/such/thing', params: { path: ['no', 'such', 'thing'] } });
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 'not_found:route');
  });

  it('answers 400 for malformed JSON', async () => {
    const op = await t.runtime.operations.start({ kind: 'pull', title: 'test', startedBy: 'test' });
    const res = await callRoute(cancelRoute.POST, {
      method: 'POST',
      path: `/api/operations/${op.id}/cancel`,
      params: { id: op.id },
      token: admin,
      rawBody: '{"oops":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'bad_request:invalid_json');
    await op.complete();
  });

  it('answers 413 for a body over 1 MB, whether or not it declares its length', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) });
    const id = '00000000-0000-4000-8000-000000000001';
    const declared = await callRoute(cancelRoute.POST, {
      method: 'POST',
      params: { id },
      token: admin,
      rawBody: big,
      headers: { 'content-length': String(big.length) },
    });
    expect(declared.status).toBe(413);
    expectErrorShape(declared.body, 'payload_too_large');
    const undeclared = await callRoute(cancelRoute.POST, { method: 'POST', params: { id }, token: admin, rawBody: big });
    expect(undeclared.status).toBe(413);
  });

  it('answers 404 for an operation that does not exist and for an id that is not one', async () => {
    const missing = await callRoute(operationRoute.GET, { params: { id: '00000000-0000-4000-8000-00000000abcd' }, token: admin });
    expect(missing.status).toBe(404);
    expectErrorShape(missing.body, 'not_found:operation');
    const malformed = await callRoute(operationRoute.GET, { params: { id: 'nope' }, token: admin });
    expect(malformed.status).toBe(404);
  });

  it('refuses a cookie-authenticated write from another site', async () => {
    const op = await t.runtime.operations.start({ kind: 'pull', title: 'csrf', startedBy: 'test' });
    const res = await callRoute(cancelRoute.POST, {
      method: 'POST',
      params: { id: op.id },
      headers: { cookie: `csd_session=${admin}`, origin: 'https://evil.example', host: 'localhost' },
      body: {},
    });
    expect(res.status).toBe(403);
    expectErrorShape(res.body, 'forbidden:cross_site');
    const same = await callRoute(cancelRoute.POST, {
      method: 'POST',
      params: { id: op.id },
      headers: { cookie: `csd_session=${admin}`, 'sec-fetch-site': 'same-origin' },
      body: {},
    });
    expect(same.status).toBe(200);
    await op.markCancelled();
  });

  it('tells no secrets in health', async () => {
    const res = await healthRoute.GET(new Request('http://localhost/api/health', { headers: { authorization: `Bearer ${admin}` } }));
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ status: 'ok', database: { reachable: true } });
    expect(text).not.toMatch(/secret|token|password|postgres:\/\//i);
  });
});

describe('audit log', () => {
  it('records who cancelled which operation, and the feed shows it newest first', async () => {
    const op = await t.runtime.operations.start({ kind: 'push', title: 'audited', startedBy: 'test' });
    const res = await callRoute(cancelRoute.POST, { method: 'POST', params: { id: op.id }, token: admin, body: {} });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: op.id, cancelRequested: true });
    const feed = await callRoute(activityRoute.GET, { path: '/api/sync/recent-activity?limit=5', token: await demoToken('support') });
    expect(feed.status).toBe(200);
    expect(feed.body.items[0]).toMatchObject({
      actorId: 'demo-admin',
      actorRole: 'admin',
      action: 'operation.cancel',
      entityType: 'operation',
      entityId: op.id,
      details: { outcome: 'ok' },
    });
    await op.markCancelled();
  });

  it('records sign-ins', async () => {
    const res = await callRoute(sessionRoute.POST, { method: 'POST', body: { demoUser: 'demo-support' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/^csd_session=.+HttpOnly; SameSite=Lax/);
    const feed = await callRoute(activityRoute.GET, { path: '/api/sync/recent-activity?actorId=demo-support', token: admin });
    expect(feed.body.items[0]).toMatchObject({ action: 'auth.sign_in', actorId: 'demo-support' });
  });

  it('rejects an unknown demo user and a bad sign-in body', async () => {
    expect((await callRoute(sessionRoute.POST, { method: 'POST', body: { demoUser: 'root' } })).status).toBe(404);
    expect((await callRoute(sessionRoute.POST, { method: 'POST', body: { password: 'x' } })).status).toBe(400);
  });
});
