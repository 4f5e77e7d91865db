import { sql } from 'drizzle-orm';
import type { Executor } from './client';
import { execCount, queryOne } from './rows';

/**
 * One process works a store at a time, per kind of work: the holder of an unexpired row in
 * store_leases (pushes) or pull_leases (pulls and the poll). A crashed holder stops renewing, so
 * its lease lapses after `ttlMs` and another process takes over.
 */
export type LeaseKind = 'push' | 'pull';
const TABLES: Record<LeaseKind, string> = { push: 'store_leases', pull: 'pull_leases' };

export async function acquireLease(
  db: Executor,
  storeId: string,
  holder: string,
  ttlMs: number,
  kind: LeaseKind = 'push',
): Promise<boolean> {
  const table = sql.identifier(TABLES[kind]);
  const row = await queryOne<{ holder: string }>(
    db,
    sql`insert into ${table} (store_id, holder, expires_at, acquired_at)
        values (${storeId}, ${holder}, now() + ${`${ttlMs} milliseconds`}::interval, now())
        on conflict (store_id) do update set holder = excluded.holder, expires_at = excluded.expires_at, acquired_at = now()
        where ${table}.holder = excluded.holder or ${table}.expires_at < now()
        returning holder`,
  );
  return row?.holder === holder;
}

export async function renewLease(db: Executor, storeId: string, holder: string, ttlMs: number, kind: LeaseKind = 'push'): Promise<boolean> {
  const n = await execCount(
    db,
    sql`update ${sql.identifier(TABLES[kind])} set expires_at = now() + ${`${ttlMs} milliseconds`}::interval
        where store_id = ${storeId} and holder = ${holder}`,
  );
  return n > 0;
}

export async function releaseLease(db: Executor, storeId: string, holder: string, kind: LeaseKind = 'push'): Promise<void> {
  await db.execute(sql`delete from ${sql.identifier(TABLES[kind])} where store_id = ${storeId} and holder = ${holder}`);
}
