import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { stores } from '../drizzle/schema';
import { parseConfig } from '../lib/env';
import { queryOne } from '../server/db/rows';
import { createLogger } from '../server/logger';
import { getPullService } from '../server/pull/service';
import { startRuntime } from '../server/runtime';
import { writeReport } from './report';

/**
 * Full pull + staging of a large catalog from the emulator (its own process, over HTTP, through
 * lib/shopify's bulk query) into real Postgres. Prints wall time, peak RSS of this process (the
 * app side) and rows per second, for the first pull (adopt) and a second one (classify, nothing
 * changed). Database: BENCH_DATABASE_URL's server (a database csd_bench_pull is recreated there),
 * default postgres://postgres@127.0.0.1:5432.
 */
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 50_000);
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = `bench-${randomUUID()}`;
const SECRET = `bench-secret-${randomUUID()}`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startEmulatorProcess(port: number): Promise<ChildProcess> {
  const child = spawn(
    'npx',
    ['tsx', 'scripts/emulator.ts', '--port', String(port), '--products', String(PRODUCTS), '--seed', '1', '--plan', 'plus', '--token', TOKEN, '--webhook-secret', SECRET],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  const until = Date.now() + 600_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/__emulator/state`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`emulator exited with ${child.exitCode}`);
    if (Date.now() > until) throw new Error('emulator did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function freshDatabase(): Promise<string> {
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe('drop database if exists csd_bench_pull with (force)');
    await admin.unsafe('create database csd_bench_pull');
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(SERVER);
  url.pathname = '/csd_bench_pull';
  return url.toString();
}

async function main() {
  const port = await freePort();
  process.stdout.write(`starting the emulator with ${PRODUCTS} products...\n`);
  const emulator = await startEmulatorProcess(port);
  const databaseUrl = await freshDatabase();
  const config = parseConfig({ NODE_ENV: 'production', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', DEV_AUTH: 'false' });
  const runtime = await startRuntime(config, { queue: false, logger: createLogger('warn') });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const [store] = await runtime.db
      .insert(stores)
      .values({ shopDomain: 'bench-pull.myshopify.com', name: 'bench-pull', accessToken: TOKEN, adminUrl: `http://127.0.0.1:${port}`, webhookSecret: SECRET, source: 'demo' })
      .returning();
    const pull = getPullService(runtime);
    const figures = [];
    for (const label of ['first (adopt)', 'second (no change)'] as const) {
      peak = process.memoryUsage().rss;
      const started = performance.now();
      const { done } = await pull.start(store!.id, 'full', 'bench');
      const outcome = await done;
      const seconds = (performance.now() - started) / 1000;
      if (!outcome) throw new Error(`${label} pull failed`);
      const variants = await queryOne<{ n: number }>(runtime.db, sql`select count(*)::int as n from catalog_entities where store_id = ${store!.id} and entity = 'variant'`);
      const tag = label.startsWith('first') ? 'first' : 'second';
      figures.push(
        { name: `${tag} full pull wall time`, value: seconds, unit: 's', target: 30, better: 'lower' as const, note: `${outcome.productsRead} products, ${variants?.n} variants, ${outcome.rowsRead} rows, ${outcome.staged.changeIds.length} staged` },
        { name: `${tag} full pull peak RSS`, value: peak / 1024 / 1024, unit: 'MB', target: 512, better: 'lower' as const },
        { name: `${tag} full pull rows per second`, value: outcome.rowsRead / seconds, unit: 'rows/s' },
      );
    }
    writeReport('pull', figures, { database: 'postgres' });
  } finally {
    clearInterval(sampler);
    await runtime.stop();
    emulator.kill('SIGTERM');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
