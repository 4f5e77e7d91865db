import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import next from 'next';
import type { Config } from '../lib/env';
import { apiSecurityHeaders } from '../lib/security-headers';
import { malformedPathError } from './http/request';
import { isWebhookDelivery, serveWebhookFastPath } from './ingest/webhooks/http';
import { attachSocketServer, type SocketServer } from './realtime/socket-server';
import { installApp } from './registry';
import { type Runtime, startRuntime } from './runtime';
import { createServices, type Services, startServices } from './services';

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
  services: Services;
  socket: SocketServer;
  close(): Promise<void>;
}

/** How long a graceful stop waits for in-flight requests before closing anyway. */
const DRAIN_TIMEOUT_MS = 15_000;

/**
 * Next.js and Socket.IO on one HTTP server, over one runtime (database, queue, realtime hub) and
 * the services built on it once the socket server exists. `close` stops accepting connections,
 * lets in-flight requests and jobs finish, then closes the database.
 */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const { config } = options;
  const runtime = await startRuntime(config);
  const nextApp = next({ dev: options.dev, dir: process.cwd(), port: config.PORT, hostname: options.hostname ?? 'localhost' });
  const handle = nextApp.getRequestHandler();
  await nextApp.prepare();
  const upgrade = nextApp.getUpgradeHandler();

  // Set before the server listens: no request is answered without it.
  let services: Services | undefined;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (runtime.stopping) {
      res.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { code: 'unavailable', message: 'The server is stopping' } }));
      return;
    }
    const malformed = malformedPathError(req.url);
    if (malformed) {
      runtime.logger.warn({ method: req.method, url: req.url, code: malformed.code }, 'request path refused');
      res.writeHead(malformed.status, { ...apiSecurityHeaders(), 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(malformed.toBody()));
      return;
    }
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
    // Webhook deliveries come by the thousand: answered here, with the route handler's own logic,
    // rather than through Next's routing (server/ingest/webhooks/http.ts).
    const answering = isWebhookDelivery(req) ? serveWebhookFastPath(services && { runtime, ...services }, req, res) : handle(req, res);
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
    config,
    postgresUrl: config.database.kind === 'postgres' ? config.database.url : undefined,
  });
  services = createServices(runtime, { socket });
  installApp({ runtime, services });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, options.hostname ?? '0.0.0.0', () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  await startServices(runtime, services);

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

  return { url, port, runtime, services, socket, close };
}
