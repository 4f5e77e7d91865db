import type { BatchItem } from '../../drizzle/schema';
import { type RetryPolicy, withRetries } from '../../lib/retry';
import { ShopifyRequestError } from '../../lib/shopify';
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import type { CreatedKeys, ItemOutcome, UnitResult } from './apply';
import { releaseItems, type Unit } from './claims';
import { RetryableShopifyError } from './port';
import { type Settlement, settleItems } from './settle';

/**
 * Who retries what. The push's Shopify client (server/stores/gateway.ts) retries a read within
 * the request: 5xx, timeouts and network errors, with full-jitter backoff (4 attempts). It sends a
 * write once (retryMutations: false): the unit retries writes, re-reading first, so the two retries
 * do not multiply. THROTTLED and 429 answers are waited out on the throttle bucket without counting
 * (Shopify refused those before running them). A unit retries what the client gave up on, and a raw
 * network error of a bulk upload.
 *
 * Worst case for one item with these settings: 3 attempts of its write, one per unit attempt; with
 * its drift-check read, 3 x (4 + 1) = 15 HTTP attempts (27 for an inventory level whose quantity
 * moved under its write: one more read). A unit retry re-reads first, so a write that landed
 * before its answer was lost is seen as done, not written again. In a bulk run an item's line goes
 * out in at most 3 bulkOperationRunMutation calls. Through an outage (no answer at all) these
 * rounds repeat for up to OUTAGE_WAIT_MS; each starts with its re-read, so a write whose answer was
 * lost is seen as done there.
 */
export const UNIT_RETRY: RetryPolicy = { attempts: 3, baseMs: 2_000, capMs: 10_000 };

/**
 * How long a unit waits out Shopify not answering at all (connection refused or reset, timeouts):
 * an outage, not an error of the write. The unit keeps its items, tries again every OUTAGE_PAUSE_MS
 * (each try is a full UNIT_RETRY round that re-reads first), and only after this long are they
 * dead letters. An HTTP answer (5xx) spends the attempts of UNIT_RETRY as before.
 */
export const OUTAGE_WAIT_MS = 10 * 60_000;
const OUTAGE_PAUSE_MS = 5_000;

const NETWORK_ERROR_CODES = ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'UND_ERR_SOCKET'];

