import path from 'node:path';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Database } from './client';

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'drizzle', 'migrations');

/** An arbitrary constant: the advisory lock that serializes migrations across processes. */
const MIGRATION_LOCK_KEY = 727_001;

/**
 * Applies the committed drizzle-kit migrations. On Postgres several processes may start at
 * once, so the migration runs under a session advisory lock held by a dedicated connection.
 */
export async function applyMigrations(database: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase<Record<string, unknown>>, { migrationsFolder });
    return;
  }
  const lockClient = postgres(database.url!, { max: 1, onnotice: () => {} });
  const migrationClient = postgres(database.url!, { max: 1, onnotice: () => {} });
  try {
    await lockClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres({ client: migrationClient }), { migrationsFolder });
  } finally {
    await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
    await Promise.all([lockClient.end({ timeout: 5 }), migrationClient.end({ timeout: 5 })]);
  }
}
