import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as cancelRoute from '../../app/api/operations/[id]/cancel/route';
import * as pushRoute from '../../app/api/sync/shopify/push/route';
import * as approveRoute from '../../app/api/sync/staged/[id]/approve/route';
import * as bulkApproveRoute from '../../app/api/sync/staged/bulk-approve/route';
import { batches, batchItems, catalogEntities, stagedChanges, stores } from '../../drizzle/schema';
import { createShopifyClient } from '../../lib/shopify';
import { callRoute, demoToken } from '../helpers/api';
import { makeLocalEdits } from '../helpers/push-changes';
import { catalogSnapshot, type PushEnv, startPushEnv } from '../helpers/push-env';
import { stageAll } from '../helpers/push-fixtures';
import { PRODUCTS_LOAD_PAGE, productsLoadQuery } from '../helpers/shopify-reads';

let env: PushEnv;
let admin: string;
let merch: string;

beforeAll(async () => {
  env = await startPushEnv({ products: 150, maxAttempts: 8 });
  admin = await demoToken('admin');
  merch = await demoToken('merchandiser');
}, 120_000);
afterAll(() => env?.stop());

async function approveAllPending(filter: Record<string, string> = {}) {
  await stageAll(env.t.runtime.db, env.store.id);
  return callRoute(bulkApproveRoute.POST, { method: 'POST', body: { filter: { kind: 'outgoing', ...filter } }, token: merch });
}

