import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function readBody(req: IncomingMessage, limit = 110 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/**
 * Serves `handle` on host:port (0 picks a free port) and answers the URL clients reach it at; a
 * handler that throws answers 500 naming the error, or drops the connection when it had begun answering.
 */
export async function listen(handle: RouteHandler, port: number, host: string): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((req, res) => {
    handle(req, res, new URL(req.url ?? '/', 'http://emulator')).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: `Emulator error: ${(err as Error).message}` });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const reachable = address.family === 'IPv6' ? `[${address.address}]` : address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  return { server, baseUrl: `http://${reachable}:${address.port}` };
}
