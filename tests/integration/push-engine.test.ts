import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as batchCsvRoute from '../../app/api/sync/batches/[id]/items.csv/route';
import * as batchRoute from '../../app/api/sync/batches/[id]/route';
import * as batchesRoute from '../../app/api/sync/batches/route';
import * as metricsRoute from '../../app/api/sync/metrics/route';
import * as previewRoute from '../../app/api/sync/rollback/[batchId]/preview/route';
import * as rollbackRoute from '../../app/api/sync/rollback/[batchId]/route';
import * as pushRoute from '../../app/api/sync/shopify/push/route';
import * as bulkApproveRoute from '../../app/api/sync/staged/bulk-approve/route';
import { batchItems, catalogEntities, events, operations, stagedChanges } from '../../drizzle/schema';
import { createShopifyClient } from '../../lib/shopify';
import { entityKeys, fieldSpec, sameValue } from '../../lib/sync/fields';
import { callRoute, demoToken } from '../helpers/api';
import { waitFor } from '../helpers/emulator';
import { makeLocalEdits, type PlannedEdits } from '../helpers/push-changes';
import { catalogSnapshot, type PushEnv, startPushEnv } from '../helpers/push-env';
import { stageAll } from '../helpers/push-fixtures';

let env: PushEnv;
let admin: string;
let merch: string;
let support: string;
let plan: PlannedEdits;
let batchId: string;

beforeAll(async () => {
  env = await startPushEnv({ products: 300 });
  admin = await demoToken('admin');
  merch = await demoToken('merchandiser');
  support = await demoToken('support');
}, 120_000);
afterAll(() => env?.stop());

/** A merchant editing in Shopify's admin. */
const merchant = () =>
  createShopifyClient({ shopDomain: env.emulator.shopDomain, accessToken: env.emulator.merchantToken, adminUrl: env.emulator.adminUrl });

/** Shopify's current document per entity key, read through the project's client. */
async function shopifyDocs(productIds: string[]): Promise<Map<string, Record<string, unknown> | null>> {
  const out = new Map<string, Record<string, unknown> | null>();
  const all = await catalogSnapshot(env.shopify);
  for (const p of productIds.map((id) => all.get(id)).filter((x) => x !== undefined)) {
    out.set(p.id, { title: p.title });
    for (const v of p.variants) {
      out.set(v.id, { price: v.price });
      for (const l of v.inventoryLevels) out.set(l.key, { available: l.available });
    }
    for (const c of p.collectionIds) out.set(entityKeys.membership(c, p.id), { member: true });
  }
  return out;
}

