import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { ensurePgliteTemplate, ensureTemplateDatabase, testDatabaseUrl } from './pg';

/**
 * On real Postgres: migrate a template database once (every test file clones it) and, at the
 * end, drop every database this run created, including ones a restart test kept.
 */
export default async function setup() {
  const url = testDatabaseUrl();
  if (!url) {
    process.env.CSD_PGLITE_TEMPLATE = await ensurePgliteTemplate();
    return;
  }
  process.env.CSD_TEMPLATE_DB = await ensureTemplateDatabase(url);
  const runId = randomBytes(3).toString('hex');
  process.env.CSD_RUN_ID = runId;
  return async () => {
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const rows = await admin`select datname from pg_database where datname like ${`csd_t_${runId}_%`}`;
      for (const { datname } of rows) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    } finally {
      await admin.end({ timeout: 5 });
    }
  };
}
