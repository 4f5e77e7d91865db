import type { ThrottleStats } from '../shopify/throttle';

/**
 * What GET /api/health and GET /api/sync/metrics answer (server/health.ts and
 * server/metrics/summary.ts build them; the dashboard reads them).
 */

/** What GET /api/health answers without a session: whether the service is up, nothing more. */
export interface PublicHealth {
  status: 'ok' | 'degraded' | 'down';
}

/** What it answers a signed-in user. */
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

/** One indicator as the seeds define it: a value, its threshold, and whether it is met (null: no data yet). */
export interface HealthIndicator {
  healthy: boolean | null;
  value: number | null;
  threshold: number;
  /** A sentence for the Operations page. */
  detail: string;
}

/** Whether Shopify answers a store's requests, as the app's Shopify client last saw it. */
export interface ShopifyReachability {
  storeId: string;
  reachable: boolean;
  consecutiveFailures: number;
  /** When the current run of failures began (null while reachable). */
  failingSince: string | null;
  lastError: string | null;
  lastSuccessAt: string | null;
}

/** Webhook deliveries refused for a shop no store has, in the last hour. */
export interface RefusedShop {
  shop: string;
  count: number;
}

export interface SyncHealth {
  /** healthy: every indicator with data is met; degraded: one or more is not. */
  status: 'healthy' | 'degraded';
  windowMinutes: number;
  /**
   * Webhook deliveries processed / (processed + failed), 0-1; healthy at 0.95 or more. With the
   * deliveries refused in the last hour because no store has their shop (as this process saw them).
   */
  eventSuccess: HealthIndicator & { processed: number; failed: number; refusedUnknownShop: RefusedShop[] };
  /** Shopify batch items applied / (applied + failed + dead), 0-1; healthy at 0.90 or more. */
  pushSuccess: HealthIndicator & { applied: number; failed: number };
  /** The backup poll's failures in a row (worst store); healthy below 5. */
  pollingFailures: HealthIndicator & {
    stores: Array<{
      storeId: string;
      shopDomain: string;
      consecutiveFailures: number;
      lastPollAt: string | null;
      lastPollSuccessAt: string | null;
    }>;
  };
  /** Sync activity (operations, webhooks, polls) within the last 5 minutes. */
  activity: HealthIndicator & { lastActivityAt: string | null; running: number };
  /** Whether Shopify answers each store's requests, as the client last saw it. */
  shopify: HealthIndicator & { stores: ShopifyReachability[] };
  /** Each store's webhook subscriptions at the last periodic check: stores whose check or re-registration failed; healthy at 0. */
  webhooks: HealthIndicator & {
    stores: Array<{ storeId: string; shopDomain: string; checkedAt: string | null; missing: string[]; error: string | null }>;
  };
  time: string;
}

export interface SyncMetricsSummary {
  health: SyncHealth;
  staged: Record<string, Record<string, number>>;
  batchItems: Record<string, number>;
  queue: Record<string, number>;
  /** Each store's Shopify bucket: points used per second against its restore rate. */
  throttle: Array<{ storeId: string } & ThrottleStats & { utilization: number | null }>;
}
