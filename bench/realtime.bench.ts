import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { parseConfig } from '../lib/env';
import type { RealtimeMessage, SubscribeResult } from '../lib/realtime/events';
import { openDatabase } from '../server/db/client';
import { createLogger } from '../server/logger';
import { attachSocketServer } from '../server/realtime/socket-server';
import { startRuntime } from '../server/runtime';
import { runBench } from './harness';
import { percentile, writeReport } from './report';

/**
 * Realtime fan-out: 200 dashboards connected over WebSocket with real (demo) tokens, all watching
 * one operation. The job reports progress every 250 ms (slower than the coalescing interval, so
 * each report goes out); latency is measured from the progress() call to each client's receipt.
 * Database: BENCH_DATABASE_URL (Postgres) or in-memory PGlite.
 */
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 40);
const INTERVAL_MS = 250;

async function main() {
  const url = process.env.BENCH_DATABASE_URL;
  const config = parseConfig({ NODE_ENV: 'test', DEV_AUTH: 'true', LOG_LEVEL: 'warn', ...(url ? { DATABASE_URL: url } : {}) });
  const database = await openDatabase(url ? { url } : { dataDir: 'memory://' });
  const runtime = await startRuntime(config, { database, queue: false, logger: createLogger('warn') });
  const http = createServer();
  const sockets = attachSocketServer(http, {
    verifier: runtime.verifier,
    hub: runtime.hub,
    logger: runtime.logger,
    config: runtime.config,
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const op = await runtime.operations.start({ kind: 'push', title: 'realtime bench', startedBy: 'bench', total: EVENTS });
  const roles = ['merchandiser', 'admin', 'support'] as const;
  const tokens = await Promise.all(roles.map((r) => runtime.verifier.signDemoToken(`demo-${r}`)));
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let received = 0;

  const clients: Socket[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const socket = connect(base, {
      auth: { token: tokens[i % tokens.length] },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.on('operation_progress', (m: RealtimeMessage) => {
      const at = sentAt.get(m.data.progress?.done ?? -1);
      if (at === undefined) return;
      latencies.push(performance.now() - at);
      received++;
    });
    clients.push(socket);
  }
  await Promise.all(
    clients.map(
      (socket) =>
        new Promise<void>((resolve, reject) => {
          socket.once('connect', () =>
            socket.emit('subscribe', { rooms: [`operation:${op.id}`] }, (res: { data?: SubscribeResult; error?: unknown }) =>
              res.data ? resolve() : reject(new Error(JSON.stringify(res.error))),
            ),
          );
          socket.once('connect_error', reject);
        }),
    ),
  );
  const connectedClients = sockets.clients();

  for (let done = 1; done <= EVENTS; done++) {
    sentAt.set(done, performance.now());
    op.progress(done);
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
  }
  await new Promise((r) => setTimeout(r, 1000));
  await op.complete();

  const expected = CLIENTS * EVENTS;
  writeReport(
    'realtime',
    [
      { name: 'connected dashboards', value: connectedClients, unit: 'clients', target: CLIENTS, better: 'higher' },
      {
        name: 'progress events delivered',
        value: (received / expected) * 100,
        unit: '%',
        target: 100,
        better: 'higher',
        note: `${received} of ${expected}`,
      },
      { name: 'p50 progress latency', value: percentile(latencies, 50), unit: 'ms' },
      { name: 'p95 progress latency', value: percentile(latencies, 95), unit: 'ms', target: 100, better: 'lower' },
      { name: 'p99 progress latency', value: percentile(latencies, 99), unit: 'ms' },
    ],
    { database: runtime.database.kind },
  );

  for (const socket of clients) socket.disconnect();
  await sockets.close();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await runtime.stop();
  await database.close();
}

runBench(main);
