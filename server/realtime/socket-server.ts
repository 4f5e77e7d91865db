import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import { Server } from 'socket.io';
import { z } from 'zod';
import type { Config } from '../../lib/env';
import { isAppError } from '../../lib/errors';
import { type HandshakeAuth, ROOM_PATTERN } from '../../lib/realtime/events';
import { readCookie, SESSION_COOKIE, type TokenVerifier } from '../auth/tokens';
import { nodeHeaders, requestSite } from '../http/origin';
import type { Logger } from '../logger';
import type { Io, RealtimeHub } from './hub';

const subscribeSchema = z.object({
  rooms: z.array(z.string().regex(ROOM_PATTERN, 'room must be operation:<id>, store:<id> or global')).min(1).max(50),
  lastSeq: z.number().int().min(0).optional(),
});
const unsubscribeSchema = z.object({ rooms: z.array(z.string()).max(50) });

/**
 * Clients may have seen a later seq than one that commits after it (concurrent inserts),
 * so a replay reaches back a little; clients drop seqs they already have.
 */
const REPLAY_OVERLAP = 100;

export interface SocketServerOptions {
  verifier: TokenVerifier;
  hub: RealtimeHub;
  logger: Logger;
  /** Which origins are ours (the same judgement as the API's CSRF check). */
  config: Pick<Config, 'TRUST_PROXY' | 'PUBLIC_URL'>;
  /** With a Postgres URL, events reach clients of every process through the postgres adapter. */
  postgresUrl?: string;
}

/** What the rest of the app sees of the socket server: how many clients it holds, and how to stop it. */
export interface SocketServer {
  /** Connected clients in this process (metrics, health). */
  clients(): number;
  close(): Promise<void>;
}

function refusal(code: string, message: string): Error {
  return Object.assign(new Error(code === 'unauthorized' ? 'unauthorized' : 'forbidden'), { data: { code, message } });
}

export function attachSocketServer(httpServer: HttpServer, options: SocketServerOptions): SocketServer {
  const { verifier, hub, logger } = options;
  const io: Io = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 1e6,
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });

  let pool: pg.Pool | undefined;
  if (options.postgresUrl) {
    pool = new pg.Pool({ connectionString: options.postgresUrl, max: 3, application_name: 'catalog-sync-desk-socket' });
    pool.on('error', (err) => logger.warn({ err }, 'socket adapter pool error'));
    io.adapter(createAdapter(pool, { errorHandler: (err) => logger.warn({ err }, 'socket adapter error') }));
  }

  io.use(async (socket, next) => {
    // A page of another site can open a WebSocket that carries our cookie (no CORS for WebSockets):
    // refuse any handshake whose Origin is not ours, whatever credential it brings.
    if (requestSite(nodeHeaders(socket.handshake.headers), options.config) === 'cross-site') {
      return next(refusal('forbidden:cross_site', 'Cross-site connection refused'));
    }
    const auth = (socket.handshake.auth ?? {}) as HandshakeAuth;
    const token = typeof auth.token === 'string' && auth.token ? auth.token : readCookie(socket.handshake.headers.cookie, SESSION_COOKIE);
    if (!token) return next(refusal('unauthorized', 'Sign in required'));
    try {
      const verified = await verifier.verifyToken(token);
      socket.data.principal = verified.principal;
      socket.data.expiresAt = verified.expiresAt.getTime();
      next();
    } catch (err) {
      next(refusal('unauthorized', isAppError(err) ? err.message : 'Invalid token'));
    }
  });

  io.on('connection', (socket) => {
    // The socket lives no longer than its token: at expiry it is dropped, and the client reconnects
    // with its refreshed session (or is refused).
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, socket.data.expiresAt - Date.now()));
    socket.once('disconnect', () => clearTimeout(expiry));
    socket.on('subscribe', async (request, ack) => {
      const respond = typeof ack === 'function' ? ack : () => {};
      const parsed = subscribeSchema.safeParse(request);
      if (!parsed.success) {
        respond({ error: { code: 'validation', message: parsed.error.issues[0]?.message ?? 'invalid subscribe request' } });
        return;
      }
      const { rooms, lastSeq } = parsed.data;
      try {
        await socket.join(rooms);
        const latestSeq = await hub.latestSeq();
        let replayed = 0;
        let truncated = false;
        if (lastSeq !== undefined) {
          const result = await hub.replay(rooms, Math.max(0, lastSeq - REPLAY_OVERLAP));
          truncated = result.truncated;
          for (const message of result.messages) {
            socket.emit(message.type, message as never);
            replayed++;
          }
        }
        respond({ data: { rooms, replayed, latestSeq, truncated } });
      } catch (err) {
        logger.warn({ err }, 'subscribe failed');
        respond({ error: { code: 'internal', message: 'Could not subscribe' } });
      }
    });
    socket.on('unsubscribe', async (request, ack) => {
      const respond = typeof ack === 'function' ? ack : () => {};
      const parsed = unsubscribeSchema.safeParse(request);
      if (!parsed.success) return respond({ error: { code: 'validation', message: 'invalid unsubscribe request' } });
      await Promise.all(parsed.data.rooms.map((r) => socket.leave(r)));
      respond({ data: { rooms: parsed.data.rooms } });
    });
  });

  hub.attach(io);
  return {
    clients: () => io.engine.clientsCount,
    async close() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await pool?.end().catch(() => {});
    },
  };
}