describe('push priorities and faults', () => {
  it('a CRITICAL inventory change pushed after a running BATCH push is applied before that batch finishes', async () => {
    // One write per product (the store's setting forces the regular path) at 800 ms an answer, so the
    // BATCH push runs for tens of seconds: far longer than staging, approving and pushing one change
    // takes even on a loaded machine (at 100 ms it sometimes finished first there).
    env.emulator.setFaults({ latencyMs: 800 });
    await env.t.runtime.db
      .update(stores)
      .set({ settings: { bulkThreshold: 1_000_000 } })
      .where(eq(stores.id, env.store.id));
    await makeLocalEdits(env.t.runtime.db, env.store.id, { titles: 0, prices: 300, inventory: 0, leaves: 0, joins: 0 });
    await approveAllPending({ entity: 'variant' });
    const slow = await callRoute(pushRoute.POST, { method: 'POST', body: { priority: 'batch' }, token: admin });
    expect(slow.status).toBe(202);
    const [slowBatch] = await env.t.runtime.db.select().from(batches).where(eq(batches.id, slow.body.batchId));
    expect(slowBatch).toMatchObject({ priority: 'batch', priorityOverride: 'batch' });
    // Wait until the BATCH push is under way.
    for (;;) {
      const done = await env.t.runtime.db
        .select({ id: batchItems.id })
        .from(batchItems)
        .where(and(eq(batchItems.batchId, slowBatch!.id), eq(batchItems.status, 'applied')));
      if (done.length >= 5) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Stock to zero: CRITICAL.
    const [level] = await env.t.runtime.db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'inventory_level')));
    await env.t.runtime.db
      .update(catalogEntities)
      .set({ local: { available: 0 } })
      .where(
        and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'inventory_level'), eq(catalogEntities.key, level!.key)),
      );
    await stageAll(env.t.runtime.db, env.store.id);
    const [change] = await env.t.runtime.db
      .select()
      .from(stagedChanges)
      .where(and(eq(stagedChanges.entityKey, level!.key), eq(stagedChanges.status, 'pending')));
    await callRoute(approveRoute.POST, { method: 'POST', params: { id: change!.id }, body: {}, token: merch });
    const urgent = await callRoute(pushRoute.POST, { method: 'POST', body: {}, token: admin });
    const urgentBatch = await env.waitForBatch(urgent.body.batchId);
    expect(urgentBatch).toMatchObject({ priority: 'critical', status: 'completed', counts: expect.objectContaining({ applied: 1 }) });
    const [stillRunning] = await env.t.runtime.db.select().from(batches).where(eq(batches.id, slowBatch!.id));
    expect(stillRunning!.status).toBe('running');
    const finished = await env.waitForBatch(slowBatch!.id, 120_000);
    const notApplied = await env.t.runtime.db
      .select({ status: batchItems.status, error: batchItems.error })
      .from(batchItems)
      .where(and(eq(batchItems.batchId, finished.id), inArray(batchItems.status, ['failed', 'drifted', 'dead'])));
    expect(notApplied).toEqual([]);
    expect(finished.counts.applied).toBe(finished.counts.total);
    expect(finished.finishedAt!.getTime()).toBeGreaterThan(urgentBatch.finishedAt!.getTime());
    env.emulator.setFaults({ latencyMs: 0 });
    await env.t.runtime.db.update(stores).set({ settings: {} }).where(eq(stores.id, env.store.id));
  }, 180_000);

  it('cancel stops taking new items, lets in-flight ones finish, and returns the rest to approved', async () => {
    // Slow enough answers that the cancel (seen within a second) arrives with products still to write.
    env.emulator.setFaults({ latencyMs: 200 });
    await makeLocalEdits(env.t.runtime.db, env.store.id, { titles: 120, prices: 0, inventory: 0, leaves: 0, joins: 0 });
    await approveAllPending({ entity: 'product' });
    const res = await callRoute(pushRoute.POST, { method: 'POST', body: {}, token: admin });
    for (;;) {
      const done = await env.t.runtime.db
        .select({ id: batchItems.id })
        .from(batchItems)
        .where(and(eq(batchItems.batchId, res.body.batchId), eq(batchItems.status, 'applied')));
      if (done.length >= 3) break;
      await new Promise((r) => setTimeout(r, 30));
    }
    expect((await callRoute(cancelRoute.POST, { method: 'POST', params: { id: res.body.operationId }, token: merch })).status).toBe(403);
    expect((await callRoute(cancelRoute.POST, { method: 'POST', params: { id: res.body.operationId }, token: admin })).status).toBe(200);
    const batch = await env.waitForBatch(res.body.batchId);
    env.emulator.setFaults({ latencyMs: 0 });
    expect(batch.status).toBe('cancelled');
    expect(batch.counts.cancelled).toBeGreaterThan(0);
    expect(batch.counts.applied + batch.counts.cancelled).toBe(batch.counts.total);
    const items = await env.t.runtime.db.select().from(batchItems).where(eq(batchItems.batchId, batch.id));
    const cancelledChanges = items.filter((i) => i.status === 'cancelled').map((i) => i.stagedChangeId!);
    const changes = await env.t.runtime.db.select().from(stagedChanges).where(inArray(stagedChanges.id, cancelledChanges));
    expect(changes.every((c) => c.status === 'approved' && c.batchId === null)).toBe(true);
    // The next push takes them again.
    const next = await callRoute(pushRoute.POST, { method: 'POST', body: {}, token: admin });
    const again = await env.waitForBatch(next.body.batchId);
    expect(again.counts).toMatchObject({ total: cancelledChanges.length, applied: cancelledChanges.length });
  }, 120_000);

  it('under 5xx, timeouts and throttle storms every item ends applied or failed with a reason, none stays applying', async () => {
    env.emulator.setFaults({ errorRate: 0.1, timeoutRate: 0.05, timeoutMs: 1500 });
    const edits = await makeLocalEdits(env.t.runtime.db, env.store.id, { titles: 50, prices: 100, inventory: 150, leaves: 0, joins: 0 });
    await approveAllPending();
    // A second app on the same token drains the bucket: our client sees THROTTLED and must wait it out.
    const storm = createShopifyClient({
      shopDomain: env.emulator.shopDomain,
      accessToken: env.emulator.accessToken,
      adminUrl: env.emulator.adminUrl,
      maxRetries: 0,
    });
    let storming = true;
    const stormLoop = (async () => {
      while (storming) await storm.request(productsLoadQuery, { ...PRODUCTS_LOAD_PAGE, first: 8 }).catch(() => undefined);
    })();
    const res = await callRoute(pushRoute.POST, { method: 'POST', body: {}, token: admin });
    const batch = await env.waitForBatch(res.body.batchId, 170_000);
    storming = false;
    await stormLoop;
    env.emulator.setFaults({ errorRate: 0, timeoutRate: 0 });

    const items = await env.t.runtime.db.select().from(batchItems).where(eq(batchItems.batchId, batch.id));
    expect(items).toHaveLength(edits.total);
    expect(items.filter((i) => !['applied', 'failed', 'dead', 'drifted'].includes(i.status))).toEqual([]);
    for (const i of items.filter((x) => x.status !== 'applied')) expect(i.error).toBeTruthy();
    expect(items.filter((i) => /throttled/i.test(i.error ?? ''))).toEqual([]);
    expect(items.filter((i) => i.status === 'applied').length).toBeGreaterThan(edits.total * 0.9);
    const stuck = await env.t.runtime.db
      .select()
      .from(stagedChanges)
      .where(and(eq(stagedChanges.batchId, batch.id), inArray(stagedChanges.status, ['queued', 'applying'])));
    expect(stuck).toEqual([]);
    // Inventory: retried writes carried the same idempotency key; each applied quantity is the target exactly.
    const levels = items.filter((i) => i.entity === 'inventory_level' && i.status === 'applied');
    const snapshot = await catalogSnapshot(env.shopify);
    const products = [...new Set(levels.map((i) => i.productKey!))].map((id) => snapshot.get(id)!);
    const now = new Map(products.flatMap((p) => p.variants.flatMap((v) => v.inventoryLevels.map((l) => [l.key, l.available] as const))));
    for (const i of levels) expect(now.get(i.entityKey)).toBe(i.target!.available);
  }, 200_000);
});