/** Shopify gave no answer at all (no HTTP status): the network, a timeout, a refused connection. */
export function shopifyUnreachable(err: unknown): boolean {
  for (let e = err as { cause?: unknown; status?: number; code?: string; name?: string } | null, depth = 0; e && depth < 4; depth++) {
    if (typeof e.status === 'number') return false;
    // The client's own error for a request that got no HTTP answer (its status is undefined).
    if (e instanceof ShopifyRequestError) return e.retryable;
    if (NETWORK_ERROR_CODES.includes(String(e.code ?? '')) || e.name === 'TimeoutError' || e.name === 'AbortError') return true;
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** A failure a unit retries: see UNIT_RETRY. */
export function unitRetryable(err: unknown): boolean {
  if (err instanceof RetryableShopifyError) return true;
  const e = err as { retryable?: boolean; name?: string; code?: string } | null;
  if (e?.retryable === true) return true;
  return NETWORK_ERROR_CODES.includes(String(e?.code ?? '')) || e?.name === 'TimeoutError' || e?.name === 'AbortError';
}

export interface EngineStats {
  units: number;
  retries: number;
  deadLetters: number;
}

/** What running a unit reports to, and stops with. */
export interface UnitContext {
  db: Db;
  retry: RetryPolicy;
  /** How long Shopify may not answer at all before the unit gives up (OUTAGE_WAIT_MS). */
  outageWaitMs: number;
  /** Aborted when the engine stops: no retry starts after it. */
  signal: AbortSignal;
  stats: EngineStats;
  logger(batchId: string): Logger;
  /** Told of every attempt's end: false after a failure worth retrying. Concurrency follows. */
  attempted(ok: boolean): void;
  /** Told of each chunk of settled items, for its batch's progress. */
  settled(unit: Unit, settlements: Settlement[]): void;
  /** Told of the items found drifted once they are settled, so that their entities are re-read and restaged at once. */
  drifted(items: BatchItem[]): Promise<void>;
}

/** Items settled per transaction (and per progress report). */
const SETTLE_CHUNK = 500;

/**
 * The one way a unit of work runs, product or bulk: `apply` with retries, then its items settled
 * from the outcome. Exhausted retries make dead letters; a failure not worth retrying fails the
 * items with its message; a stop during retries leaves them queued for whoever resumes the store.
 */
export async function runUnit(ctx: UnitContext, unit: Unit, apply: () => Promise<UnitResult>): Promise<void> {
  const result = await attempt(ctx, unit, apply);
  if (!result) {
    await releaseItems(ctx.db, unit.items);
    return;
  }
  for (let i = 0; i < result.settlements.length; i += SETTLE_CHUNK) {
    const chunk = result.settlements.slice(i, i + SETTLE_CHUNK);
    await settleItems(ctx.db, chunk, result.created, result.rekeys);
    // Restaged before the batch counts them: when a batch ends, its drifted entities are in review.
    const drifted = chunk.filter((s) => s.status === 'drifted').map((s) => s.item);
    if (drifted.length) await ctx.drifted(drifted);
    ctx.settled(unit, chunk);
  }
  ctx.stats.units++;
}

interface Attempted {
  settlements: Settlement[];
  created?: CreatedKeys;
  rekeys?: Map<string, string>;
}

/**
 * Runs `apply` under the retry policy, and through an outage for up to ctx.outageWaitMs (see
 * OUTAGE_WAIT_MS); null when the engine stopped before the unit could settle.
 */
async function attempt(ctx: UnitContext, unit: Unit, apply: () => Promise<UnitResult>): Promise<Attempted | null> {
  let attempts = 0;
  let outageSince: number | null = null;
  for (;;) {
    try {
      const result = await withRetries(
        () => {
          attempts += 1;
          return apply();
        },
        ctx.retry,
        {
          retryable: unitRetryable,
          signal: ctx.signal,
          onRetry: () => {
            ctx.stats.retries++;
            ctx.attempted(false);
          },
        },
      );
      ctx.attempted(true);
      return {
        settlements: unit.items.map((item) => settlementOf(item, result.outcomes.get(item.id))),
        created: result.created,
        rekeys: result.rekeys,
      };
    } catch (err) {
      const dead = unitRetryable(err);
      if (dead && ctx.signal.aborted) return null;
      if (shopifyUnreachable(err)) {
        outageSince ??= Date.now();
        if (Date.now() - outageSince < ctx.outageWaitMs) {
          ctx.stats.retries++;
          ctx.attempted(false);
          if (await pause(Math.min(OUTAGE_PAUSE_MS, ctx.outageWaitMs), ctx.signal)) continue;
          return null;
        }
      }
      ctx.logger(unit.batchId).warn({ err, unit: unit.key }, dead ? 'push unit exhausted its retries' : 'push unit failed');
      if (dead) ctx.stats.deadLetters += unit.items.length;
      const message = err instanceof Error ? err.message : String(err);
      const waited = outageSince === null ? '' : `Shopify did not answer for ${Math.round((Date.now() - outageSince) / 1000)} s; `;
      const error = dead ? `${waited}Gave up after ${attempts} attempts: ${message}` : message;
      return { settlements: unit.items.map((item) => ({ item, status: dead ? 'dead' : 'failed', error })) };
    }
  }
}

/** Waits `ms`; false when the engine stopped meanwhile. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', stopped);
      resolve(ok);
    };
    const stopped = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', stopped, { once: true });
  });
}

function settlementOf(item: BatchItem, outcome: ItemOutcome = { status: 'failed', error: 'No outcome' }): Settlement {
  return { item, status: outcome.status, outcome };
}
