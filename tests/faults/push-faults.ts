import * as productRoute from '../../app/api/products/[id]/route';
import * as productsRoute from '../../app/api/products/route';
import * as batchRoute from '../../app/api/sync/batches/[id]/route';
import * as pushRoute from '../../app/api/sync/shopify/push/route';
import * as bulkApproveRoute from '../../app/api/sync/staged/bulk-approve/route';
import * as metricsRoute from '../../app/metrics/route';
import { type Emulator, startEmulator } from '../../server/emulator';
import type { App } from '../../server/registry';
import { callRoute, demoToken } from '../helpers/api';

export async function startEmulatorForTest(opts: { products: number; seed?: number }): Promise<Emulator> {
  return startEmulator({
    port: 0,
    products: opts.products,
    seed: opts.seed ?? 7,
    accessToken: 'fault-token',
    webhookSecret: 'fault-secret',
  });
}

export async function until<T>(check: () => Promise<T | false | null | undefined>, what: string, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/** Pulls the store, edits the price of `count` variants locally, approves the staged changes. */
export async function stageApprovedPriceEdits({ runtime, services }: App, storeId: string, count: number): Promise<number> {
  const admin = await demoToken('admin');
  const { operation } = await services.pull.start(storeId, 'full', 'fault-test');
  await until(async () => {
    const op = await runtime.operations.get(operation.id);
    if (op.status === 'failed') throw new Error(`pull failed: ${op.error}`);
    return op.status === 'completed';
  }, 'the pull');
  const list = await callRoute(productsRoute.GET, { token: admin, path: `/api/products?storeId=${storeId}&limit=${count}` });
  if (list.status !== 200) throw new Error(`products: ${JSON.stringify(list.body)}`);
  let edited = 0;
  for (const p of list.body.items as Array<{ id: string; variants: Array<{ id: string; price: string }> }>) {
    const variant = p.variants[0]!;
    const res = await callRoute(productRoute.PATCH, {
      token: admin,
      method: 'PATCH',
      params: { id: p.id },
      body: { variants: [{ id: variant.id, price: (Number(variant.price) + 1).toFixed(2) }] },
    });
    if (res.status !== 200) throw new Error(`edit: ${JSON.stringify(res.body)}`);
    edited++;
  }
  const approved = await callRoute(bulkApproveRoute.POST, {
    token: admin,
    body: { filter: { storeId, status: 'pending', kind: 'outgoing' } },
  });
  if (approved.status !== 200) throw new Error(`approve: ${JSON.stringify(approved.body)}`);
  return edited;
}

export async function startPushBatch(storeId: string): Promise<{ batchId: string; operationId: string }> {
  const res = await callRoute(pushRoute.POST, { token: await demoToken('admin'), body: { storeId } });
  if (res.status !== 202) throw new Error(`push: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function batchOf(
  batchId: string,
): Promise<{ status: string; mode: string; counts: Record<string, number>; items?: Array<{ status: string }> }> {
  const res = await callRoute(batchRoute.GET, { token: await demoToken('support'), params: { id: batchId } });
  return res.body.batch ?? res.body;
}

export async function scrapeMetrics(token: string): Promise<Map<string, number>> {
  const res = await metricsRoute.GET(new Request('http://localhost/metrics', { headers: { authorization: `Bearer ${token}` } }));
  const values = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    values.set(
      line
        .slice(0, i)
        .replace(/,?app="catalog-sync-desk"/, '')
        .replace('{}', ''),
      Number(line.slice(i + 1)),
    );
  }
  return values;
}

/** Sum of every series of a metric whose labels match. */
export function sumOf(values: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const [key, v] of values) {
    if (!(key === name || key.startsWith(`${name}{`))) continue;
    if (Object.entries(labels).every(([k, val]) => key.includes(`${k}="${val}"`))) total += v;
  }
  return total;
}
