import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '../../drizzle/schema';
import { acquireDataDirLock, type DataDirLock } from './lock';

export type Schema = typeof schema;
/** One type for both drivers: every query in server/ is written against it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Functions that may run inside a caller's transaction take an Executor. */
export type Executor = Db | Tx;

export interface Database {
  kind: 'postgres' | 'pglite';
  db: Db;
  /** The raw client of the driver (postgres.js Sql or PGlite), for COPY and the queue adapter. */
  pglite?: PGlite;
  sql?: postgres.Sql;
  url?: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL, or undefined for PGlite. */
  url?: string;
  /** PGlite data directory; 'memory://' for an in-memory database. */
  dataDir?: string;
  /** Connections in the postgres.js pool. */
  max?: number;
  onnotice?: (notice: unknown) => void;
  /** Start an in-memory PGlite from a dump of another one (tests start from a migrated template). */
  loadDataDir?: Blob;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: options.onnotice ?? (() => {}),
      // Large catalogs stream through COPY and multi-row inserts; keep prepared statements on.
      prepare: true,
      connection: { application_name: 'catalog-sync-desk' },
    });
    const db = drizzlePostgres({ client, schema, casing: 'snake_case' }) as unknown as Db;
    return {
      kind: 'postgres',
      db,
      sql: client,
      url: options.url,
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = options.dataDir ?? 'memory://';
  let lock: DataDirLock | undefined;
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    lock = acquireDataDirLock(path.resolve(dataDir));
  }
  const pglite = dataDir.startsWith('memory://')
    ? new PGlite(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {})
    : new PGlite(path.resolve(dataDir));
  await pglite.waitReady;
  const db = drizzlePglite({ client: pglite, schema, casing: 'snake_case' }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    pglite,
    close: async () => {
      await pglite.close();
      lock?.release();
    },
  };
}
