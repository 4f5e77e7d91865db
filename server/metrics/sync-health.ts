import { sql } from 'drizzle-orm';
import type { WebhookCheck } from '../../drizzle/schema';
import type { RefusedShop, ShopifyReachability, SyncHealth } from '../../lib/dashboard/health';
import { webhookCheckWords } from '../../lib/dashboard/webhook-words';
import { LANDED_ITEM_STATUSES, LOST_ITEM_STATUSES, OPEN_OPERATION_STATUSES, PUSHED_BATCH_KINDS } from '../../lib/sync/model';
import type { Db } from '../db/client';
import { DELIVERY_STATUS, sqlConstants } from '../db/literals';
import { queryRows } from '../db/rows';

export const HEALTH_THRESHOLDS = Object.freeze({
  eventSuccessRate: 0.95,
  pushSuccessRate: 0.9,
  pollingFailuresInRow: 5,
  activityMinutes: 5,
});

const LANDED = sqlConstants(LANDED_ITEM_STATUSES);
const LOST = sqlConstants(LOST_ITEM_STATUSES);
const OPEN_OPERATIONS = sqlConstants(OPEN_OPERATION_STATUSES);
const PUSHED_KINDS = sqlConstants(PUSHED_BATCH_KINDS);

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/**
 * The sync health indicators, computed from stored state so every process reports the same.
 * `reachability` comes from the Shopify client's signals in this process, `refusedUnknownShop`
 * from its webhook intake (deliveries refused before anything is stored).
 */
export async function getSyncHealth(
  db: Db,
  options: { windowMinutes?: number; reachability?: ShopifyReachability[]; refusedUnknownShop?: RefusedShop[]; now?: Date } = {},
): Promise<SyncHealth> {
  const windowMinutes = options.windowMinutes ?? 60;
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - windowMinutes * 60_000).toISOString();

  const [hooks] = await queryRows<{ processed: number; failed: number }>(
    db,
    sql`select count(*) filter (where status = ${DELIVERY_STATUS.processed})::int as processed,
               count(*) filter (where status = ${DELIVERY_STATUS.failed})::int as failed
        from webhook_deliveries where received_at >= ${since}::timestamptz`,
  );
  const [items] = await queryRows<{ applied: number; failed: number }>(
    db,
    sql`select count(*) filter (where i.status in (${LANDED}))::int as applied,
               count(*) filter (where i.status in (${LOST}))::int as failed
        from batch_items i where i.side = 'shopify' and i.finished_at >= ${since}::timestamptz`,
  );
  const storeRows = await queryRows<{
    id: string;
    shop_domain: string;
    poll_failures: number;
    last_poll_at: Date | string | null;
    last_poll_success_at: Date | string | null;
    webhook_check: WebhookCheck | null;
  }>(
    db,
    sql`select id, shop_domain, poll_failures, last_poll_at, last_poll_success_at, webhook_check
        from stores where active order by created_at`,
  );
  const [activityRow] = await queryRows<{ last: Date | string | null; running: number }>(
    db,
    sql`select greatest(
          (select max(updated_at) from operations),
          (select max(updated_at) from batches where kind in (${PUSHED_KINDS})),
          (select max(received_at) from webhook_deliveries),
          (select max(last_poll_at) from stores)) as last,
        (select count(*)::int from operations where status in (${OPEN_OPERATIONS})) as running`,
  );

  const processed = hooks?.processed ?? 0;
  const hookFailed = hooks?.failed ?? 0;
  const applied = items?.applied ?? 0;
  const itemFailed = items?.failed ?? 0;
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

  const refused = options.refusedUnknownShop ?? [];
  const eventSuccess = {
    ...successRate(processed, hookFailed, HEALTH_THRESHOLDS.eventSuccessRate, windowMinutes, 'webhook deliveries', 'processed'),
    processed,
    failed: hookFailed,
    refusedUnknownShop: refused,
  };
  if (refused.length) {
    eventSuccess.detail = [
      eventSuccess.detail,
      ...refused.map((r) => `${r.count} deliveries refused for unknown shop ${r.shop} in the last hour`),
    ].join('; ');
  }
  const pushSuccess = {
    ...successRate(applied, itemFailed, HEALTH_THRESHOLDS.pushSuccessRate, windowMinutes, 'pushed items', 'applied'),
    applied,
    failed: itemFailed,
  };
  const pollingFailures = {
    healthy: stores.length === 0 ? null : worstPoll < HEALTH_THRESHOLDS.pollingFailuresInRow,
    value: stores.length === 0 ? null : worstPoll,
    threshold: HEALTH_THRESHOLDS.pollingFailuresInRow,
    stores,
    detail:
      stores.length === 0
        ? 'No store connected'
        : worstPoll === 0
          ? 'The backup poll is succeeding'
          : `${worstPoll} polling failures in a row (healthy below 5)`,
  };
  // Sync activity is any pull, poll, push, rollback or webhook; a store with none yet is new, not failing (no verdict).
  const activity = {
    healthy: idleMinutes === null ? null : idleMinutes <= HEALTH_THRESHOLDS.activityMinutes,
    value: idleMinutes === null ? null : Math.round(idleMinutes * 10) / 10,
    threshold: HEALTH_THRESHOLDS.activityMinutes,
    lastActivityAt,
    running,
    detail:
      lastActivityAt === null
        ? 'No sync activity yet'
        : idleMinutes! <= HEALTH_THRESHOLDS.activityMinutes
          ? `Active: last activity ${Math.round(idleMinutes! * 60)} s ago${running ? `, ${running} operation(s) running` : ''}`
          : `No sync activity for ${Math.round(idleMinutes!)} minutes`,
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
          : `Shopify unreachable since ${unreachable.map((r) => r.failingSince).sort()[0]} ` +
            `(${unreachable[0]!.consecutiveFailures} failed attempts in a row); operations are waiting and will resume`,
  };
  const webhooks = webhookIndicator(storeRows.map((s) => ({ storeId: s.id, shopDomain: s.shop_domain, check: s.webhook_check })));
  const indicators = [eventSuccess, pushSuccess, pollingFailures, activity, shopify, webhooks];
  return {
    status: indicators.some((i) => i.healthy === false) ? 'degraded' : 'healthy',
    windowMinutes,
    eventSuccess,
    pushSuccess,
    pollingFailures,
    activity,
    shopify,
    webhooks,
    time: now.toISOString(),
  };
}

