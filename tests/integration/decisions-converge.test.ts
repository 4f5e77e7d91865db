import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as productRoute from '../../app/api/products/[id]/route';
import * as rollbackRoute from '../../app/api/sync/rollback/[batchId]/route';
import * as pullRoute from '../../app/api/sync/shopify/pull/route';
import * as pushRoute from '../../app/api/sync/shopify/push/route';
import * as approveRoute from '../../app/api/sync/staged/[id]/approve/route';
import * as rejectRoute from '../../app/api/sync/staged/[id]/reject/route';
import * as stagedOneRoute from '../../app/api/sync/staged/[id]/route';
import * as bulkApproveRoute from '../../app/api/sync/staged/bulk-approve/route';
import * as bulkRejectRoute from '../../app/api/sync/staged/bulk-reject/route';
import * as stagedRoute from '../../app/api/sync/staged/route';
import { batches, batchItems, type CatalogEntity, catalogEntities, stagedChanges } from '../../drizzle/schema';
import type { ShopifyClient } from '../../lib/shopify';
import { fieldSpec, normalizeDecimal, sameValue } from '../../lib/sync/fields';
import { callRoute, demoToken } from '../helpers/api';
import { type PushEnv, startPushEnv } from '../helpers/push-env';
import { merchantClient } from '../helpers/staging';

/**
 * DESIGN.md "Every decision converges", through the HTTP routes against the emulator: whatever a
 * reviewer decides, after the push a pull stages nothing for the decided fields, and the diff a
 * reviewer rejected never comes back as a fresh pending change.
 */
let env: PushEnv;
let admin: string;
let merch: string;
let merchant: ShopifyClient;
let variants: CatalogEntity[];

beforeAll(async () => {
  env = await startPushEnv({ products: 12, seed: 3 });
  admin = await demoToken('admin');
  merch = await demoToken('merchandiser');
  merchant = merchantClient(env.emulator);
  variants = await env.t.runtime.db
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'variant')))
    .orderBy(catalogEntities.key);
  // The helper's first pull reads products only; the pull route also reads collections: adopt them first.
  await pull();
  const adopted = await callRoute(bulkApproveRoute.POST, { method: 'POST', body: { filter: { kind: 'incoming' } }, token: merch });
  expect(adopted.body.skipped).toEqual([]);
}, 120_000);
afterAll(() => env?.stop());

const bump = (price: unknown, by: number) => normalizeDecimal((Number(price) + by).toFixed(2))!;

/** A pull through its route, waited for: the counts of what it staged. */
async function pull(): Promise<Record<string, number>> {
  const res = await callRoute(pullRoute.POST, { token: admin, body: { mode: 'full' } });
  expect(res.status).toBe(202);
  await env.t.services.pull.idle();
  const op = await env.t.runtime.operations.get(res.body.operationId);
  expect(op.status, op.error ?? '').toBe('completed');
  return op.counts as Record<string, number>;
}

async function push(): Promise<void> {
  const res = await callRoute(pushRoute.POST, { token: admin, body: {} });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const batch = await env.waitForBatch(res.body.batchId);
  expect(batch.counts).toMatchObject({ failed: 0, drifted: 0, dead: 0 });
}

async function entity(key: string): Promise<CatalogEntity> {
  const [row] = await env.t.runtime.db
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.key, key)));
  return row!;
}

async function changesOf(key: string) {
  return env.t.runtime.db
    .select()
    .from(stagedChanges)
    .where(and(eq(stagedChanges.storeId, env.store.id), eq(stagedChanges.entityKey, key)))
    .orderBy(stagedChanges.createdAt);
}

const pendingOf = async (key: string) => (await changesOf(key)).filter((c) => c.status === 'pending');

async function shopifyPrice(v: CatalogEntity): Promise<string> {
  const [p] = await env.shopify.getProductsByIds([v.productKey!]);
  return p!.variants.find((x) => x.id === v.key)!.price;
}

