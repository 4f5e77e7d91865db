import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as productRoute from '../../app/api/products/[id]/route';
import * as cancelRoute from '../../app/api/sync/schedules/[id]/cancel/route';
import * as schedulesRoute from '../../app/api/sync/schedules/route';
import * as pushRoute from '../../app/api/sync/shopify/push/route';
import * as approveRoute from '../../app/api/sync/staged/[id]/approve/route';
import * as windowRoute from '../../app/api/sync/staged/[id]/schedule/route';
import { batchItems, type CatalogEntity, catalogEntities, scheduledOperations, stagedChanges } from '../../drizzle/schema';
import { callRoute, demoToken } from '../helpers/api';
import { waitFor } from '../helpers/emulator';
import { type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * Issue 17, scheduled changes: a push at a time, and a change with a start and an end (applied as a
 * batch at the start, rolled back as a batch at the end, both sides, with the drift check), durable
 * through a restart and cancellable. Times are a few seconds ahead on the real clock.
 */
let env: PushEnv;
let admin: string;
let merch: string;
let variants: CatalogEntity[];

beforeAll(async () => {
  env = await startPushEnv({ products: 8, seed: 4 });
  admin = await demoToken('admin');
  merch = await demoToken('merchandiser');
  variants = await env.t.runtime.db
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'variant')))
    .orderBy(catalogEntities.key);
}, 120_000);
afterAll(() => env?.stop());

const db = () => env.t.runtime.db;
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

/** Edits a variant's price in the master: the outgoing change it stages. */
async function editPrice(v: CatalogEntity, price: string): Promise<string> {
  const res = await callRoute(productRoute.PATCH, {
    method: 'PATCH',
    params: { id: v.productKey! },
    token: merch,
    body: { variants: [{ id: v.key, price }] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.staged.find((c: { entityKey: string }) => c.entityKey === v.key).id;
}

const schedule = (id: string) =>
  db()
    .select()
    .from(scheduledOperations)
    .where(eq(scheduledOperations.id, id))
    .then((r) => r[0]!);
const settled = (id: string, timeoutMs = 30_000) =>
  waitFor(async () => {
    const row = await schedule(id);
    return row.status !== 'scheduled' && row.status !== 'running' ? row : undefined;
  }, timeoutMs);
const shopifyPrice = async (v: CatalogEntity) =>
  (await env.shopify.getProductsByIds([v.productKey!]))[0]!.variants.find((x) => x.id === v.key)!.price;
const masterPrice = async (v: CatalogEntity) =>
  (
    await db()
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.key, v.key)))
  )[0]!.local!.price;

