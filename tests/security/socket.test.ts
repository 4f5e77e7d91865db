import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attachSocketServer, type SocketServer } from '../../server/realtime/socket-server';
import { FORGED_ENV, forgedToken } from '../helpers/forged-token';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * The Socket.IO handshake: a page of another site must not open the socket on the user's session
 * cookie (WebSockets have no CORS), a token signed with our secret is still checked claim by claim
 * (tests/security/tokens.test.ts does the same for the HTTP routes), and a socket does not outlive its token.
 */
let t: TestRuntime;
let http: Server;
let socketServer: SocketServer;
let url: string;
let host: string;
const clients: Socket[] = [];

beforeAll(async () => {
  t = await startTestRuntime({ env: { PUBLIC_URL: 'https://desk.example', ...FORGED_ENV } });
  http = createServer();
  socketServer = attachSocketServer(http, { verifier: t.runtime.verifier, hub: t.runtime.hub, logger: t.runtime.logger, config: t.config });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(http.address() as AddressInfo).port}`;
  url = `http://${host}`;
});
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});
afterAll(async () => {
  await socketServer?.close();
  await t?.stop();
});

function open(headers: Record<string, string>, auth: Record<string, unknown> = {}): Socket {
  const socket = connect(url, { auth, extraHeaders: headers, transports: ['websocket'], reconnection: false, forceNew: true });
  clients.push(socket);
  return socket;
}

function outcome(socket: Socket): Promise<{ connected: true } | { connected: false; code?: string }> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: true }));
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve({ connected: false, code: err.data?.code }));
  });
}

describe('socket handshake origin', () => {
  it('refuses a cookie session opened from another origin, and from a sandboxed frame', async () => {
    const cookie = `csd_session=${await t.runtime.verifier.signDemoToken('demo-admin')}`;
    for (const origin of ['http://evil.example', 'null', 'https://desk.example.evil.example']) {
      expect(await outcome(open({ cookie, origin })), origin).toEqual({ connected: false, code: 'forbidden:cross_site' });
    }
  });

  it('refuses a foreign origin whatever the credential, and ignores X-Forwarded-Host without TRUST_PROXY', async () => {
    const token = await t.runtime.verifier.signDemoToken('demo-admin');
    const foreign = open({ origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' }, { token });
    expect(await outcome(foreign)).toEqual({ connected: false, code: 'forbidden:cross_site' });
  });

  it('lets our own origin (the host asked for, or PUBLIC_URL) and non-browser clients in', async () => {
    const cookie = `csd_session=${await t.runtime.verifier.signDemoToken('demo-admin')}`;
    expect(await outcome(open({ cookie, origin: url }))).toEqual({ connected: true });
    expect(await outcome(open({ cookie, origin: 'https://desk.example' }))).toEqual({ connected: true });
    expect(await outcome(open({ cookie }))).toEqual({ connected: true });
  });
});

describe('socket handshake token claims', () => {
  it('lets a token of our project in, as the auth token and as the session cookie', async () => {
    const token = await forgedToken();
    expect(await outcome(open({}, { token }))).toEqual({ connected: true });
    expect(await outcome(open({ cookie: `csd_session=${token}` }))).toEqual({ connected: true });
  });

  for (const [what, shape] of [
    ['the audience of another project', { aud: 'other-project' }],
    ['no exp', { exp: null }],
  ] as const) {
    it(`refuses a correctly signed HS256 admin token with ${what}, as the auth token and as the session cookie`, async () => {
      const bad = await forgedToken(shape);
      expect(await outcome(open({}, { token: bad }))).toEqual({ connected: false, code: 'unauthorized' });
      expect(await outcome(open({ cookie: `csd_session=${bad}` }))).toEqual({ connected: false, code: 'unauthorized' });
    });
  }
});

describe('socket lifetime', () => {
  it('drops a socket when its token expires', async () => {
    const token = await t.runtime.verifier.signDemoToken('demo-support', '2s');
    const socket = open({}, { token });
    expect(await outcome(socket)).toEqual({ connected: true });
    const started = Date.now();
    const reason = await new Promise<string>((resolve) => {
      socket.once('disconnect', resolve);
      setTimeout(() => resolve('still connected'), 5000);
    });
    expect(reason).toBe('io server disconnect');
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
