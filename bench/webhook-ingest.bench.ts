import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stores } from '../drizzle/schema';
import { openDatabase } from '../server/db/client';
import { applyMigrations } from '../server/db/migrate';
import { startAppProcess } from '../tests/helpers/app-process';
import { runBench } from './harness';
import { percentile, writeReport } from './report';

/**
 * Webhook ingest: signed Shopify deliveries sent open-loop at 1,000 per second for a few seconds
 * on loopback to a real app process's POST /api/webhooks/shopify. Counts answers by status and
 * reports p99 latency (send to full answer). Signed deliveries are never refused for rate, so the
 * figure measures ingest.
 * Database: BENCH_DATABASE_URL (an empty Postgres database) or an embedded PGlite folder.
 */
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SHOP = 'bench-ingest.myshopify.com';
const SECRET = `bench-webhook-secret-${randomUUID()}`;

function delivery(i: number): { body: string; headers: Record<string, string> } {
  const id = 7_000_000 + (i % 500);
  const body = JSON.stringify({
    id,
    admin_graphql_api_id: `gid://shopify/Product/${id}`,
    title: `Bench product ${id} v${i}`,
    handle: `bench-product-${id}`,
    vendor: 'Bench',
    product_type: 'Bench',
    status: 'active',
    tags: 'bench, ingest',
    body_html: '<p>bench</p>',
    updated_at: new Date().toISOString(),
    variants: [
      {
        id: id * 10,
        admin_graphql_api_id: `gid://shopify/ProductVariant/${id * 10}`,
        product_id: id,
        sku: `B-${id}`,
        price: '10.00',
        inventory_item_id: id * 100,
      },
    ],
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'products/update',
      'x-shopify-shop-domain': SHOP,
      'x-shopify-api-version': '2026-10',
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-event-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString(),
      'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
    },
  };
}

async function prepareDatabase(): Promise<{ env: Record<string, string>; cleanup: () => void; kind: string }> {
  const url = process.env.BENCH_DATABASE_URL;
  const dir = url ? undefined : mkdtempSync(path.join(tmpdir(), 'csd-bench-ingest-'));
  const database = await openDatabase(url ? { url } : { dataDir: path.join(dir!, 'pglite') });
  try {
    await applyMigrations(database);
    await database.db
      .insert(stores)
      .values({
        shopDomain: SHOP,
        name: 'bench-ingest',
        accessToken: 'bench-token',
        webhookSecret: SECRET,
        source: 'env',
        settings: { pollIntervalMinutes: 0 },
      })
      .onConflictDoNothing();
  } finally {
    await database.close();
  }
  return {
    env: url ? { DATABASE_URL: url } : { DATA_DIR: dir! },
    cleanup: () => dir && rmSync(dir, { recursive: true, force: true }),
    kind: url ? 'postgres' : 'pglite',
  };
}

async function main() {
  const db = await prepareDatabase();
  const built = existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'));
  const app = await startAppProcess({
    reuse: db.env,
    mode: built ? 'production' : 'development',
    env: {
      SHOPIFY_SHOP: SHOP,
      SHOPIFY_ACCESS_TOKEN: 'bench-token',
      SHOPIFY_WEBHOOK_SECRET: SECRET,
      // Nothing listens here: the ingest path must not wait on Shopify.
      SHOPIFY_ADMIN_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'error',
    },
  });
  const endpoint = `${app.url.replace('localhost', '127.0.0.1')}/api/webhooks/shopify`;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  // Deliveries are signed before the clock starts: the sender's own work must not delay the sends it times.
  const prepared = new Map<number, ReturnType<typeof delivery>>();
  for (let i = -1200; i < RATE * SECONDS; i++) prepared.set(i, delivery(i));
  const send = (i: number) =>
    new Promise<{ status: number; ms: number }>((resolve) => {
      const { body, headers } = prepared.get(i) ?? delivery(i);
      const started = performance.now();
      const req = request(
        endpoint,
        { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
        },
      );
      req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
      req.end(body);
    });

  try {
    // Warm-up: compiles the route in development mode, fills the connection pool.
    for (let i = 0; i < 50; i++) await send(-1 - i);
    // The bound: the same server answering deliveries one at a time (no queue, no contention between them).
    const alone: number[] = [];
    for (let i = 0; i < 200; i++) alone.push((await send(-1000 - i)).ms);
    const aloneP99 = percentile(alone, 99);

    const total = RATE * SECONDS;
    const results: Array<Promise<{ status: number; ms: number }>> = [];
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      results.push(send(i));
    }
    const sendSeconds = (performance.now() - start) / 1000;
    const settled = await Promise.all(results);
    const drainSeconds = (performance.now() - start) / 1000;
    const byStatus = new Map<number, number>();
    for (const r of settled) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const accepted = settled.filter((r) => r.status >= 200 && r.status < 300).length;
    const latencies = settled.map((r) => r.ms);
    const statusNote = [...byStatus.entries()].map(([s, n]) => `${s === 0 ? 'network error' : s}: ${n}`).join(', ');
    writeReport(
      'webhook-ingest',
      [
        { name: 'deliveries sent', value: total, unit: 'deliveries', note: `${RATE}/s for ${SECONDS} s` },
        { name: 'accepted (2xx)', value: accepted, unit: 'deliveries', target: total, better: 'higher', note: statusNote },
        {
          name: 'offered rate',
          value: total / sendSeconds,
          unit: 'deliveries/s',
          target: RATE * 0.95,
          better: 'higher',
          note: 'how fast the bench sent',
        },
        {
          name: 'answered rate',
          value: total / drainSeconds,
          unit: 'deliveries/s',
          target: RATE * 0.95,
          better: 'higher',
          note: 'sent / time until the last answer',
        },
        { name: 'p50 latency', value: percentile(latencies, 50), unit: 'ms' },
        {
          name: 'p99 latency',
          value: percentile(latencies, 99),
          unit: 'ms',
          target: 50,
          better: 'lower',
          bound: { value: aloneP99, what: 'p99 of 200 deliveries sent one at a time to the same server', measured: true },
        },
      ],
      { database: db.kind },
    );
  } finally {
    agent.destroy();
    await app.stop();
    db.cleanup();
  }
}

runBench(main);
