/**
 * A bulk query over 10,000 products with their variants and inventory levels, streamed through
 * lib/shopify. The emulator runs in its own process so the peak RSS measured here is the client's.
 * Run: npx tsx bench/shopify-bulk-stream.bench.ts [--products 10000]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createShopifyClient } from '../lib/shopify';
import { emulatorArgs } from './harness';
import { writeReport } from './report';

const PRODUCTS = Number(process.argv[process.argv.indexOf('--products') + 1]) || 10_000;
const TOKEN = 'bench-bulk-token';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForEmulator(url: string, child: ReturnType<typeof spawn>): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`emulator exited with ${child.exitCode}`);
    const ok = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': TOKEN },
      body: '{"query":"{ shop { id } }"}',
    })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('emulator did not start in time');
}

async function main() {
  const port = await freePort();
  const child = spawn('npx', ['tsx', ...emulatorArgs(port, PRODUCTS, TOKEN)], {
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const adminUrl = `http://127.0.0.1:${port}/admin/api/2026-10/graphql.json`;
  try {
    await waitForEmulator(adminUrl, child);
    const client = createShopifyClient({ shopDomain: 'bench.myshopify.com', accessToken: TOKEN, adminUrl });
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    let products = 0;
    let variants = 0;
    let levels = 0;
    const started = Date.now();
    let firstProductAt = 0;
    for await (const product of client.streamBulkCatalog({ pollIntervalMs: 200 })) {
      if (products === 0) firstProductAt = Date.now();
      products += 1;
      variants += product.variants.length;
      for (const v of product.variants) levels += v.inventoryLevels.length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    const mb = (bytes: number) => bytes / 1024 / 1024;
    writeReport('shopify-bulk-stream', [
      { name: 'products streamed', value: products, unit: 'products', target: PRODUCTS, better: 'higher' },
      { name: 'variants streamed', value: variants, unit: 'variants' },
      { name: 'inventory levels streamed', value: levels, unit: 'levels' },
      {
        name: 'bulk query + stream time',
        value: seconds,
        unit: 's',
        note: `first product after ${((firstProductAt - started) / 1000).toFixed(1)} s (operation run + polls)`,
      },
      { name: 'client RSS before the stream', value: mb(baseline), unit: 'MB' },
      {
        name: 'client peak RSS while streaming',
        value: mb(peak),
        unit: 'MB',
        target: 300,
        better: 'lower',
        note: 'bounded: one product held at a time',
      },
      { name: 'peak RSS growth over baseline', value: mb(peak - baseline), unit: 'MB' },
    ]);
  } finally {
    // npx -> tsx -> node: end the whole group this script started.
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
