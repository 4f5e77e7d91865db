import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../server/db/client';
import { openDatabase } from '../../server/db/client';
import { applyMigrations } from '../../server/db/migrate';
import { type AppProcess, type StartAppOptions, startAppProcess } from './app-process';
import { createTestDatabase, testDatabaseUrl } from './pg';

export interface SeededApp {
  app: AppProcess;
  stop(): Promise<void>;
}

/**
 * Seeds a database directly (fast: no pull), then starts the real server on it. Real Postgres
 * when TEST_DATABASE_URL is set, else PGlite in a temporary directory the server opens after us.
 */
export async function startSeededApp(seed: (db: Db) => Promise<void>, options: Omit<StartAppOptions, 'reuse'> = {}): Promise<SeededApp> {
  let reuse: { DATABASE_URL?: string; DATA_DIR?: string };
  let cleanup: () => Promise<void>;
  if (testDatabaseUrl()) {
    const testDb = await createTestDatabase();
    await seed(testDb.database.db);
    await testDb.database.close();
    reuse = { DATABASE_URL: testDb.url! };
    cleanup = () => testDb.drop().catch(() => {});
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'csd-seeded-'));
    const database = await openDatabase({ dataDir: path.join(dir, 'pglite') });
    await applyMigrations(database);
    await seed(database.db);
    await database.close();
    reuse = { DATA_DIR: dir };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const app = await startAppProcess({ ...options, reuse });
  return {
    app,
    async stop() {
      await app.stop();
      await cleanup();
    },
  };
}
