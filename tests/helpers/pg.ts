import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../server/db/client';
import { applyMigrations, MIGRATIONS_FOLDER } from '../../server/db/migrate';

/** Tests use real Postgres when TEST_DATABASE_URL (or DATABASE_URL) is set, PGlite otherwise. */
export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_FOLDER)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(readFileSync(path.join(MIGRATIONS_FOLDER, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

export async function ensureTemplateDatabase(url: string): Promise<string> {
  const name = `csd_template_${migrationsHash()}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_advisory_lock(727002)`;
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) {
      await admin.unsafe(`create database "${name}"`);
      const db = await openDatabase({ url: withDatabase(url, name), max: 2 });
      try {
        await applyMigrations(db);
      } finally {
        await db.close();
      }
    }
    await admin`select pg_advisory_unlock(727002)`;
  } finally {
    await admin.end({ timeout: 5 });
  }
  return name;
}

/**
 * PGlite's first open runs initdb (seconds). One migrated in-memory database is dumped per set of
 * migrations and kept in the temp folder; every test file starts from a copy of it.
 */
export async function ensurePgliteTemplate(): Promise<string> {
  const file = path.join(tmpdir(), `csd-pglite-template-${migrationsHash()}.tar`);
  if (existsSync(file)) return file;
  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    await applyMigrations(db);
    const dump = await db.pglite!.dumpDataDir('none');
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  } finally {
    await db.close();
  }
  return file;
}

export interface TestDatabase {
  database: Database;
  /** The postgres:// URL of this test's own database (undefined on PGlite). */
  url?: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file: a clone of the migrated template on Postgres,
 * or a fresh in-memory PGlite with the migrations applied.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = testDatabaseUrl();
  if (!url) {
    const template = process.env.CSD_PGLITE_TEMPLATE ?? (await ensurePgliteTemplate());
    const database = await openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([readFileSync(template)]) });
    return { database, drop: () => database.close() };
  }
  const template = process.env.CSD_TEMPLATE_DB ?? (await ensureTemplateDatabase(url));
  const name = `csd_t_${process.env.CSD_RUN_ID ?? 'adhoc'}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const ownUrl = withDatabase(url, name);
  const database = await openDatabase({ url: ownUrl, max: 10 });
  return {
    database,
    url: ownUrl,
    async drop() {
      await database.close();
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    },
  };
}
