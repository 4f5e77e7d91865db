import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { io as connect } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { RealtimeMessage } from '../../lib/realtime/events';
import { type AppProcess, startAppProcess } from '../helpers/app-process';
import { testDatabaseUrl } from '../helpers/pg';

const started: AppProcess[] = [];
afterAll(async () => {
  for (const app of started.reverse()) await app.stop().catch(() => {});
});

async function start(options: Parameters<typeof startAppProcess>[0] = {}) {
  const app = await startAppProcess(options);
  started.push(app);
  return app;
}

async function signIn(app: AppProcess, role: string): Promise<string> {
  const res = await fetch(`${app.url}/api/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ demoUser: `demo-${role}` }),
  });
  expect(res.status).toBe(200);
  return /csd_session=([^;]+)/.exec(res.headers.get('set-cookie')!)![1]!;
}

describe('server processes', () => {
  it('stops gracefully on SIGTERM and keeps its data across a restart', async () => {
    const first = await startAppProcess({ keepDatabase: true });
    const token = await signIn(first, 'admin');
    const before = await (
      await fetch(`${first.url}/api/sync/recent-activity`, { headers: { authorization: `Bearer ${decodeURIComponent(token)}` } })
    ).json();
    expect(before.items.some((e: { action: string }) => e.action === 'auth.sign_in')).toBe(true);
    const code = await first.stop();
    expect(code).toBe(0);
    expect(first.output()).not.toMatch(/Error|unhandled/i);
    if (first.env.DATA_DIR) {
      // The embedded database released its lock: the next process can open it.
      expect(readdirSync(path.join(first.env.DATA_DIR, 'pglite')).includes('.catalog-sync-desk.pid')).toBe(false);
    }

    const second = await start({ reuse: first.env });
    const after = await (
      await fetch(`${second.url}/api/sync/recent-activity?limit=200`, { headers: { authorization: `Bearer ${decodeURIComponent(token)}` } })
    ).json();
    expect(after.items.map((e: { id: number }) => e.id)).toEqual(expect.arrayContaining(before.items.map((e: { id: number }) => e.id)));
    if (first.env.DATA_DIR) expect(existsSync(first.env.DATA_DIR)).toBe(true);
  });

  it.skipIf(!testDatabaseUrl())('shares events between two processes on one Postgres [needs Postgres]', async () => {
    const a = await start();
    const b = await start({ reuse: a.env });
    const sql = postgres(a.env.DATABASE_URL!, { max: 1 });
    const [op] =
      await sql`insert into operations (kind, title, started_by, status, started_at) values ('pull', 'shared', 'test', 'running', now()) returning id`;
    await sql.end();

    const token = decodeURIComponent(await signIn(a, 'admin'));
    const socket = connect(b.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    const logs: RealtimeMessage[] = [];
    socket.on('operation_log', (m: RealtimeMessage) => logs.push(m));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    await new Promise((resolve) => socket.emit('subscribe', { rooms: [`operation:${op!.id}`] }, resolve));

    // The cancel request is handled by process A; the client is connected to process B.
    const res = await fetch(`${a.url}/api/operations/${op!.id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    for (let i = 0; i < 100 && logs.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    socket.disconnect();
    expect(logs[0]?.data).toMatchObject({ operation_id: op!.id, message: expect.stringContaining('Cancel requested') });
  });
});
