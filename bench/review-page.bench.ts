/**
 * The review page with 100,000 pending changes: time to the first row and frame timings while
 * scrolling 5,000 rows, in real Chromium against the production build. Seeded straight into the
 * database (PGlite by default, Postgres with TEST_DATABASE_URL). Run: npx tsx bench/review-page.bench.ts
 * Targets: first row within 1.5 s; frames under 50 ms on average while scrolling.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { launchBrowser, signInAs } from '../tests/helpers/browser';
import { createStore } from '../tests/helpers/push-fixtures';
import { startSeededApp } from '../tests/helpers/seeded-app';
import { writeReport } from './report';

const PENDING = Number(process.env.BENCH_PENDING ?? 100_000);
const SCROLL_ROWS = 5_000;
const ROW_HEIGHT = 52;

if (!existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'))) {
  console.log('no production build: running next build');
  execFileSync('npx', ['next', 'build'], { stdio: 'inherit' });
}

const seedStart = Date.now();
const seeded = await startSeededApp(async (db) => {
  const store = await createStore(db, { shopDomain: 'bench-review.myshopify.com' });
  const kinds = `(array['incoming','outgoing','conflict'])[1 + i % 3]`;
  await db.execute(
    sql.raw(`insert into staged_changes (store_id, entity, entity_key, product_key, kind, op, status, fields, source, title, search_text, vendor, product_type, updated_at)
      select '${store.id}', 'variant', 'gid://shopify/ProductVariant/' || i, 'gid://shopify/Product/' || (i / 3), ${kinds}, 'update', 'pending',
        jsonb_build_array(jsonb_build_object('name', 'price', 'base', '10.00', 'local', (10 + i % 7) || '.00', 'remote', (11 + i % 5) || '.00')),
        'pull', 'Bench product ' || i, 'bench product ' || i || ' sku-' || i, 'Vendor ' || (i % 20), 'Type ' || (i % 8), now() - (i || ' milliseconds')::interval
      from generate_series(1, ${PENDING}) as i`),
  );
});
console.log(`seeded ${PENDING.toLocaleString()} pending changes and started the app in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

const browser = await launchBrowser();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signInAs(page, seeded.app.url, 'merchandiser');
  // Warm run (compiles nothing in production, but fills the server's caches like a returning user).
  await page.waitForSelector('[data-testid="review-row"]', { timeout: 60_000 });

  const firstRows: number[] = [];
  for (let run = 0; run < 3; run++) {
    const started = Date.now();
    await page.goto(`${seeded.app.url}/review`);
    await page.waitForSelector('[data-testid="review-row"]', { timeout: 60_000 });
    firstRows.push(Date.now() - started);
  }
  firstRows.sort((a, b) => a - b);

  // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
  const frames = (await page.evaluate(`new Promise((resolve) => {
    const list = document.querySelector('[data-testid="review-list"]');
    const rowHeight = ${ROW_HEIGHT};
    const targetTop = ${SCROLL_ROWS} * rowHeight;
    const deltas = [];
    let last = performance.now();
    const started = last;
    function step(now) {
      deltas.push(now - last);
      last = now;
      list.scrollTop = Math.min(targetTop, list.scrollTop + 25 * rowHeight);
      if (list.scrollTop >= targetTop - rowHeight || now - started > 120000) resolve({ deltas, ms: now - started, reached: Math.round(list.scrollTop / rowHeight) });
      else requestAnimationFrame(step);
    }
    requestAnimationFrame(step);
  })`)) as { deltas: number[]; ms: number; reached: number };
  const sorted = [...frames.deltas].sort((a, b) => a - b);
  const avg = frames.deltas.reduce((s, d) => s + d, 0) / frames.deltas.length;
  const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
  const max = sorted[sorted.length - 1] ?? 0;
  const over50 = frames.deltas.filter((d) => d > 50).length;

  writeReport(
    'review-page',
    [
      {
        name: 'time to first row (median of 3 loads)',
        value: firstRows[1]!,
        unit: 'ms',
        target: 1500,
        better: 'lower',
        note: `${PENDING.toLocaleString()} pending changes`,
      },
      {
        name: 'average frame while scrolling',
        value: Math.round(avg * 10) / 10,
        unit: 'ms',
        target: 50,
        better: 'lower',
        note: `${frames.reached.toLocaleString()} rows scrolled in ${(frames.ms / 1000).toFixed(1)} s, ${frames.deltas.length} frames`,
      },
      { name: 'p95 frame while scrolling', value: Math.round(p95 * 10) / 10, unit: 'ms' },
      { name: 'longest frame while scrolling', value: Math.round(max * 10) / 10, unit: 'ms' },
      { name: 'frames over 50 ms', value: over50, unit: 'frames' },
    ],
    { database: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite' },
  );
} finally {
  await browser.close();
  await seeded.stop();
}
