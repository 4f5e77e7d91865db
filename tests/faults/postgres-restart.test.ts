import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/env';
import { queryRows } from '../../server/db/rows';
import { getHealth } from '../../server/health';
import { createLogger } from '../../server/logger';
import type { App } from '../../server/registry';
import { type Runtime, startRuntime } from '../../server/runtime';
import { createServices } from '../../server/services';
import { type OwnPostgres, postgresBinDir, startOwnPostgres } from '../helpers/own-postgres';

/**
 * Postgres restarted under a running process, on a server of the test's own: the process keeps
 * running, health reports the database down while it is and ok after, queries and the durable
 * queue reconnect by themselves, and jobs queued across the restart all complete exactly once.
 */
const QUEUE = 'fault-probe';
let pg: OwnPostgres;
let runtime: Runtime;
let app: App;
const done = new Map<number, number>();

beforeAll(async () => {
  pg = await startOwnPostgres();
  const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
  await admin`create database csd`;
  await admin.end();
  const url = pg.url.replace(/\/postgres$/, '/csd');
  const config = parseConfig({ NODE_ENV: 'test', DEV_AUTH: 'true', DATABASE_URL: url, LOG_LEVEL: 'silent' });
  runtime = await startRuntime(config, { logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  app = { runtime, services: createServices(runtime) };
  const boss = runtime.queue!;
  await boss.createQueue(QUEUE);
  await boss.work<{ n: number }>(QUEUE, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
    const handle = await runtime.operations.start({ kind: 'import', title: `probe ${job!.data.n}`, startedBy: 'fault-test' });
    await handle.complete({ n: job!.data.n });
    done.set(job!.data.n, (done.get(job!.data.n) ?? 0) + 1);
  });
}, 120_000);
afterAll(async () => {
  await runtime?.stop().catch(() => {});
  await pg?.destroy();
});

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!postgresBinDir())('Postgres restarted under a running process', () => {
  it('reports the outage, reconnects, and completes every job queued across it', async () => {
    const boss = runtime.queue!;
    for (let n = 0; n < 5; n++) await boss.send(QUEUE, { n }, { retryLimit: 10, retryDelay: 1 });
    await until(() => done.size === 5, 'the first jobs');
    expect((await getHealth(app)).database.reachable).toBe(true);

    await pg.stop();
    const during = await getHealth(app);
    expect(during.status).toBe('down');
    expect(during.database).toMatchObject({ reachable: false, error: 'database did not answer' });
    await new Promise((r) => setTimeout(r, 2000));
    await pg.start();

    await until(async () => (await getHealth(app)).database.reachable, 'health to see the database again');
    for (let n = 5; n < 10; n++) await boss.send(QUEUE, { n }, { retryLimit: 10, retryDelay: 1 });
    await until(() => done.size === 10, 'the jobs queued after the restart');

    await pg.crash();
    await pg.start();
    for (let n = 10; n < 15; n++)
      await until(async () => Boolean(await boss.send(QUEUE, { n }, { retryLimit: 10, retryDelay: 1 })), `send ${n}`);
    await until(() => done.size === 15, 'the jobs queued after a crash and recovery');

    expect([...done.values()].every((times) => times === 1)).toBe(true);
    const completed = await queryRows<{ n: number }>(
      runtime.db,
      sql`select count(*)::int as n from operations where started_by = 'fault-test' and status = 'completed'`,
    );
    const all = await queryRows<{ status: string; title: string; counts: unknown }>(
      runtime.db,
      sql`select status, title, counts from operations where started_by = 'fault-test'`,
    );
    expect(completed[0]!.n, JSON.stringify(all)).toBe(15);
    expect((await getHealth(app)).status).toBe('ok');
  });
});
