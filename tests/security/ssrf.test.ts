import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as subscriberRoute from '../../app/api/sync/notification-subscribers/[id]/route';
import * as subscribersRoute from '../../app/api/sync/notification-subscribers/route';
import { batches, notificationAttempts, notificationSubscribers } from '../../drizzle/schema';
import { postToTarget, refusedAddress } from '../../server/push/outbound';
import { startPush } from '../../server/push/subsystem';
import { callRoute, demoToken } from '../helpers/api';
import { createStore } from '../helpers/push-fixtures';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * Notification subscribers are URLs an admin types; the desk then POSTs to them and reports the
 * outcome. By default they must not reach loopback, private, link-local (cloud metadata), CGNAT,
 * multicast or unspecified addresses: refused when saved, and again when sent (after resolving the
 * name, connecting to the address that was checked).
 */
let t: TestRuntime;
let receiver: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  t = await startTestRuntime({ queue: true, env: { NOTIFY_RETRY_BASE_MS: '50' } });
  await startPush(t.runtime, t.services.push, t.services.notifier);
  receiver = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(async () => {
  await t?.stop();
  receiver?.close();
});

const INTERNAL = () => [
  `http://127.0.0.1:${port}/hook`,
  `http://localhost:${port}/hook`,
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'http://[fd00:ec2::254]/latest/meta-data/',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://0.0.0.0/',
  'http://10.1.2.3/',
  'http://172.20.0.5/',
  'http://192.168.1.1/',
  'http://100.100.100.200/latest/meta-data/',
  'http://[fe80::1]/',
  'http://224.0.0.1/',
  // IPv6 forms that carry an IPv4 inside: mapped (hex), compatible, NAT64, 6to4 and Teredo.
  'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
  'http://[::127.0.0.1]/',
  'http://[64:ff9b:1::a9fe:a9fe]/',
  'http://[2002:7f00:1::1]/',
  'http://[2002:a9fe:a9fe::]/latest/meta-data/',
  'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
];

describe('notification targets', () => {
  it('names the kind of every refused address and lets public ones through', () => {
    for (const a of [
      '127.0.0.1',
      '::1',
      '169.254.169.254',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '100.64.0.1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:a00:1',
      '::ffff:a9fe:a9fe',
      '::7f00:1',
      '::a9fe:a9fe',
      '64:ff9b:1::a00:1',
    ]) {
      expect(refusedAddress(a), a).not.toBeNull();
    }
    expect(refusedAddress('2002:7f00:1::1')).toMatch(/6to4/);
    expect(refusedAddress('2002:a9fe:a9fe::1')).toMatch(/6to4/);
    expect(refusedAddress('2002:5db8:d822::1')).toMatch(/6to4/);
    expect(refusedAddress('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toMatch(/Teredo/);
    expect(refusedAddress('2001::1')).toMatch(/Teredo/);
    for (const a of [
      '93.184.216.34',
      '1.1.1.1',
      '2606:4700:4700::1111',
      '172.32.0.1',
      '100.128.0.1',
      '2001:4860:4860::8888',
      '2001:1::1',
      '2003::1',
      '::ffff:93.184.216.34',
    ])
      expect(refusedAddress(a), a).toBeNull();
  });

  it('refuses internal addresses when a subscriber is created or its URL changed, storing nothing', async () => {
    const admin = await demoToken('admin');
    const [existing] = await t.runtime.db
      .insert(notificationSubscribers)
      .values({ url: 'https://hooks.example.com/desk', secret: 'x'.repeat(20), createdBy: 'test' })
      .returning();
    for (const url of INTERNAL()) {
      const created = await callRoute(subscribersRoute.POST, { method: 'POST', body: { url }, token: admin });
      expect(created.status, url).toBe(400);
      expect(created.body.error.code).toBe('validation');
      const changed = await callRoute(subscriberRoute.PATCH, {
        method: 'PATCH',
        params: { id: existing!.id },
        body: { url },
        token: admin,
      });
      expect(changed.status, url).toBe(400);
    }
    const rows = await t.runtime.db.select().from(notificationSubscribers);
    expect(rows.map((r) => r.url)).toEqual(['https://hooks.example.com/desk']);
    await t.runtime.db.delete(notificationSubscribers);
  });

  it('checks again at send time: a stored internal URL is never contacted, and the attempt says why', async () => {
    const stored = [
      [`http://localhost:${port}/hook`, /loopback/],
      // 6to4 of 127.0.0.1: a relay would hand it to the embedded IPv4.
      [`http://[2002:7f00:1::1]:${port}/hook`, /6to4/],
    ] as const;
    const subs = await t.runtime.db
      .insert(notificationSubscribers)
      .values(stored.map(([url]) => ({ url, secret: 'x'.repeat(20), createdBy: 'before the check existed' })))
      .returning();
    const store = await createStore(t.runtime.db);
    const [batch] = await t.runtime.db
      .insert(batches)
      .values({ storeId: store.id, kind: 'push', status: 'completed', createdBy: 'alex', finishedAt: new Date() })
      .returning();
    await t.services.notifier!.batchFinished(batch!);
    for (const [i, [url, reason]] of stored.entries()) {
      let attempts: Array<typeof notificationAttempts.$inferSelect> = [];
      for (let n = 0; n < 100 && attempts.length === 0; n++) {
        await new Promise((r) => setTimeout(r, 100));
        attempts = await t.runtime.db.select().from(notificationAttempts).where(eq(notificationAttempts.subscriberId, subs[i]!.id));
      }
      expect(attempts[0], url).toMatchObject({ status: 'failed', httpStatus: null, error: expect.stringMatching(reason) });
    }
    expect(hits).toBe(0);
    await t.runtime.db.delete(notificationSubscribers);
  });

  it('connects to the address that was checked, not to what the name resolves to later', async () => {
    const status = await postToTarget(
      { url: new URL(`http://rebinding.invalid:${port}/hook`), address: '127.0.0.1', family: 4 },
      { 'content-type': 'application/json' },
      '{}',
      5000,
    );
    expect(status).toBe(200);
    expect(hits).toBe(1);
  });
});
