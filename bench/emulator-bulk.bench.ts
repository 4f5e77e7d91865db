import { createShopifyClient } from '../lib/shopify';
import { generateCatalog } from '../server/emulator/generator';
import { startEmulator } from '../server/emulator/index';
import { ShopState } from '../server/emulator/state';
import { type Figure, writeReport } from './report';

/**
 * Emulator figures: catalog generation at 1k / 50k / 100k products, and a bulk export of 50,000
 * products with their variants (start → COMPLETED → JSONL fully downloaded). That query is a small
 * one; the app's own catalog query (lib/shopify: every synced field, inventory at each location,
 * collection ids) is timed too, through the client as a pull reads it (download and parse
 * included), so this figure compares with the pull bench's "bound: bulk export".
 * Run: npx tsx bench/emulator-bulk.bench.ts
 */
const BULK_QUERY = /* GraphQL */ `{
  products {
    edges { node {
      id title handle vendor productType status tags updatedAt descriptionHtml
      variants { edges { node {
        id sku price compareAtPrice barcode inventoryPolicy taxable updatedAt
        inventoryItem { id tracked unitCost { amount } }
      } } }
    } }
  }
}`;

function timeGenerate(products: number): number {
  const started = performance.now();
  generateCatalog(new ShopState(), { products, seed: 1 });
  return performance.now() - started;
}

async function post(url: string, token: string, query: string, variables?: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data: any; errors?: unknown };
}

/** 200 concurrent raw queries on the standard plan: how many come back THROTTLED (HTTP 200). */
async function rawThrottleFigure(): Promise<Figure> {
  const emulator = await startEmulator({ products: 1_000, seed: 1, plan: 'standard' });
  try {
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        post(
          emulator.adminUrl,
          emulator.accessToken,
          `{ products(first: 25) { nodes { id title variants(first: 5) { nodes { id price } } } } }`,
        ),
      ),
    );
    const throttled = answers.filter((a) => JSON.stringify(a.errors ?? '').includes('THROTTLED')).length;
    return {
      name: '200 concurrent raw queries (standard plan): THROTTLED answers',
      value: throttled,
      unit: 'answers',
      note: `${200 - throttled} answered with data`,
    };
  } finally {
    await emulator.close();
  }
}

/** The app's catalog export as the pull runs it: bulk query, poll, download and parse into products. */
async function appCatalogFigure(adminUrl: string, accessToken: string): Promise<Figure> {
  const client = createShopifyClient({ shopDomain: 'bench.myshopify.com', accessToken, adminUrl });
  const started = performance.now();
  let products = 0;
  let variants = 0;
  for await (const batch of client.streamBulkCatalogBatches({ pollIntervalMs: 100, maxPollIntervalMs: 100 })) {
    products += batch.length;
    for (const p of batch) variants += p.variants.length;
  }
  return {
    name: "bulk export 50,000 products: the app's catalog query, downloaded and parsed",
    value: (performance.now() - started) / 1000,
    unit: 's',
    note: `${products} products, ${variants} variants (lib/shopify streamBulkCatalogBatches)`,
  };
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  figures.push({ name: 'generate 1,000 products', value: timeGenerate(1_000), unit: 'ms', target: 1000, better: 'lower' });
  figures.push({ name: 'generate 50,000 products', value: timeGenerate(50_000), unit: 'ms' });
  figures.push({ name: 'generate 100,000 products', value: timeGenerate(100_000), unit: 'ms' });

  figures.push(await rawThrottleFigure());

  const emulator = await startEmulator({ products: 50_000, seed: 1, plan: 'plus' });
  try {
    const variants = emulator.state.variants.size;
    const started = performance.now();
    const run = await post(
      emulator.adminUrl,
      emulator.accessToken,
      `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id } userErrors { message } } }`,
      { q: BULK_QUERY },
    );
    const id = run.data.bulkOperationRunQuery.bulkOperation.id as string;
    let op: { status: string; url: string | null; objectCount: string };
    for (;;) {
      const poll = await post(
        emulator.adminUrl,
        emulator.accessToken,
        `query($id: ID!) { bulkOperation(id: $id) { status url objectCount } }`,
        { id },
      );
      op = poll.data.bulkOperation;
      if (op.status !== 'RUNNING' && op.status !== 'CREATED') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const completed = performance.now() - started;
    const file = await fetch(op.url!);
    let bytes = 0;
    const reader = file.body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.length;
    const downloaded = performance.now() - started;
    figures.push({
      name: `bulk export 50,000 products + ${variants} variants: completed`,
      value: completed / 1000,
      unit: 's',
      target: 10,
      better: 'lower',
      note: `${op.objectCount} lines, status ${op.status}`,
    });
    figures.push({
      name: 'bulk export 50,000 products: completed + downloaded',
      value: downloaded / 1000,
      unit: 's',
      target: 10,
      better: 'lower',
      note: `${(bytes / 1e6).toFixed(1)} MB`,
    });
    figures.push(await appCatalogFigure(emulator.adminUrl, emulator.accessToken));
  } finally {
    await emulator.close();
  }
  writeReport('emulator-bulk', figures);
}

void main();
