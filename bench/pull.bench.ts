import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Store, stores } from '../drizzle/schema';
import { parseConfig } from '../lib/env';
import { queryOne } from '../server/db/rows';
import { createShopifyReader } from '../server/ingest/pull/shopify-reader';
import { createLogger } from '../server/logger';
import { startRuntime } from '../server/runtime';
import { createServices } from '../server/services';
import { emulatorArgs, freshDatabase, runBench } from './harness';
import { type Figure, writeReport } from './report';

/**
 * Full pull + staging of a large catalog from the emulator (its own process, over HTTP, through
 * lib/shopify's bulk query) into real Postgres. Prints wall time, peak RSS of this process (the
 * app side) and rows per second, for the first pull (adopt) and a second one (classify, nothing
 * changed). Database: BENCH_DATABASE_URL's server (a database csd_bench_pull is recreated there),
 * default postgres://postgres@127.0.0.1:5432.
 */
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 50_000);
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = process.env.BENCH_DB_NAME ?? 'csd_bench_pull';
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

async function startEmulatorProcess(port: number, depth: 'full' | 'basic' = 'full'): Promise<ChildProcess> {
  // node itself (tsx as a loader), so that killing the child stops the emulator, not a wrapper.
  const args = emulatorArgs(port, PRODUCTS, TOKEN, ['--webhook-secret', SECRET, '--depth', depth]);
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
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

async function main() {
  const figures = await fullCatalogFigures();
  // The same catalog without metafields and images, in its own emulator and database: what depth costs the first pull.
  const basic = await firstPullSeconds('basic');
  const first = figures.find((f) => f.name === 'first full pull (adopt) wall time')!;
  figures.push({
    name: 'first full pull with metafields and media vs without',
    value: first.value,
    unit: 's',
    better: 'lower',
    ratioTarget: 1.5,
    bound: { value: basic.seconds, what: 'first full pull of the same catalog without metafields and media', measured: true },
    note: `${basic.rowsRead} rows without, ${first.note}`,
  });
  writeReport('pull', figures, { database: 'postgres' });
}

/** One first full pull (adopt) of the seeded catalog at `depth` into a fresh database. */
async function firstPullSeconds(depth: 'basic'): Promise<{ seconds: number; rowsRead: number }> {
  const port = await freePort();
  process.stdout.write(`starting the emulator with ${PRODUCTS} products at depth ${depth}...\n`);
  const emulator = await startEmulatorProcess(port, depth);
  const databaseUrl = await freshDatabase(SERVER, `${DB_NAME}_${depth}`);
  const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', DEV_AUTH: 'true' });
  const runtime = await startRuntime(config, { queue: false, logger: createLogger('warn') });
  try {
    const store = await insertStore(runtime, port);
    const { pull } = createServices(runtime);
    const started = performance.now();
    const outcome = await (await pull.start(store.id, 'full', 'bench')).done;
    if (!outcome) throw new Error(`the ${depth} pull failed`);
    return { seconds: (performance.now() - started) / 1000, rowsRead: outcome.rowsRead };
  } finally {
    await runtime.stop();
    emulator.kill('SIGTERM');
  }
}

async function insertStore(runtime: Awaited<ReturnType<typeof startRuntime>>, port: number): Promise<Store> {
  const [store] = await runtime.db
    .insert(stores)
    .values({
      shopDomain: 'bench-pull.myshopify.com',
      name: 'bench-pull',
      accessToken: TOKEN,
      adminUrl: `http://127.0.0.1:${port}`,
      webhookSecret: SECRET,
      source: 'demo',
    })
    .returning();
  return store!;
}

async function fullCatalogFigures(): Promise<Figure[]> {
  const port = await freePort();
  process.stdout.write(`starting the emulator with ${PRODUCTS} products...\n`);
  const emulator = await startEmulatorProcess(port);
  process.on('exit', () => emulator.kill('SIGTERM'));
  const databaseUrl = await freshDatabase(SERVER, DB_NAME);
  const config = parseConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', DEV_AUTH: 'true' });
  const runtime = await startRuntime(config, { queue: false, logger: createLogger('warn') });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const store = await insertStore(runtime, port);
    const { pull, shopify } = createServices(runtime);
    const figures: Figure[] = [];
    const outcomes = [];
    for (const label of ['first', 'second'] as const) {
      peak = process.memoryUsage().rss;
      const started = performance.now();
      const { done } = await pull.start(store.id, 'full', 'bench');
      const outcome = await done;
      const seconds = (performance.now() - started) / 1000;
      if (!outcome) throw new Error(`${label} pull failed`);
      outcomes.push({ label, seconds, outcome, peak });
    }
    // The bound, measured in the same run: the same export read again (bulk query, download, parse,
    // no writes), and COPY of the same rows into a copy of the table (its indexes included).
    const exportSeconds = await timeExport(runtime.db, store, shopify.for(store).client('pull'));
    const { seconds: copySeconds, rows: copiedRows } = await timeCopy(databaseUrl, store.id);
    const variants = await queryOne<{ n: number }>(
      runtime.db,
      sql`select count(*)::int as n from catalog_entities where store_id = ${store.id} and entity = 'variant'`,
    );
    for (const { label, seconds, outcome, peak: rss } of outcomes) {
      const first = label === 'first';
      figures.push(
        {
          name: first ? 'first full pull (adopt) wall time' : 're-pull, nothing changed, wall time',
          value: seconds,
          unit: 's',
          target: first ? 12 : 8,
          better: 'lower',
          ...(first
            ? { ratioTarget: 2, bound: { value: exportSeconds + copySeconds, what: 'bulk export + COPY of the same rows', measured: true } }
            : { bound: { value: exportSeconds, what: 'bulk export (the compare not counted)', measured: true } }),
          note: `${outcome.productsRead} products, ${variants?.n} variants, ${outcome.rowsRead} rows, ${outcome.staged.changeIds.length} staged`,
        },
        { name: `${label} full pull peak RSS`, value: rss / 1024 / 1024, unit: 'MB', target: 512, better: 'lower' },
        { name: `${label} full pull rows per second`, value: outcome.rowsRead / seconds, unit: 'rows/s' },
        {
          name: `${label} full pull: until the first bulk records`,
          value: (outcome.timings.firstBatchMs ?? 0) / 1000,
          unit: 's',
          note: 'the bulk queries running in the emulator',
        },
        { name: `${label} full pull: read and write`, value: outcome.timings.readMs / 1000, unit: 's' },
        { name: `${label} full pull: classify and stage`, value: outcome.timings.stageMs / 1000, unit: 's' },
      );
    }
    figures.push(
      { name: 'bound: bulk export of the same catalog', value: exportSeconds, unit: 's', note: 'bulk query + download + parse, no writes' },
      { name: 'bound: COPY of the same rows', value: copySeconds, unit: 's', note: `${copiedRows} rows into a copy of catalog_entities` },
    );
    return figures;
  } finally {
    clearInterval(sampler);
    await runtime.stop();
    emulator.kill('SIGTERM');
  }
}

