import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of a server (the emulator) that a test can take down and bring back on the
 * same port: while down, open connections are cut and new ones refused, as when a host drops
 * off the network. The server behind it keeps its state.
 */
export interface OutageProxy {
  url: string;
  port: number;
  readonly isDown: boolean;
  /** Cuts every open connection and stops listening (connections are refused). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startOutageProxy(target: { host?: string; port: number }, port = 0): Promise<OutageProxy> {
  const sockets = new Set<Socket>();
  let server: Server;
  let down = false;
  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host ?? '127.0.0.1');
        sockets.add(client);
        sockets.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const bound = await listen(port);
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    get isDown() {
      return down;
    },
    async down() {
      if (down) return;
      down = true;
      const closing = closeServer();
      for (const s of sockets) s.destroy();
      sockets.clear();
      await closing;
    },
    async up() {
      if (!down) return;
      await listen(bound);
      down = false;
    },
    async close() {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!down) await closeServer();
      down = true;
    },
  };
}
