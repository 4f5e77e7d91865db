import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { execCount, queryOne } from '../db/rows';

/**
 * One process pushes a store at a time: the holder of an unexpired row in store_leases.
 * A crashed holder stops renewing, so its lease lapses after `ttlMs` and another process takes over.
 */
export async function acquireLease(db: Executor, storeId: string, holder: string, ttlMs: number): Promise<boolean> {
  const row = await queryOne<{ holder: string }>(
    db,
    sql`insert into store_leases (store_id, holder, expires_at, acquired_at)
        values (${storeId}, ${holder}, now() + ${`${ttlMs} milliseconds`}::interval, now())
        on conflict (store_id) do update set holder = excluded.holder, expires_at = excluded.expires_at, acquired_at = now()
        where store_leases.holder = excluded.holder or store_leases.expires_at < now()
        returning holder`,
  );
  return row?.holder === holder;
}

export async function renewLease(db: Executor, storeId: string, holder: string, ttlMs: number): Promise<boolean> {
  const n = await execCount(
    db,
    sql`update store_leases set expires_at = now() + ${`${ttlMs} milliseconds`}::interval where store_id = ${storeId} and holder = ${holder}`,
  );
  return n > 0;
}

export async function releaseLease(db: Executor, storeId: string, holder: string): Promise<void> {
  await db.execute(sql`delete from store_leases where store_id = ${storeId} and holder = ${holder}`);
}
