import { sql } from 'drizzle-orm';
import { queryOne } from './db/rows';
import { getRuntime, hasRuntime } from './registry';
import type { SocketServer } from './realtime/socket-server';

export interface Health {
  status: 'ok' | 'degraded' | 'down';
  version: string;
  uptimeSeconds: number;
  database: { kind: 'postgres' | 'pglite' | 'none'; reachable: boolean; latencyMs: number | null; error?: string };
  queue: { state: 'running' | 'stopped' | 'disabled' };
  socket: { state: 'listening' | 'not_attached'; clients: number };
  auth: { mode: 'demo' | 'supabase' | 'demo+supabase' };
  time: string;
}

export async function getHealth(): Promise<Health> {
  const time = new Date().toISOString();
  if (!hasRuntime()) {
    return {
      status: 'down',
      version: process.env.npm_package_version ?? 'dev',
      uptimeSeconds: 0,
      database: { kind: 'none', reachable: false, latencyMs: null, error: 'runtime not started' },
      queue: { state: 'stopped' },
      socket: { state: 'not_attached', clients: 0 },
      auth: { mode: 'demo' },
      time,
    };
  }
  const runtime = getRuntime();
  const started = performance.now();
  let reachable = true;
  let error: string | undefined;
  try {
    await queryOne(runtime.db, sql`select 1 as ok`);
  } catch {
    reachable = false;
    error = 'database did not answer';
  }
  const latencyMs = reachable ? Math.round((performance.now() - started) * 10) / 10 : null;
  const socket = runtime.services.get('socket') as SocketServer | undefined;
  const { devAuth, supabase } = runtime.config;
  const queueState = runtime.queue ? (runtime.stopping ? 'stopped' : 'running') : 'disabled';
  return {
    status: !reachable ? 'down' : queueState === 'running' || queueState === 'disabled' ? 'ok' : 'degraded',
    version: process.env.npm_package_version ?? 'dev',
    uptimeSeconds: Math.round((Date.now() - runtime.startedAt.getTime()) / 1000),
    database: { kind: runtime.database.kind, reachable, latencyMs, ...(error ? { error } : {}) },
    queue: { state: queueState },
    socket: socket ? { state: 'listening', clients: socket.io.engine.clientsCount } : { state: 'not_attached', clients: 0 },
    auth: { mode: devAuth && supabase.configured ? 'demo+supabase' : devAuth ? 'demo' : 'supabase' },
    time,
  };
}
