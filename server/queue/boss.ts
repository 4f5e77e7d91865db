import PgBoss from 'pg-boss';
import type { Database, Executor } from '../db/client';
import { positionalSql, queryRows } from '../db/rows';
import type { Logger } from '../logger';

export type { PgBoss };

/** pg-boss's `db` option: run one statement (or a script, without values) and answer {rows}. */
interface BossDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * pg-boss on PGlite: every statement goes through the one embedded connection.
 * Scripts without parameters may hold several statements (its schema creation does).
 */
function pgliteAdapter(database: Database): BossDb {
  const pglite = database.pglite!;
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return pglite.query(text, values as unknown[]);
      const results = await pglite.exec(text);
      return results[results.length - 1] ?? { rows: [] };
    },
  };
}

/** Lets a pg-boss call (send, insert) join a caller's drizzle transaction on either driver. */
export function transactionAdapter(tx: Executor): BossDb {
  return {
    async executeSql(text, values) {
      return { rows: await queryRows(tx, positionalSql(text, values ?? [])) };
    },
  };
}

export interface QueueOptions {
  /** Run maintenance and cron scheduling in this process (one per deployment is enough, more is safe). */
  supervise?: boolean;
}

export async function startQueue(database: Database, logger: Logger, options: QueueOptions = {}): Promise<PgBoss> {
  const common = {
    schema: 'pgboss',
    supervise: options.supervise ?? true,
    schedule: options.supervise ?? true,
    migrate: true,
    // Jobs that finished are kept a week for diagnosis, then removed by maintenance.
    deleteAfterDays: 7,
    monitorStateIntervalSeconds: 30,
  };
  const boss =
    database.kind === 'postgres'
      ? new PgBoss({ connectionString: database.url!, max: 5, application_name: 'catalog-sync-desk-queue', ...common })
      : new PgBoss({ db: pgliteAdapter(database), ...common });
  boss.on('error', (err) => logger.error({ err }, 'queue error'));
  await boss.start();
  return boss;
}
