import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as attemptsRoute from '../../app/api/sync/notification-subscribers/[id]/attempts/route';
import * as testRoute from '../../app/api/sync/notification-subscribers/[id]/test/route';
import * as subscribersRoute from '../../app/api/sync/notification-subscribers/route';
import { batches, notificationAttempts } from '../../drizzle/schema';
import { NOTIFY_RETRIES, SIGNATURE_HEADER, signBody } from '../../server/push/notify';
import { startPush } from '../../server/push/subsystem';
import { callRoute, demoToken } from '../helpers/api';
import { createStore } from '../helpers/push-fixtures';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
let server: Server;
let url: string;
const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
let failFirst = 2;

beforeAll(async () => {
  // The receiver is on loopback: private targets allowed here (tests/security/ssrf proves the default refuses them).
  t = await startTestRuntime({ queue: true, env: { NOTIFY_RETRY_BASE_MS: '50', ALLOW_PRIVATE_NOTIFICATION_TARGETS: 'true' } });
  await startPush(t.runtime, t.services.push, t.services.notifier);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = failFirst-- > 0 ? 503 : 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}, 60_000);
afterAll(async () => {
  await t?.stop();
  server?.close();
});

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('outbound notifications', () => {
  it('only admins manage subscribers; the secret is shown once', async () => {
    const merch = await demoToken('merchandiser');
    expect((await callRoute(subscribersRoute.POST, { method: 'POST', body: { url }, token: merch })).status).toBe(403);
    const bad = await callRoute(subscribersRoute.POST, { method: 'POST', body: { url: 'ftp://x' }, token: await demoToken('admin') });
    expect(bad.status).toBe(400);
  });

  it('signs batch.completed with HMAC-SHA256, retries failures with backoff, and records every attempt', async () => {
    const admin = await demoToken('admin');
    const created = await callRoute(subscribersRoute.POST, {
      method: 'POST',
      body: { url, secret: 'a-very-secret-secret-123' },
      token: admin,
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBe('a-very-secret-secret-123');
    const list = await callRoute(subscribersRoute.GET, { token: admin });
    expect(JSON.stringify(list.body)).not.toContain('a-very-secret-secret-123');

    const store = await createStore(t.runtime.db);
    const [batch] = await t.runtime.db
      .insert(batches)
      .values({
        storeId: store.id,
        kind: 'push',
        status: 'completed',
        createdBy: 'alex',
        counts: { total: 3, applied: 2, failed: 1, drifted: 0, cancelled: 0, dead: 0, rolledBack: 0 },
        finishedAt: new Date(),
      })
      .returning();
    await t.services.notifier!.batchFinished(batch!);

    const attempts = await until(
      () => t.runtime.db.select().from(notificationAttempts).where(eq(notificationAttempts.subscriberId, created.body.id)),
      (rows) => rows.some((r) => r.status === 'delivered'),
    );
    expect(attempts.map((a) => [a.attempt, a.status, a.httpStatus]).sort()).toEqual([
      [1, 'failed', 503],
      [2, 'failed', 503],
      [3, 'delivered', 200],
    ]);
    expect(new Set(attempts.map((a) => a.deliveryId)).size).toBe(1);
    const last = received.at(-1)!;
    expect(last.headers[SIGNATURE_HEADER]).toBe(signBody('a-very-secret-secret-123', last.body));
    expect(JSON.parse(last.body)).toMatchObject({ event: 'batch.completed', batch: { id: batch!.id, counts: { applied: 2, failed: 1 } } });
    const viaApi = await callRoute(attemptsRoute.GET, { params: { id: created.body.id }, path: `/api/x`, token: admin });
    expect(viaApi.body.items).toHaveLength(3);
    expect(NOTIFY_RETRIES).toBe(8);
  }, 60_000);

  it('sends a signed test event once, answers how it went, and lists it among the attempts; a failing receiver is said so, not retried', async () => {
    const admin = await demoToken('admin');
    const created = await callRoute(subscribersRoute.POST, {
      method: 'POST',
      body: { url, secret: 'another-secret-secret-456' },
      token: admin,
    });
    const sent = await callRoute(testRoute.POST, { method: 'POST', params: { id: created.body.id }, token: admin });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ event: 'test', status: 'delivered', httpStatus: 200, attempt: 1 });
    const last = received.at(-1)!;
    expect(last.headers[SIGNATURE_HEADER]).toBe(signBody('another-secret-secret-456', last.body));
    expect(JSON.parse(last.body)).toMatchObject({ event: 'test', subscriberId: created.body.id });

    failFirst = 1;
    const failed = await callRoute(testRoute.POST, { method: 'POST', params: { id: created.body.id }, token: admin });
    expect(failed.body).toMatchObject({ status: 'failed', httpStatus: 503, error: 'HTTP 503' });
    await new Promise((r) => setTimeout(r, 300));
    const attempts = await callRoute(attemptsRoute.GET, { params: { id: created.body.id }, path: '/api/x', token: admin });
    expect(attempts.body.items.map((a: { event: string; status: string }) => `${a.event} ${a.status}`).sort()).toEqual([
      'test delivered',
      'test failed',
    ]);
    const merch = await demoToken('merchandiser');
    expect((await callRoute(testRoute.POST, { method: 'POST', params: { id: created.body.id }, token: merch })).status).toBe(403);
  });
});
