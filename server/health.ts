import { sql } from 'drizzle-orm';
import type { Db } from './db/client';
import { queryOne, queryRows } from './db/rows';
import { type ShopifyReachability, shopifySignals } from './metrics/shopify-signals';
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
  /** The seeds' sync indicators; absent when the database does not answer. */
  sync?: SyncHealth;
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
  const sync = reachable ? await getSyncHealth(runtime.db, { reachability: shopifySignals(runtime.services).reachability() }).catch(() => undefined) : undefined;
  const socket = runtime.services.get('socket') as SocketServer | undefined;
  const { devAuth, supabase } = runtime.config;
  const queueState = runtime.queue ? (runtime.stopping ? 'stopped' : 'running') : 'disabled';
  return {
    status: !reachable ? 'down' : (queueState === 'running' || queueState === 'disabled') && sync?.status !== 'degraded' ? 'ok' : 'degraded',
    version: process.env.npm_package_version ?? 'dev',
    uptimeSeconds: Math.round((Date.now() - runtime.startedAt.getTime()) / 1000),
    database: { kind: runtime.database.kind, reachable, latencyMs, ...(error ? { error } : {}) },
    queue: { state: queueState },
    socket: socket ? { state: 'listening', clients: socket.io.engine.clientsCount } : { state: 'not_attached', clients: 0 },
    auth: { mode: devAuth && supabase.configured ? 'demo+supabase' : devAuth ? 'demo' : 'supabase' },
    ...(sync ? { sync } : {}),
    time,
  };
}

/** One indicator as the seeds define it: a value, its threshold, and whether it is met (null: no data yet). */
export interface HealthIndicator {
  healthy: boolean | null;
  value: number | null;
  threshold: number;
  /** A sentence for the Operations page. */
  detail: string;
}

export interface SyncHealth {
  /** healthy: every indicator with data is met; degraded: one or more is not. */
  status: 'healthy' | 'degraded';
  windowMinutes: number;
  /** Webhook deliveries processed / (processed + failed), 0-1; healthy at 0.95 or more. */
  eventSuccess: HealthIndicator & { processed: number; failed: number };
  /** Shopify batch items applied / (applied + failed + dead), 0-1; healthy at 0.90 or more. */
  pushSuccess: HealthIndicator & { applied: number; failed: number };
  /** The backup poll's failures in a row (worst store); healthy below 5. */
  pollingFailures: HealthIndicator & {
    stores: Array<{ storeId: string; shopDomain: string; consecutiveFailures: number; lastPollAt: string | null; lastPollSuccessAt: string | null }>;
  };
  /** Sync activity (operations, webhooks, polls) within the last 5 minutes. */
  activity: HealthIndicator & { lastActivityAt: string | null; running: number };
  /** Whether Shopify answers each store's requests, as the client last saw it. */
  shopify: HealthIndicator & { stores: ShopifyReachability[] };
  time: string;
}

export const HEALTH_THRESHOLDS = Object.freeze({
  eventSuccessRate: 0.95,
  pushSuccessRate: 0.9,
  pollingFailuresInRow: 5,
  activityMinutes: 5,
});

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/**
 * The sync health indicators, computed from stored state so every process reports the same.
 * `reachability` comes from the Shopify client's signals in this process.
 */