const editPrice = (v: CatalogEntity, price: string) =>
  callRoute(productRoute.PATCH, {
    method: 'PATCH',
    params: { id: v.productKey! },
    token: merch,
    body: { variants: [{ id: v.key, price }] },
  });
const reject = (id: string, reason?: string) =>
  callRoute(rejectRoute.POST, { method: 'POST', params: { id }, body: reason ? { reason } : {}, token: merch });
const approve = (id: string, body: unknown = {}) => callRoute(approveRoute.POST, { method: 'POST', params: { id }, body, token: merch });
const getChange = (id: string) => callRoute(stagedOneRoute.GET, { params: { id }, token: merch });

describe('every decision converges', () => {
  it('reject outgoing: the master edit is discarded and recorded; a pull stages nothing, master equals Shopify', async () => {
    const v = variants[0]!;
    const shopify = await shopifyPrice(v);
    expect((await editPrice(v, bump(shopify, 5))).status).toBe(200);
    const [change] = await pendingOf(v.key);
    expect(change).toMatchObject({ kind: 'outgoing' });

    const res = await reject(change!.id, 'supplier price not confirmed');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'rejected', reason: 'supplier price not confirmed', batchId: expect.any(String) });
    expect((await entity(v.key)).local!.price).toBe(shopify);
    // The discard is a master write like any decision: an adopt batch whose item can be rolled back.
    const [item] = await env.t.runtime.db.select().from(batchItems).where(eq(batchItems.batchId, res.body.batchId));
    expect(item).toMatchObject({ side: 'master', status: 'applied', before: { price: bump(shopify, 5) }, target: { price: shopify } });

    const counts = await pull();
    expect(counts.staged).toBe(0);
    expect(await pendingOf(v.key)).toEqual([]);
    expect(sameValue(fieldSpec('variant', 'price'), (await entity(v.key)).local!.price, await shopifyPrice(v))).toBe(true);
    const detail = await getChange(change!.id);
    expect(detail.body).toMatchObject({ status: 'rejected', reason: 'supplier price not confirmed' });
  });

  it('reject incoming -> restore staged, marked and linked -> approve -> push -> pull stages 0, both sides equal', async () => {
    const v = variants[1]!;
    const master = (await entity(v.key)).local!.price as string;
    await merchant.updateVariants(v.productKey!, [{ id: v.key, price: bump(master, 3) }]);
    await pull();
    const [incoming] = await pendingOf(v.key);
    expect(incoming).toMatchObject({ kind: 'incoming' });

    const res = await reject(incoming!.id, 'the merchant typo');
    expect(res.status).toBe(200);
    expect(res.body.batchId).toBeNull();
    expect((await entity(v.key)).local!.price).toBe(master);
    const [restore] = await pendingOf(v.key);
    expect(restore).toMatchObject({ kind: 'outgoing', origin: 'restore_shopify', originChangeId: incoming!.id, source: 'review' });
    expect(restore!.fields).toEqual([expect.objectContaining({ name: 'price', local: master, remote: bump(master, 3) })]);
    // The list says what it is; the detail keeps the rejection and its reason in the history.
    const list = await callRoute(stagedRoute.GET, { path: '/api/sync/staged?kind=outgoing', token: merch });
    expect(list.body.items.find((c: { id: string }) => c.id === restore!.id)).toMatchObject({
      origin: 'restore_shopify',
      originChangeId: incoming!.id,
    });
    const detail = await getChange(restore!.id);
    expect(detail.body.history).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: incoming!.id, status: 'rejected', reason: 'the merchant typo' })]),
    );

    // The same diff is not staged again by the next pull: the restore stays the one pending change.
    const again = await pull();
    expect(again.staged).toBe(0);
    expect((await pendingOf(v.key)).map((c) => c.id)).toEqual([restore!.id]);

    expect((await approve(restore!.id)).body).toMatchObject({ status: 'approved' });
    await push();
    expect((await pull()).staged).toBe(0);
    expect(await pendingOf(v.key)).toEqual([]);
    expect(await shopifyPrice(v)).toBe(master);
    expect((await entity(v.key)).local!.price).toBe(master);
  });

  it("rejecting the restore adopts Shopify's value instead; nothing comes back", async () => {
    const v = variants[2]!;
    const master = (await entity(v.key)).local!.price as string;
    await merchant.updateVariants(v.productKey!, [{ id: v.key, price: bump(master, 7) }]);
    await pull();
    const [incoming] = await pendingOf(v.key);
    await reject(incoming!.id);
    const [restore] = await pendingOf(v.key);
    expect(restore).toMatchObject({ origin: 'restore_shopify' });
    expect((await reject(restore!.id, 'Shopify was right after all')).status).toBe(200);
    expect((await entity(v.key)).local!.price).toBe(bump(master, 7));
    expect((await pull()).staged).toBe(0);
    expect(await pendingOf(v.key)).toEqual([]);
  });

  it('a conflict is resolved, not rejected (409); resolved with a custom value it converges after the push', async () => {
    const v = variants[3]!;
    const master = (await entity(v.key)).local!.price as string;
    await editPrice(v, bump(master, 1));
    await merchant.updateVariants(v.productKey!, [{ id: v.key, price: bump(master, 2) }]);
    await pull();
    const [conflict] = await pendingOf(v.key);
    expect(conflict).toMatchObject({ kind: 'conflict' });
    const refused = await reject(conflict!.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'conflict:resolve_conflict',
      message: expect.stringMatching(/resolved, not rejected/),
    });
    expect((await pendingOf(v.key)).map((c) => c.id)).toEqual([conflict!.id]);
    const bulk = await callRoute(bulkRejectRoute.POST, { method: 'POST', body: { ids: [conflict!.id] }, token: merch });
    expect(bulk.body).toMatchObject({
      count: 0,
      skipped: [expect.objectContaining({ id: conflict!.id, code: 'conflict:resolve_conflict' })],
    });

    expect((await approve(conflict!.id, { resolution: { price: { value: bump(master, 4) } } })).status).toBe(200);
    await push();
    expect((await pull()).staged).toBe(0);
    expect(await shopifyPrice(v)).toBe(bump(master, 4));
  });

  it('one bulk approve of 7 incoming prices makes one adopt batch with 7 items', async () => {
    const chosen = variants.slice(4, 11);
    for (const v of chosen)
      await merchant.updateVariants(v.productKey!, [{ id: v.key, price: bump((await entity(v.key)).local!.price, 9) }]);
    await pull();
    const ids = (await Promise.all(chosen.map((v) => pendingOf(v.key)))).flat().map((c) => c.id);
    expect(ids).toHaveLength(7);
    const before = await env.t.runtime.db.select({ n: sql<number>`count(*)::int` }).from(batches).where(eq(batches.kind, 'adopt'));
    const res = await callRoute(bulkApproveRoute.POST, { method: 'POST', body: { ids }, token: merch });
    expect(res.body).toEqual({ count: 7, skipped: [] });
    const after = await env.t.runtime.db.select().from(batches).where(eq(batches.kind, 'adopt')).orderBy(batches.createdAt);
    expect(after.length - Number(before[0]!.n)).toBe(1);
    const batch = after.at(-1)!;
    expect(batch.counts).toMatchObject({ total: 7, applied: 7 });
    const items = await env.t.runtime.db.select().from(batchItems).where(eq(batchItems.batchId, batch.id));
    expect(new Set(items.map((i) => i.stagedChangeId))).toEqual(new Set(ids));
    const decided = await env.t.runtime.db
      .select()
      .from(stagedChanges)
      .where(sql`${stagedChanges.id} = any(${`{${ids.join(',')}}`}::uuid[])`);
    expect(decided.every((c) => c.status === 'applied' && c.batchId === batch.id)).toBe(true);
    expect((await pull()).staged).toBe(0);
  });

  it('a bulk reject of outgoing edits discards them all in one adopt batch; the reason stays with each', async () => {
    const chosen = variants.slice(4, 7);
    for (const v of chosen) await editPrice(v, bump((await entity(v.key)).local!.price, 11));
    const ids = (await Promise.all(chosen.map((v) => pendingOf(v.key)))).flat().map((c) => c.id);
    const res = await callRoute(bulkRejectRoute.POST, { method: 'POST', body: { ids, reason: 'season not started' }, token: merch });
    expect(res.body).toEqual({ count: 3, skipped: [] });
    const decided = await env.t.runtime.db
      .select()
      .from(stagedChanges)
      .where(sql`${stagedChanges.id} = any(${`{${ids.join(',')}}`}::uuid[])`);
    expect(new Set(decided.map((c) => c.batchId)).size).toBe(1);
    expect(decided.every((c) => c.status === 'rejected' && c.reason === 'season not started')).toBe(true);
    for (const v of chosen) expect((await entity(v.key)).local!.price).toBe(await shopifyPrice(v));
    expect((await pull()).staged).toBe(0);

    // Recorded like any decision: rolling its batch back brings the discarded edits back into the master.
    const batchId = decided[0]!.batchId!;
    const rollback = await callRoute(rollbackRoute.POST, { method: 'POST', params: { batchId }, body: {}, token: admin });
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(202);
    for (const v of chosen) expect((await entity(v.key)).local!.price).toBe(bump(await shopifyPrice(v), 11));
    const [source] = await env.t.runtime.db.select().from(batches).where(eq(batches.id, batchId));
    expect(source!.counts).toMatchObject({ total: 3, rolledBack: 3 });
    // The edits are the master's again, so the next pull proposes them again; rejected, they are gone again.
    expect((await pull()).staged_outgoing).toBe(3);
    const again = (await Promise.all(chosen.map((v) => pendingOf(v.key)))).flat().map((c) => c.id);
    expect((await callRoute(bulkRejectRoute.POST, { method: 'POST', body: { ids: again }, token: merch })).body.count).toBe(3);
  });

  it('rejecting a master join or leave of a collection (a create or delete) puts the master back as Shopify has it', async () => {
    const memberships = await env.t.runtime.db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'membership')));
    const leaving = memberships[0]!;
    const [leftCollection, productKey] = leaving.key.split('|') as [string, string];
    const collections = await env.t.runtime.db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'collection')));
    const joining = collections.find((c) => !memberships.some((m) => m.key === `${c.key}|${productKey}`))!;
    const edit = await callRoute(productRoute.PATCH, {
      method: 'PATCH',
      params: { id: productKey },
      token: merch,
      body: { collections: { join: [joining.key], leave: [leftCollection] } },
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    const joinKey = `${joining.key}|${productKey}`;
    const [join] = await pendingOf(joinKey);
    const [leave] = await pendingOf(leaving.key);
    expect([join!.op, leave!.op]).toEqual(['create', 'delete']);

    const res = await callRoute(bulkRejectRoute.POST, { method: 'POST', body: { ids: [join!.id, leave!.id] }, token: merch });
    expect(res.body).toEqual({ count: 2, skipped: [] });
    expect((await entity(leaving.key)).local).toEqual({ member: true });
    const joined = await changesOf(joinKey);
    expect(joined.map((c) => c.status)).toEqual(['rejected']);
    const joinRow = await env.t.runtime.db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.key, joinKey)));
    expect(joinRow.every((r) => r.local === null)).toBe(true);
    expect((await pull()).staged).toBe(0);
    expect([...(await pendingOf(joinKey)), ...(await pendingOf(leaving.key))]).toEqual([]);
  });
});
