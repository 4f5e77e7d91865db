import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import next from 'next';
import type { Config } from '../lib/env';
import { attachSocketServer, type SocketServer } from './realtime/socket-server';
import { type Runtime, startRuntime } from './runtime';
import { startSubsystems } from './subsystems';
import { isWebhookDelivery, serveWebhookFastPath } from './webhooks/http';

export interface AppServerOptions {
  config: Config;
  /** Next in development mode (on-demand compilation, HMR). */
  dev: boolean;
  hostname?: string;
}

export interface AppServer {
  url: string;
  port: number;
  runtime: Runtime;
  socket: SocketServer;
  close(): Promise<void>;
}

/** How long a graceful stop waits for in-flight requests before closing anyway. */
const DRAIN_TIMEOUT_MS = 15_000;

/**
 * Next.js and Socket.IO on one HTTP server, over one runtime (database, queue, realtime hub).
 * `close` stops accepting connections, lets in-flight requests and jobs finish, then closes the database.
 */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const { config } = options;
  const runtime = await startRuntime(config);
  const nextApp = next({ dev: options.dev, dir: process.cwd(), port: config.PORT, hostname: options.hostname ?? 'localhost' });
  const handle = nextApp.getRequestHandler();
  await nextApp.prepare();
  const upgrade = nextApp.getUpgradeHandler();

  let inFlight = 0;
  let drained: (() => void) | undefined;
  const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (runtime.stopping) {
      res.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { code: 'unavailable', message: 'The server is stopping' } }));
      return;
    }
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
    // Webhook deliveries come by the thousand: answered here, with the route handler's own logic,
    // rather than through Next's routing (server/webhooks/http.ts).
    const answering = isWebhookDelivery(req) ? serveWebhookFastPath(runtime, req, res) : handle(req, res);
    void answering.catch((err: unknown) => {
      runtime.logger.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'Internal error' } }));
    });
  });
  httpServer.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith('/socket.io')) return;
    void upgrade(req, socket, head);
  });

  const socket = attachSocketServer(httpServer, {
    verifier: runtime.verifier,
    hub: runtime.hub,
    logger: runtime.logger,
    postgresUrl: config.database.kind === 'postgres' ? config.database.url : undefined,
  });
  runtime.services.set('socket', socket);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, options.hostname ?? '0.0.0.0', () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  runtime.services.set('url', url);
  await startSubsystems(runtime);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      runtime.logger.info({ inFlight }, 'stopping: draining requests');
      httpServer.close();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, DRAIN_TIMEOUT_MS).unref();
        });
      }
      await socket.close();
      await runtime.stop();
      await nextApp.close?.();
      runtime.logger.info('stopped');
    })());

  return { url, port, runtime, socket, close };
}