async function timeExport(db: Parameters<typeof createShopifyReader>[0], store: Store, client: Parameters<typeof createShopifyReader>[2]) {
  const reader = createShopifyReader(db, store, client);
  const started = performance.now();
  let rows = 0;
  for await (const batch of reader.fullCatalog(new AbortController().signal)) rows += batch.length;
  if (rows === 0) throw new Error('the export read nothing');
  return (performance.now() - started) / 1000;
}

/** COPY of the store's rows (as the pull wrote them) into a fresh copy of the table, streamed from a COPY TO. */
async function timeCopy(url: string, storeId: string): Promise<{ seconds: number; rows: number }> {
  // One client per side: the COPY TO and COPY FROM connections never wait on each other's pool.
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const from = postgres(url, { max: 1, onnotice: () => {} });
  const into = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe('drop table if exists bench_copy');
    await admin.unsafe('create table bench_copy (like catalog_entities including all)');
    const columns = 'store_id, entity, key, product_key, local, base, remote, meta, remote_updated_at, remote_seen_at, seen_generation';
    const started = performance.now();
    const source = await from.unsafe(`copy (select ${columns} from catalog_entities where store_id = '${storeId}') to stdout`).readable();
    const target = await into.unsafe(`copy bench_copy (${columns}) from stdin`).writable();
    await pipeline(source, target);
    const seconds = (performance.now() - started) / 1000;
    const [row] = await admin`select count(*)::int as n from bench_copy`;
    return { seconds, rows: row!.n as number };
  } finally {
    await Promise.all([from.end({ timeout: 5 }), into.end({ timeout: 5 })]);
    await admin.unsafe('drop table if exists bench_copy').catch(() => {});
    await admin.end({ timeout: 5 });
  }
}

runBench(main);