export async function getSyncHealth(
  db: Db,
  options: { windowMinutes?: number; reachability?: ShopifyReachability[]; now?: Date } = {},
): Promise<SyncHealth> {
  const windowMinutes = options.windowMinutes ?? 60;
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - windowMinutes * 60_000).toISOString();

  const [hooks] = await queryRows<{ processed: number; failed: number }>(
    db,
    sql`select count(*) filter (where status = 'processed')::int as processed, count(*) filter (where status = 'failed')::int as failed
        from webhook_deliveries where received_at >= ${since}::timestamptz`,
  );
  const [items] = await queryRows<{ applied: number; failed: number }>(
    db,
    sql`select count(*) filter (where i.status in ('applied', 'rolled_back'))::int as applied,
               count(*) filter (where i.status in ('failed', 'dead'))::int as failed
        from batch_items i where i.side = 'shopify' and i.finished_at >= ${since}::timestamptz`,
  );
  const storeRows = await queryRows<{ id: string; shop_domain: string; poll_failures: number; last_poll_at: Date | string | null; last_poll_success_at: Date | string | null }>(
    db,
    sql`select id, shop_domain, poll_failures, last_poll_at, last_poll_success_at from stores where active order by created_at`,
  );
  const [activityRow] = await queryRows<{ last: Date | string | null; running: number }>(
    db,
    sql`select greatest(
          (select max(updated_at) from operations),
          (select max(received_at) from webhook_deliveries),
          (select max(last_poll_at) from stores)) as last,
        (select count(*)::int from operations where status in ('queued', 'running')) as running`,
  );

  const processed = hooks?.processed ?? 0;
  const hookFailed = hooks?.failed ?? 0;
  const eventRate = processed + hookFailed > 0 ? processed / (processed + hookFailed) : null;
  const applied = items?.applied ?? 0;
  const itemFailed = items?.failed ?? 0;
  const pushRate = applied + itemFailed > 0 ? applied / (applied + itemFailed) : null;
  const stores = storeRows.map((s) => ({
    storeId: s.id,
    shopDomain: s.shop_domain,
    consecutiveFailures: Number(s.poll_failures),
    lastPollAt: iso(s.last_poll_at),
    lastPollSuccessAt: iso(s.last_poll_success_at),
  }));
  const worstPoll = stores.reduce((m, s) => Math.max(m, s.consecutiveFailures), 0);
  const lastActivityAt = iso(activityRow?.last ?? null);
  const idleMinutes = lastActivityAt ? (now.getTime() - new Date(lastActivityAt).getTime()) / 60_000 : null;
  const running = Number(activityRow?.running ?? 0);
  const reach = options.reachability ?? [];
  const unreachable = reach.filter((r) => !r.reachable);

  const eventSuccess = {
    healthy: eventRate === null ? null : eventRate >= HEALTH_THRESHOLDS.eventSuccessRate,
    value: eventRate,
    threshold: HEALTH_THRESHOLDS.eventSuccessRate,
    processed,
    failed: hookFailed,
    detail: eventRate === null ? `No webhook deliveries settled in the last ${windowMinutes} minutes` : `${pct(eventRate)} of ${processed + hookFailed} webhook deliveries processed (healthy at 95% or more)`,
  };
  const pushSuccess = {
    healthy: pushRate === null ? null : pushRate >= HEALTH_THRESHOLDS.pushSuccessRate,
    value: pushRate,
    threshold: HEALTH_THRESHOLDS.pushSuccessRate,
    applied,
    failed: itemFailed,
    detail: pushRate === null ? `No pushed items settled in the last ${windowMinutes} minutes` : `${pct(pushRate)} of ${applied + itemFailed} pushed items applied (healthy at 90% or more)`,
  };
  const pollingFailures = {
    healthy: stores.length === 0 ? null : worstPoll < HEALTH_THRESHOLDS.pollingFailuresInRow,
    value: stores.length === 0 ? null : worstPoll,
    threshold: HEALTH_THRESHOLDS.pollingFailuresInRow,
    stores,
    detail: stores.length === 0 ? 'No store connected' : worstPoll === 0 ? 'The backup poll is succeeding' : `${worstPoll} polling failures in a row (healthy below 5)`,
  };
  const activity = {
    healthy: stores.length === 0 && lastActivityAt === null ? null : idleMinutes !== null && idleMinutes <= HEALTH_THRESHOLDS.activityMinutes,
    value: idleMinutes === null ? null : Math.round(idleMinutes * 10) / 10,
    threshold: HEALTH_THRESHOLDS.activityMinutes,
    lastActivityAt,
    running,
    detail: lastActivityAt === null ? 'No sync activity yet' : idleMinutes! <= HEALTH_THRESHOLDS.activityMinutes ? `Active: last activity ${Math.round(idleMinutes! * 60)} s ago${running ? `, ${running} operation(s) running` : ''}` : `No sync activity for ${Math.round(idleMinutes!)} minutes`,
  };
  const shopify = {
    healthy: reach.length === 0 ? null : unreachable.length === 0,
    value: reach.length === 0 ? null : unreachable.length,
    threshold: 0,
    stores: reach,
    detail:
      reach.length === 0
        ? 'No Shopify requests made by this process yet'
        : unreachable.length === 0
          ? 'Shopify is answering'
          : `Shopify unreachable since ${unreachable.map((r) => r.failingSince).sort()[0]} (${unreachable[0]!.consecutiveFailures} failed attempts in a row); operations are waiting and will resume`,
  };
  const indicators = [eventSuccess, pushSuccess, pollingFailures, activity, shopify];
  return {
    status: indicators.some((i) => i.healthy === false) ? 'degraded' : 'healthy',
    windowMinutes,
    eventSuccess,
    pushSuccess,
    pollingFailures,
    activity,
    shopify,
    time: now.toISOString(),
  };
}

function iso(v: Date | string | null): string | null {
  return v === null ? null : new Date(v).toISOString();
}
