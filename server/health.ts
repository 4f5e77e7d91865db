import { sql } from 'drizzle-orm';
import type { Health } from '../lib/dashboard/health';
import { queryOne } from './db/rows';
import { getSyncHealth } from './metrics/sync-health';
import type { App } from './registry';

/** GET /api/health: the process (database, queue, socket, auth) and the sync indicators; `app` absent while starting or stopping. */
export async function getHealth(app: App | undefined): Promise<Health> {
  const time = new Date().toISOString();
  if (!app) {
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
  const { runtime, services } = app;
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
  const sync = reachable
    ? await getSyncHealth(runtime.db, {
        reachability: services.shopify.reachability(),
        refusedUnknownShop: services.webhooks.refusals.lastHour(),
      }).catch(() => undefined)
    : undefined;
  const { devAuth, supabase } = runtime.config;
  const queueState = runtime.queue ? (runtime.stopping ? 'stopped' : 'running') : 'disabled';
  return {
    status: !reachable
      ? 'down'
      : (queueState === 'running' || queueState === 'disabled') && sync?.status !== 'degraded'
        ? 'ok'
        : 'degraded',
    version: process.env.npm_package_version ?? 'dev',
    uptimeSeconds: Math.round((Date.now() - runtime.startedAt.getTime()) / 1000),
    database: { kind: runtime.database.kind, reachable, latencyMs, ...(error ? { error } : {}) },
    queue: { state: queueState },
    socket: services.socket ? { state: 'listening', clients: services.socket.clients() } : { state: 'not_attached', clients: 0 },
    auth: { mode: devAuth && supabase.configured ? 'demo+supabase' : devAuth ? 'demo' : 'supabase' },
    ...(sync ? { sync } : {}),
    time,
  };
}
