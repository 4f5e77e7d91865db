import { eq, sql } from 'drizzle-orm';
import { stores } from '../../drizzle/schema';
import type { Executor } from '../db/client';

/**
 * The backup poll records each attempt on the store row: a success resets the failures in a row,
 * a failure adds one and keeps the message. Health reads these columns (server/health.ts).
 */
export async function recordPollResult(db: Executor, storeId: string, result: { ok: true } | { ok: false; error: string }): Promise<void> {
  if (result.ok) {
    await db
      .update(stores)
      .set({ pollFailures: 0, lastPollAt: sql`now()`, lastPollSuccessAt: sql`now()`, lastPollError: null, updatedAt: sql`now()` })
      .where(eq(stores.id, storeId));
    return;
  }
  await db
    .update(stores)
    .set({
      pollFailures: sql`${stores.pollFailures} + 1`,
      lastPollAt: sql`now()`,
      lastPollError: result.error.slice(0, 500),
      updatedAt: sql`now()`,
    })
    .where(eq(stores.id, storeId));
}