describe('scheduled changes', () => {
  it('a schedule whose job was lost while no process ran it still runs once a process starts (the sweep)', async () => {
    const v = variants[0]!;
    const changeId = await editPrice(v, '41.00');
    await callRoute(approveRoute.POST, { method: 'POST', params: { id: changeId }, token: merch, body: {} });
    const res = await callRoute(schedulesRoute.POST, { method: 'POST', token: admin, body: { kind: 'push', runAt: inSeconds(1) } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // The process that scheduled it stops before it runs and its wake-up is lost with it.
    await db().execute(sql`delete from pgboss.job where name = 'schedule'`);
    await env.t.services.schedules.start();
    const row = await settled(res.body.id);
    expect(row.status, JSON.stringify(row.result)).toBe('done');
    expect((await env.waitForBatch(row.result!.batchId!)).counts).toMatchObject({ applied: 1 });
    expect(await shopifyPrice(v)).toBe('41.00');
  });

  it('a scheduled push runs at its time as a normal push batch', async () => {
    const v = variants[1]!;
    const changeId = await editPrice(v, '42.00');
    await callRoute(approveRoute.POST, { method: 'POST', params: { id: changeId }, token: merch, body: {} });
    const res = await callRoute(schedulesRoute.POST, {
      method: 'POST',
      token: admin,
      body: { kind: 'push', runAt: inSeconds(2), priority: 'high' },
    });
    expect(res.status).toBe(201);
    const row = await settled(res.body.id);
    expect(row.status, JSON.stringify(row.result)).toBe('done');
    const batch = await env.waitForBatch(row.result!.batchId!);
    expect(batch).toMatchObject({ kind: 'push', priority: 'high', priorityOverride: 'high' });
    expect(await shopifyPrice(v)).toBe('42.00');
  });

  it('a sale window applies at its start and reverts at its end, both sides; an ordinary push before the start leaves it', async () => {
    const v = variants[2]!;
    const regular = await shopifyPrice(v);
    const changeId = await editPrice(v, '19.00');
    const res = await callRoute(windowRoute.POST, {
      method: 'POST',
      params: { id: changeId },
      token: merch,
      body: { startAt: inSeconds(3), endAt: inSeconds(6) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // Approved with its window; an ordinary push now takes the other approved change and not this one.
    const other = await editPrice(variants[3]!, '43.00');
    await callRoute(approveRoute.POST, { method: 'POST', params: { id: other }, token: merch, body: {} });
    const push = await callRoute(pushRoute.POST, { token: admin, body: {} });
    expect(push.status, JSON.stringify(push.body)).toBe(202);
    await env.waitForBatch(push.body.batchId);
    const pushed = await db().select().from(batchItems).where(eq(batchItems.batchId, push.body.batchId));
    expect(pushed.map((i) => i.stagedChangeId)).toEqual([other]);
    expect((await db().select().from(stagedChanges).where(eq(stagedChanges.id, changeId)))[0]!.status).toBe('approved');
    expect(await shopifyPrice(v)).toBe(regular);

    // The product page names its product by the catalog row's id.
    const [productRow] = await db().select().from(catalogEntities).where(eq(catalogEntities.key, v.productKey!));
    const listed = await callRoute(schedulesRoute.GET, { token: merch, path: `/api/sync/schedules?productId=${productRow!.id}` });
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        kind: 'window',
        status: 'scheduled',
        end: expect.objectContaining({ status: 'scheduled' }),
        change: expect.objectContaining({ id: changeId, fields: [{ name: 'price', label: 'Price', from: regular, to: '19.00' }] }),
      }),
    ]);

    const start = await settled(res.body.start.id);
    expect(start.status, JSON.stringify(start.result)).toBe('done');
    expect((await env.waitForBatch(start.result!.batchId!)).counts).toMatchObject({ total: 1, applied: 1 });
    expect(await shopifyPrice(v)).toBe('19.00');
    expect(await masterPrice(v)).toBe('19.00');

    const end = await settled(res.body.end.id);
    expect(end.status, JSON.stringify(end.result)).toBe('done');
    const rollback = await env.waitForBatch(end.result!.batchId!);
    expect(rollback).toMatchObject({ kind: 'rollback', rollbackOf: start.result!.batchId });
    expect(rollback.counts).toMatchObject({ applied: 1, drifted: 0 });
    expect(await shopifyPrice(v)).toBe(regular);
    expect(await masterPrice(v)).toBe(regular);
    expect((await db().select().from(stagedChanges).where(eq(stagedChanges.id, changeId)))[0]!.status).toBe('rolled_back');
  });

  it('when Shopify no longer holds the sale price at the end, the revert leaves it (drifted) and the list says so', async () => {
    const v = variants[4]!;
    const changeId = await editPrice(v, '18.00');
    const res = await callRoute(windowRoute.POST, {
      method: 'POST',
      params: { id: changeId },
      token: merch,
      body: { startAt: inSeconds(2), endAt: inSeconds(30) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const start = await settled(res.body.start.id);
    await env.waitForBatch(start.result!.batchId!);
    // A merchant changes the price in Shopify's admin during the sale.
    await env.shopify.updateVariants(v.productKey!, [{ id: v.key, price: '17.50' }]);
    // The end comes now rather than in 30 s: its row is due, and its wake-up runs it.
    await db().update(scheduledOperations).set({ runAt: new Date() }).where(eq(scheduledOperations.id, res.body.end.id));
    await env.t.services.schedules.run(res.body.end.id);
    const end = await settled(res.body.end.id);
    const rollback = await env.waitForBatch(end.result!.batchId!);
    expect(rollback.counts).toMatchObject({ applied: 0, drifted: 1 });
    expect(await shopifyPrice(v)).toBe('17.50');
    const listed = await callRoute(schedulesRoute.GET, {
      token: merch,
      path: `/api/sync/schedules?productId=${encodeURIComponent(v.productKey!)}`,
    });
    expect(listed.body.items[0].end).toMatchObject({ status: 'done', batch: { kind: 'rollback', counts: { drifted: 1 } } });
  });

  it('a cancelled window never applies and its change is pending again; a push is only an admin’s to cancel', async () => {
    const v = variants[5]!;
    const regular = await shopifyPrice(v);
    const changeId = await editPrice(v, '16.00');
    const res = await callRoute(windowRoute.POST, {
      method: 'POST',
      params: { id: changeId },
      token: merch,
      body: { startAt: inSeconds(60), endAt: inSeconds(120) },
    });
    const cancel = await callRoute(cancelRoute.POST, { method: 'POST', params: { id: res.body.start.id }, token: merch, body: {} });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect((await schedule(res.body.end.id)).status).toBe('cancelled');
    expect((await db().select().from(stagedChanges).where(eq(stagedChanges.id, changeId)))[0]!.status).toBe('pending');
    // Its wake-up fires anyway (made due here): nothing runs.
    await db().update(scheduledOperations).set({ runAt: new Date() }).where(eq(scheduledOperations.id, res.body.start.id));
    await env.t.services.schedules.run(res.body.start.id);
    expect((await schedule(res.body.start.id)).status).toBe('cancelled');
    expect(await shopifyPrice(v)).toBe(regular);
    const again = await callRoute(cancelRoute.POST, { method: 'POST', params: { id: res.body.start.id }, token: merch, body: {} });
    expect(again.status).toBe(409);

    const push = await callRoute(schedulesRoute.POST, { method: 'POST', token: admin, body: { kind: 'push', runAt: inSeconds(60) } });
    const byMerch = await callRoute(cancelRoute.POST, { method: 'POST', params: { id: push.body.id }, token: merch, body: {} });
    expect(byMerch.status).toBe(403);
    const support = await callRoute(cancelRoute.POST, { method: 'POST', params: { id: push.body.id }, token: await demoToken('support') });
    expect(support.status).toBe(403);
    const byAdmin = await callRoute(cancelRoute.POST, { method: 'POST', params: { id: push.body.id }, token: admin, body: {} });
    expect(byAdmin.body).toMatchObject({ status: 'cancelled' });
  });

  it('refuses an end before the start, a start in the past, an unknown change and a change not going to Shopify', async () => {
    const changeId = await editPrice(variants[6]!, '15.00');
    const call = (id: string, body: unknown) => callRoute(windowRoute.POST, { method: 'POST', params: { id }, token: merch, body });
    const backwards = await call(changeId, { startAt: inSeconds(60), endAt: inSeconds(30) });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toMatch(/end must be after the start/);
    const past = await call(changeId, { startAt: inSeconds(-60) });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toMatch(/startAt must be in the future/);
    const noZone = await call(changeId, { startAt: '2030-01-01T00:00' });
    expect(noZone.status).toBe(400);
    const unknown = await call('00000000-0000-4000-8000-000000000001', { startAt: inSeconds(60) });
    expect(unknown.status).toBe(404);
    const pastPush = await callRoute(schedulesRoute.POST, { method: 'POST', token: admin, body: { kind: 'push', runAt: inSeconds(-1) } });
    expect(pastPush.status).toBe(400);
    // Nothing was approved or scheduled by the refusals.
    expect((await db().select().from(stagedChanges).where(eq(stagedChanges.id, changeId)))[0]!.status).toBe('pending');
    const [incoming] = await db()
      .insert(stagedChanges)
      .values({ storeId: env.store.id, entity: 'variant', entityKey: variants[7]!.key, kind: 'incoming', fields: [], source: 'pull' })
      .returning();
    const notOutgoing = await call(incoming!.id, { startAt: inSeconds(60) });
    expect(notOutgoing.status).toBe(409);
  });
});