describe('push engine on the emulator', () => {
  it('pushes 1,000 approved changes over 300 products exactly once, and the next pull stages nothing', async () => {
    plan = await makeLocalEdits(env.t.runtime.db, env.store.id, { titles: 100, prices: 400, inventory: 400, leaves: 50, joins: 50 });
    expect(plan.total).toBe(1000);
    const staged = await stageAll(env.t.runtime.db, env.store.id);
    expect(staged.filter((c) => c.status === 'pending')).toHaveLength(1000);
    const approved = await callRoute(bulkApproveRoute.POST, { method: 'POST', body: { filter: { kind: 'outgoing' } }, token: merch });
    expect(approved.body).toEqual({ count: 1000, skipped: [] });

    const res = await callRoute(pushRoute.POST, { method: 'POST', body: {}, token: admin });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toEqual({ batchId: expect.any(String), operationId: expect.any(String) });
    batchId = res.body.batchId;
    const batch = await env.waitForBatch(batchId, 120_000);
    expect(batch.status).toBe('completed');
    expect(batch.counts).toMatchObject({ total: 1000, applied: 1000, failed: 0, drifted: 0, dead: 0 });
    const [op] = await env.t.runtime.db.select().from(operations).where(eq(operations.id, res.body.operationId));
    expect(op).toMatchObject({ status: 'completed', kind: 'push', progressDone: 1000, progressTotal: 1000 });

    // Progress was streamed as operation events with rate and the product being written, then a completion with counts.
    // The operation's completion is published just after its batch settles: wait for it.
    const evs = await waitFor(async () => {
      const rows = await env.t.runtime.db.select().from(events).where(eq(events.operationId, res.body.operationId)).orderBy(events.seq);
      return rows.some((e) => e.type === 'operation_complete') ? rows : undefined;
    });
    const progress = evs.filter((e) => e.type === 'operation_progress').map((e) => e.data.progress as Record<string, unknown>);
    expect(progress.length).toBeGreaterThan(0);
    // Each names what it writes by its title (never a Shopify id) and the path the cost model chose; the last clears it.
    expect(progress.some((p) => typeof p.current === 'string' && p.current.length > 0)).toBe(true);
    expect(progress.filter((p) => String(p.current ?? '').startsWith('gid://'))).toEqual([]);
    expect(progress.at(-1)).toMatchObject({ total: 1000, rate: expect.any(Number), current: null, etaSeconds: 0, path: batch.mode });
    expect(op!.meta).toMatchObject({ path: batch.mode, estimate: { path: batch.mode, seconds: expect.any(Number) } });
    expect(evs.find((e) => e.type === 'operation_complete')?.data).toMatchObject({
      status: 'completed',
      counts: expect.objectContaining({ applied: 1000 }),
    });

    // The emulator holds every target.
    const touched = [...plan.titles, ...plan.prices, ...plan.inventory, ...plan.leaves];
    const productIds = [...new Set(touched.map((r) => r.productKey!).concat(plan.joins.map((j) => j.productKey)))];
    const docs = await shopifyDocs(productIds);
    for (const r of plan.titles) expect(docs.get(r.key)?.title).toBe(`${r.local!.title} (new)`);
    for (const r of plan.prices)
      expect(sameValue(fieldSpec('variant', 'price'), docs.get(r.key)?.price, (Number(r.local!.price) + 1).toFixed(2))).toBe(true);
    for (const r of plan.inventory) expect(docs.get(r.key)?.available).toBe(Number(r.local!.available) + 5);
    for (const r of plan.leaves) expect(docs.has(r.key)).toBe(false);
    for (const j of plan.joins) expect(docs.get(j.key)).toEqual({ member: true });

    // Each write once: one inventory write per product (its levels together), each with its own
    // idempotency key, and every level in exactly one of them.
    const log = env.emulator.mutationLog();
    const inventoryWrites = log.filter((m) => m.mutation === 'inventorySetQuantities');
    expect(inventoryWrites).toHaveLength(new Set(plan.inventory.map((r) => r.productKey)).size);
    expect(new Set(inventoryWrites.map((m) => m.idempotencyKey)).size).toBe(inventoryWrites.length);
    const levels = inventoryWrites.flatMap((m) =>
      (m.input as { quantities: Array<{ inventoryItemId: string; locationId: string }> }).quantities.map(
        (q) => `${q.inventoryItemId}|${q.locationId}`,
      ),
    );
    expect(levels.sort()).toEqual(plan.inventory.map((r) => r.key).sort());
    const variantWrites = log.filter((m) => m.mutation === 'productVariantsBulkUpdate');
    expect(variantWrites).toHaveLength(new Set(plan.prices.map((r) => r.productKey)).size);

    // Staged changes settled, base moved: the next pull stages nothing.
    const open = await env.t.runtime.db
      .select()
      .from(stagedChanges)
      .where(and(eq(stagedChanges.storeId, env.store.id), inArray(stagedChanges.status, ['pending', 'approved', 'queued', 'applying'])));
    expect(open).toHaveLength(0);
    const pulled = await env.pull();
    expect(pulled.staged.inserted).toBe(0);
    expect(pulled.staged.counts).toEqual({ incoming: 0, outgoing: 0, conflict: 0 });
  }, 180_000);

  it('lists the batch and its items with before, target, outcome, product title and entity label; CSV export', async () => {
    const list = await callRoute(batchesRoute.GET, { path: '/api/sync/batches?kind=push', token: support });
    expect(list.body.items.map((b: { id: string }) => b.id)).toContain(batchId);
    const detail = await callRoute(batchRoute.GET, {
      path: `/api/sync/batches/${batchId}?limit=1000`,
      params: { id: batchId },
      token: support,
    });
    expect(detail.status).toBe(200);
    expect(detail.body.items).toHaveLength(1000);
    const price = detail.body.items.find((i: { entity: string }) => i.entity === 'variant');
    expect(price).toMatchObject({
      status: 'applied',
      before: { price: expect.any(String) },
      target: { price: expect.any(String) },
      productTitle: expect.any(String),
      entityLabel: expect.stringMatching(/^Variant: /),
    });
    const csv = await callRoute(batchCsvRoute.GET, {
      path: `/api/sync/batches/${batchId}/items.csv?status=applied`,
      params: { id: batchId },
      token: support,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(String(csv.body).trim().split('\n')).toHaveLength(1001);
    const metrics = await callRoute(metricsRoute.GET, { token: support });
    expect(metrics.body.push).toMatchObject({ successRate: 1, deadLetters: 0 });
  });

  it('reports an item edited in Shopify between approval and push as drifted, and leaves it as Shopify has it', async () => {
    const [variant] = await env.t.runtime.db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.key, plan.prices[0]!.key)));
    await env.t.runtime.db
      .update(catalogEntities)
      .set({ local: { ...variant!.local, price: '777.00' } })
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.key, variant!.key)));
    await stageAll(env.t.runtime.db, env.store.id);
    await callRoute(bulkApproveRoute.POST, { method: 'POST', body: { filter: { productId: variant!.productKey! } }, token: merch });
    // A merchant edits the price in Shopify's admin before the push runs.
    await merchant().updateVariants(variant!.productKey!, [{ id: variant!.key, price: '555.00' }]);
    const res = await callRoute(pushRoute.POST, { method: 'POST', body: {}, token: admin });
    const batch = await env.waitForBatch(res.body.batchId);
    expect(batch.counts).toMatchObject({ total: 1, drifted: 1, applied: 0 });
    const [item] = await env.t.runtime.db.select().from(batchItems).where(eq(batchItems.batchId, batch.id));
    expect(item).toMatchObject({ status: 'drifted', observed: { price: '555.00' }, error: expect.stringMatching(/price/) });
    expect((await shopifyDocs([variant!.productKey!])).get(variant!.key)?.price).toBe('555.00');
    const [change] = await env.t.runtime.db.select().from(stagedChanges).where(eq(stagedChanges.id, item!.stagedChangeId!));
    expect(change!.status).toBe('drifted');
  });

  it('rolls a batch back: restores every before, skips what Shopify changed since with the reason, and records a rollback batch', async () => {
    const items = await env.t.runtime.db.select().from(batchItems).where(eq(batchItems.batchId, batchId));
    const skip = items.find((i) => i.entity === 'variant' && i.entityKey !== plan.prices[0]!.key)!;
    await merchant().updateVariants(skip.productKey!, [{ id: skip.entityKey, price: '999.00' }]);

    const preview = await callRoute(previewRoute.GET, {
      path: `/api/sync/rollback/${batchId}/preview`,
      params: { batchId },
      token: support,
    });
    expect(preview.status).toBe(200);
    // Two items moved in Shopify since the push: the one edited above, and the one the drift test edited.
    const edited = items.find((i) => i.entityKey === plan.prices[0]!.key)!;
    expect(preview.body.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ itemId: skip.id, reason: expect.stringMatching(/no longer holds/), observed: { price: '999.00' } }),
        expect.objectContaining({ itemId: edited.id, observed: { price: '555.00' } }),
      ]),
    );
    expect(preview.body.skipped).toHaveLength(2);
    expect(preview.body.restore).toHaveLength(998);

    expect((await callRoute(rollbackRoute.POST, { method: 'POST', params: { batchId }, body: {}, token: merch })).status).toBe(403);
    const res = await callRoute(rollbackRoute.POST, { method: 'POST', params: { batchId }, body: {}, token: support });
    expect(res.status).toBe(202);
    const rb = await env.waitForBatch(res.body.batchId, 120_000);
    expect(rb).toMatchObject({ kind: 'rollback', rollbackOf: batchId, status: 'completed', priority: 'high' });
    expect(rb.counts).toMatchObject({ total: 1000, applied: 998, drifted: 2 });
    const [skipped] = await env.t.runtime.db
      .select()
      .from(batchItems)
      .where(and(eq(batchItems.batchId, rb.id), eq(batchItems.sourceItemId, skip.id)));
    expect(skipped).toMatchObject({ status: 'drifted', observed: { price: '999.00' } });

    const docs = await shopifyDocs([...new Set(items.map((i) => i.productKey!))]);
    for (const i of items) {
      if (i.id === skip.id || i.id === edited.id) continue;
      if (i.entity === 'membership') expect(docs.has(i.entityKey)).toBe(i.op === 'delete');
      else
        for (const [name, value] of Object.entries(i.before ?? {}))
          expect(sameValue(fieldSpec(i.entity, name), docs.get(i.entityKey)?.[name], value)).toBe(true);
    }
    expect(docs.get(skip.entityKey)?.price).toBe('999.00');

    // A rollback can itself be rolled back, whole or chosen items: here the title items come back.
    const title = items.find((i) => i.entity === 'product')!;
    const rbItems = await env.t.runtime.db.select().from(batchItems).where(eq(batchItems.batchId, rb.id));
    const titleBack = rbItems.find((i) => i.sourceItemId === title.id)!;
    const chosen = [titleBack, ...rbItems.filter((i) => i.entity === 'product' && i !== titleBack).slice(0, 19)];
    const again = await callRoute(rollbackRoute.POST, {
      method: 'POST',
      params: { batchId: rb.id },
      body: { itemIds: chosen.map((i) => i.id) },
      token: admin,
    });
    expect(again.status).toBe(202);
    const rb2 = await env.waitForBatch(again.body.batchId, 120_000);
    expect(rb2.counts).toMatchObject({ total: 20, applied: 20 });
    expect((await shopifyDocs([title.productKey!])).get(title.entityKey)?.title).toBe(title.target!.title);
  }, 240_000);
});
