import { createRequire } from 'node:module';
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

/**
 * pg-boss 10.4.2 (the last 10.x; 11 needs Node 22) settles a worker's jobs with `this.complete(...)`
 * and `this.fail(...)` without awaiting them (src/manager.js, `onFetch`): when the database is
 * unreachable at that moment (a Postgres restart mid-push), the rejection is unhandled and Node
 * ends the process. The job itself is safe: it stays active and is retried when it expires. Each
 * returned promise gets a handler that reports the failure as the manager's 'error' event (logged
 * by startQueue's listener); callers that await the promise still see the rejection.
 */
export function settleWithoutUnhandledRejections(): void {
  const Manager = createRequire(import.meta.url)('pg-boss/src/manager.js') as {
    prototype: Record<string, unknown> & { emit?(event: string, err: unknown): void };
  };
  for (const method of ['complete', 'fail'] as const) {
    const original = Manager.prototype[method] as ((...args: unknown[]) => Promise<unknown>) & { settled?: true };
    if (original.settled) continue;
    const guarded = function (this: { emit(event: string, err: unknown): void }, ...args: unknown[]) {
      const result = original.apply(this, args);
      result.catch((err: unknown) => this.emit('error', err));
      return result;
    };
    Manager.prototype[method] = Object.assign(guarded, { settled: true as const });
  }
}

export interface QueueOptions {
  /** Run maintenance and cron scheduling in this process (one per deployment is enough, more is safe). */
  supervise?: boolean;
}

export async function startQueue(database: Database, logger: Logger, options: QueueOptions = {}): Promise<PgBoss> {
  settleWithoutUnhandledRejections();
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