/**
 * Whether each store still sends us its webhooks, as the last subscription check found (null: never
 * checked); each store in the words its settings card uses (lib/dashboard/webhook-words).
 */
function webhookIndicator(stores: Array<{ storeId: string; shopDomain: string; check: WebhookCheck | null }>): SyncHealth['webhooks'] {
  const checked = stores.filter((s) => s.check !== null);
  const failing = checked.filter((s) => webhookCheckWords(s.check).ok === false);
  const restored = checked.filter((s) => s.check!.error === null && s.check!.missing.length > 0);
  const named = failing.length ? failing : restored;
  return {
    healthy: checked.length === 0 ? null : failing.length === 0,
    value: checked.length === 0 ? null : failing.length,
    threshold: 0,
    stores: stores.map((s) => ({
      storeId: s.storeId,
      shopDomain: s.shopDomain,
      checkedAt: s.check?.checkedAt ?? null,
      missing: s.check?.missing ?? [],
      error: s.check?.error ?? null,
    })),
    detail:
      checked.length === 0
        ? `${webhookCheckWords(null).text} (set PUBLIC_URL)`
        : named.length
          ? named.map((s) => `${s.shopDomain}: ${webhookCheckWords(s.check).text}`).join('; ')
          : `Every store: ${webhookCheckWords(checked[0]!.check).text}`,
  };
}

function iso(v: Date | string | null): string | null {
  return v === null ? null : new Date(v).toISOString();
}

/** A success rate over a window: healthy at the threshold or more, none when nothing settled. */
function successRate(ok: number, failed: number, threshold: number, windowMinutes: number, what: string, done: string) {
  const value = ok + failed > 0 ? ok / (ok + failed) : null;
  return {
    healthy: value === null ? null : value >= threshold,
    value,
    threshold,
    detail:
      value === null
        ? `No ${what} settled in the last ${windowMinutes} minutes`
        : `${pct(value)} of ${ok + failed} ${what} ${done} (healthy at ${Math.round(threshold * 100)}% or more)`,
  };
}
