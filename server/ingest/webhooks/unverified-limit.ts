import { lt } from 'drizzle-orm';
import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimits } from '../../../drizzle/schema';
import type { Db } from '../../db/client';

/** Addresses remembered as blocked at most; past it the expired ones are forgotten first. */
const MAX_BLOCKED = 10_000;
/** How often spending also forgets the rate_limits rows whose minute has ended. */
const CLEAR_EVERY_MS = 10 * 60_000;

/**
 * The budget of webhook requests that fail verification (no store, no or wrong HMAC), per client
 * address per minute. Verified deliveries never spend it and are never refused for rate: Shopify
 * gives up on a subscription whose deliveries keep failing. Spending is counted in the rate_limits
 * table (rate-limiter-flexible's Drizzle store: one atomic upsert, on Postgres shared by every
 * process, on PGlite by the one process there is); an address over budget is then remembered here
 * until its minute ends, so its further requests that fail verification are refused without database
 * work (receive.ts checks them against the stores it remembers). Its verified deliveries still pass.
 */
export class UnverifiedWebhookLimiter {
  private readonly limiter: RateLimiterDrizzle;
  private readonly blocked = new Map<string, number>();
  private lastClear = Date.now();

  constructor(
    private readonly db: Db,
    perMinute: number,
  ) {
    // The library's own clean-up is a timer that outlives the database at shutdown (and then logs a
    // failed query); expired rows are forgotten here instead, while spending, which only a live runtime does.
    this.limiter = new RateLimiterDrizzle({
      clearExpiredByTimeout: false,
      storeClient: db,
      schema: rateLimits,
      keyPrefix: 'webhook-unverified',
      points: perMinute,
      duration: 60,
    });
  }

  /** Seconds until the address may send again, 0 when it may now: a memory look-up, no database work. */
  blockedFor(address: string, now = Date.now()): number {
    const until = this.blocked.get(address);
    if (until === undefined) return 0;
    if (until > now) return Math.ceil((until - now) / 1000);
    this.blocked.delete(address);
    return 0;
  }

  /** Counts one failed verification; answers the seconds to wait when that took the address over budget, else 0. */
  async spend(address: string): Promise<number> {
    this.clearExpired();
    try {
      await this.limiter.consume(address);
      return 0;
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      this.remember(address, Date.now() + res.msBeforeNext);
      return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    }
  }

  private clearExpired(now = Date.now()): void {
    if (now - this.lastClear < CLEAR_EVERY_MS) return;
    this.lastClear = now;
    void this.db
      .delete(rateLimits)
      .where(lt(rateLimits.expire, new Date(now)))
      .catch(() => {});
  }

  private remember(address: string, until: number): void {
    if (this.blocked.size >= MAX_BLOCKED) {
      const now = Date.now();
      for (const [key, at] of this.blocked) if (at <= now) this.blocked.delete(key);
      if (this.blocked.size >= MAX_BLOCKED) this.blocked.delete(this.blocked.keys().next().value!);
    }
    this.blocked.set(address, until);
  }
}
