import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as cancelRoute from '../../app/api/operations/[id]/cancel/route';
import type { RealtimeMessage, SubscribeResult } from '../../lib/realtime/events';
import { attachSocketServer, type SocketServer } from '../../server/realtime/socket-server';
import { callRoute, demoToken } from '../helpers/api';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
let http: Server;
let socketServer: SocketServer;
let url: string;
const clients: Socket[] = [];

beforeAll(async () => {
  t = await startTestRuntime();
  http = createServer();
  socketServer = attachSocketServer(http, {
    verifier: t.runtime.verifier,
    hub: t.runtime.hub,
    logger: t.runtime.logger,
    config: t.runtime.config,
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});
afterAll(async () => {
  await socketServer?.close();
  await t?.stop();
});

function client(auth: Record<string, unknown>): Socket {
  const socket = connect(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  clients.push(socket);
  return socket;
}

async function connected(socket: Socket): Promise<void> {
  if (socket.connected) return;
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

function subscribe(socket: Socket, rooms: string[], lastSeq?: number): Promise<SubscribeResult> {
  return new Promise((resolve, reject) =>
    socket.emit('subscribe', { rooms, lastSeq }, (res: { data?: SubscribeResult; error?: unknown }) =>
      res.data ? resolve(res.data) : reject(res.error),
    ),
  );
}

function collect(socket: Socket, type: string): RealtimeMessage[] {
  const got: RealtimeMessage[] = [];
  socket.on(type, (m: RealtimeMessage) => got.push(m));
  return got;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('realtime', () => {
  it('refuses a socket without a token, or with a bad one', async () => {
    for (const auth of [{}, { token: 'garbage' }]) {
      const socket = client(auth);
      const err = await new Promise<Error & { data?: { code: string } }>((resolve) => socket.once('connect_error', resolve));
      expect(err.message).toBe('unauthorized');
      expect(err.data?.code).toBe('unauthorized');
    }
  });

  it('delivers what one client causes to another client in the room', async () => {
    const op = await t.runtime.operations.start({ kind: 'pull', title: 'broadcast', startedBy: 'test' });
    const watcher = client({ token: await demoToken('support') });
    await connected(watcher);
    await subscribe(watcher, [`operation:${op.id}`]);
    const logs = collect(watcher, 'operation_log');

    // The admin acts through the HTTP API; the support user's dashboard hears about it.
    const res = await callRoute(cancelRoute.POST, { method: 'POST', params: { id: op.id }, token: await demoToken('admin'), body: {} });
    expect(res.status).toBe(200);
    await until(() => logs.length > 0, 'the cancel log line');
    expect(logs[0]).toMatchObject({
      type: 'operation_log',
      data: { operation_id: op.id, level: 'warn', message: expect.stringContaining('Cancel requested') },
    });
    expect(logs[0]!.data.seq).toBeGreaterThan(0);
    await op.markCancelled();
  });

  it('replays what a reconnecting client missed, from its last seq', async () => {
    const op = await t.runtime.operations.start({ kind: 'push', title: 'replay', startedBy: 'test' });
    const room = `operation:${op.id}`;
    const first = client({ token: await demoToken('merchandiser') });
    await connected(first);
    await subscribe(first, [room]);
    const seen = collect(first, 'operation_log');
    op.log('one');
    await until(() => seen.length === 1, 'first log line');
    const lastSeq = seen[0]!.data.seq;
    first.disconnect();

    op.log('two');
    op.log('three');
    await t.runtime.hub.flush(op.id);
    await new Promise((r) => setTimeout(r, 100));

    const again = client({ token: await demoToken('merchandiser') });
    const replayed = collect(again, 'operation_log');
    await connected(again);
    const result = await subscribe(again, [room], lastSeq);
    await until(() => replayed.some((m) => m.data.message === 'three'), 'the replay');
    const messages = replayed.filter((m) => m.data.seq > lastSeq).map((m) => m.data.message);
    expect(messages).toEqual(['two', 'three']);
    expect(result.truncated).toBe(false);
    await op.complete();
  });

  it('coalesces a burst of progress into few messages, the last value winning', async () => {
    const op = await t.runtime.operations.start({ kind: 'pull', title: 'burst', startedBy: 'test', total: 1000 });
    const watcher = client({ token: await demoToken('admin') });
    await connected(watcher);
    await subscribe(watcher, [`operation:${op.id}`]);
    const progress = collect(watcher, 'operation_progress');
    const complete = collect(watcher, 'operation_complete');
    for (let i = 1; i <= 1000; i++) op.progress(i);
    await op.complete({ read: 1000 });
    await until(() => complete.length === 1, 'completion');
    expect(progress.length).toBeLessThanOrEqual(2);
    expect(progress.at(-1)!.data.progress).toMatchObject({ done: 1000, total: 1000 });
    expect(complete[0]!.data).toMatchObject({ status: 'completed', counts: { read: 1000 } });
    expect(complete[0]!.data.seq).toBeGreaterThan(progress.at(-1)!.data.seq);
  });

  it('rejects a subscription to a room that is not one of ours', async () => {
    const socket = client({ token: await demoToken('admin') });
    await connected(socket);
    await expect(subscribe(socket, ['admin-secrets'])).rejects.toMatchObject({ code: 'validation' });
  });
});
