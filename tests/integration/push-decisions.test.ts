import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ruleRoute from '../../app/api/sync/auto-approval-rules/[id]/route';
import * as rulesRoute from '../../app/api/sync/auto-approval-rules/route';
import * as rollbackRoute from '../../app/api/sync/rollback/[batchId]/route';
import * as pushRoute from '../../app/api/sync/shopify/push/route';
import * as approveRoute from '../../app/api/sync/staged/[id]/approve/route';
import * as rejectRoute from '../../app/api/sync/staged/[id]/reject/route';
import * as unapproveRoute from '../../app/api/sync/staged/[id]/unapprove/route';
import * as bulkApproveRoute from '../../app/api/sync/staged/bulk-approve/route';
import * as bulkRejectRoute from '../../app/api/sync/staged/bulk-reject/route';
import { auditLog, batches, batchItems, catalogEntities, events, type StagedChange, type Store, stagedChanges } from '../../drizzle/schema';
import { startPush } from '../../server/push/subsystem';
import { callRoute, demoToken } from '../helpers/api';
import { createStore, product, seedEntities, stageAll, variant } from '../helpers/push-fixtures';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
let store: Store;
let merch: string;
let admin: string;
let support: string;

const V = (n: number) => `gid://shopify/ProductVariant/${n}`;
const P = (n: number) => `gid://shopify/Product/${n}`;

beforeAll(async () => {
  t = await startTestRuntime();
  await startPush(t.runtime, t.services.push, t.services.notifier);
  store = await createStore(t.runtime.db);
  merch = await demoToken('merchandiser');
  admin = await demoToken('admin');
  support = await demoToken('support');
  await seedEntities(t.runtime.db, store.id, [
    // 1: outgoing title edit; 2: incoming price from Shopify; 3: conflict on price; 4..6: outgoing prices for bulk
    { entity: 'product', key: P(1), local: product(1, { title: 'New title' }), base: product(1), remote: product(1) },
    { entity: 'variant', key: V(2), productKey: P(2), local: variant('10.00'), base: variant('10.00'), remote: variant('12.00') },
    { entity: 'variant', key: V(3), productKey: P(3), local: variant('11.00'), base: variant('10.00'), remote: variant('13.00') },
    { entity: 'variant', key: V(4), productKey: P(4), local: variant('20.00'), base: variant('19.00'), remote: variant('19.00') },
    { entity: 'variant', key: V(5), productKey: P(5), local: variant('21.00'), base: variant('19.00'), remote: variant('19.00') },
    // Two fields: a bulk approval by filter decides it like the one-field change beside it.
    {
      entity: 'variant',
      key: V(6),
      productKey: P(5),
      local: variant('22.00', { sku: 'SKU-6B' }),
      base: variant('19.00'),
      remote: variant('19.00'),
    },
  ]);
  await stageAll(t.runtime.db, store.id);
});
afterAll(() => t?.stop());

async function changeOf(key: string): Promise<StagedChange> {
  const [c] = await t.runtime.db.select().from(stagedChanges).where(eq(stagedChanges.entityKey, key));
  return c!;
}

const approve = (id: string, body: unknown, token = merch) => callRoute(approveRoute.POST, { method: 'POST', params: { id }, body, token });

describe('review decisions', () => {
  it('approves an outgoing change: it waits for a push with its decided target', async () => {
    const c = await changeOf(P(1));
    expect(c.kind).toBe('outgoing');
    const res = await approve(c.id, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'approved', target: { title: 'New title' }, decidedBy: expect.any(String) });
    const again = await approve(c.id, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict:change_not_pending');
  });

  it('approving an incoming change updates the master at once and records an adopt batch', async () => {
    const c = await changeOf(V(2));
    expect(c.kind).toBe('incoming');
    const res = await approve(c.id, {});
    expect(res.body).toMatchObject({ status: 'applied', batchId: expect.any(String) });
    const [row] = await t.runtime.db
      .select()
      .from(catalogEntities)
      .where(eq(catalogEntities.key, V(2)));
    expect(row!.local!.price).toBe('12.00');
    expect(row!.base!.price).toBe('12.00');
    const [batch] = await t.runtime.db.select().from(batches).where(eq(batches.id, res.body.batchId));
    expect(batch).toMatchObject({ kind: 'adopt', status: 'completed' });
    const [item] = await t.runtime.db.select().from(batchItems).where(eq(batchItems.batchId, batch!.id));
    expect(item).toMatchObject({ side: 'master', status: 'applied', before: { price: '10.00' }, target: { price: '12.00' } });
  });

  it('rolling back an adopt batch restores the master', async () => {
    const c = await changeOf(V(2));
    const res = await callRoute(rollbackRoute.POST, { method: 'POST', params: { batchId: c.batchId! }, body: {}, token: support });
    expect(res.status).toBe(202);
    const [rb] = await t.runtime.db.select().from(batches).where(eq(batches.id, res.body.batchId));
    expect(rb).toMatchObject({ kind: 'rollback', rollbackOf: c.batchId });
    const [item] = await t.runtime.db.select().from(batchItems).where(eq(batchItems.batchId, rb!.id));
    expect(item).toMatchObject({ side: 'master', status: 'applied', target: { price: '10.00' } });
    const [row] = await t.runtime.db
      .select()
      .from(catalogEntities)
      .where(eq(catalogEntities.key, V(2)));
    expect(row!.local!.price).toBe('10.00');
    expect((await changeOf(V(2))).status).toBe('rolled_back');
    const twice = await callRoute(rollbackRoute.POST, { method: 'POST', params: { batchId: c.batchId! }, body: {}, token: support });
    expect(twice.status).toBe(409);
  });

  it('a conflict needs a resolution; a custom value is validated by the field rules', async () => {
    const c = await changeOf(V(3));
    expect(c.kind).toBe('conflict');
    const none = await approve(c.id, {});
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('validation:unresolved_conflict');
    const bad = await approve(c.id, { resolution: { price: { value: '-5' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation:custom_value', details: { field: 'price' } });
    expect(bad.body.error.message).toMatch(/Price must be a non-negative amount/);
    const unknownField = await approve(c.id, { fields: ['nope'] });
    expect(unknownField.status).toBe(400);
    expect((await changeOf(V(3))).status).toBe('pending');

    const ok = await approve(c.id, { resolution: { price: { value: '12.5' } } });
    expect(ok.status).toBe(200);
    // The master takes the custom value now; Shopify gets it on the next push.
    expect(ok.body).toMatchObject({ status: 'approved', target: { price: '12.50' } });
    const [row] = await t.runtime.db
      .select()
      .from(catalogEntities)
      .where(eq(catalogEntities.key, V(3)));
    expect(row!.local!.price).toBe('12.50');
  });

  it('"keep Shopify" on a conflict adopts the remote value without any push', async () => {
    await seedEntities(t.runtime.db, store.id, [
      { entity: 'variant', key: V(30), productKey: P(30), local: variant('1.00'), base: variant('2.00'), remote: variant('3.00') },
    ]);
    await stageAll(t.runtime.db, store.id);
    const c = await changeOf(V(30));
    const res = await approve(c.id, { resolution: 'shopify' });
    expect(res.body).toMatchObject({ status: 'applied' });
    const [row] = await t.runtime.db
      .select()
      .from(catalogEntities)
      .where(eq(catalogEntities.key, V(30)));
    expect(row).toMatchObject({ local: expect.objectContaining({ price: '3.00' }), base: expect.objectContaining({ price: '3.00' }) });
  });

  it('rejects with a reason; unapproves an approval not yet pushed', async () => {
    const c4 = await changeOf(V(4));
    const rej = await callRoute(rejectRoute.POST, { method: 'POST', params: { id: c4.id }, body: { reason: 'wrong price' }, token: merch });
    expect(rej.body).toMatchObject({ status: 'rejected', reason: 'wrong price' });
    const p1 = await changeOf(P(1));
    const un = await callRoute(unapproveRoute.POST, { method: 'POST', params: { id: p1.id }, token: merch });
    expect(un.body).toMatchObject({ status: 'pending', target: null });
    const un2 = await callRoute(unapproveRoute.POST, { method: 'POST', params: { id: p1.id }, token: merch });
    expect(un2.status).toBe(409);
  });

  it('bulk approve by filter (productId) answers the count and skips what cannot be approved', async () => {
    const res = await callRoute(bulkApproveRoute.POST, { method: 'POST', body: { filter: { productId: P(5) } }, token: merch });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ count: 2, skipped: [] });
    // Every field as proposed, the master's value as the target (as planApproval plans an outgoing change).
    expect(await changeOf(V(5))).toMatchObject({ status: 'approved', approvedFields: ['price'], target: { price: '21.00' } });
    const two = await changeOf(V(6));
    expect(two).toMatchObject({ status: 'approved', target: { price: '22.00', sku: 'SKU-6B' } });
    expect(two.approvedFields).toEqual(two.fields.map((f) => f.name));
    expect(two.approvedFields).toHaveLength(2);
    // Other reviewers' open lists hear about the decision (store room, ids of the decided changes).
    const published = await t.runtime.db.select().from(events).where(eq(events.type, 'staged_changes_updated'));
    const approvedEvent = published.find(
      (e) => e.data.source === 'review' && e.data.status === 'approved' && (e.data.ids as string[]).length === 2,
    );
    expect(approvedEvent?.rooms).toEqual([`store:${store.id}`]);
    expect(new Set(approvedEvent!.data.ids as string[])).toEqual(new Set([(await changeOf(V(5))).id, (await changeOf(V(6))).id]));
    const rej = await callRoute(bulkRejectRoute.POST, {
      method: 'POST',
      body: { ids: [(await changeOf(P(1))).id, (await changeOf(V(5))).id] },
      token: admin,
    });
    expect(rej.body.count).toBe(1);
    const bad = await callRoute(bulkApproveRoute.POST, { method: 'POST', body: { ids: ['not-a-uuid'] }, token: merch });
    expect(bad.status).toBe(400);
    const neither = await callRoute(bulkApproveRoute.POST, { method: 'POST', body: {}, token: merch });
    expect(neither.status).toBe(400);
  });

  it('refuses decisions and pushes to roles that may not make them (403)', async () => {
    const c = await changeOf(V(6));
    expect((await approve(c.id, {}, support)).status).toBe(403);
    expect((await callRoute(rejectRoute.POST, { method: 'POST', params: { id: c.id }, body: {}, token: support })).status).toBe(403);
    expect((await callRoute(bulkApproveRoute.POST, { method: 'POST', body: { ids: [c.id] }, token: support })).status).toBe(403);
    expect((await callRoute(pushRoute.POST, { method: 'POST', body: {}, token: merch })).status).toBe(403);
    expect(
      (await callRoute(rulesRoute.POST, { method: 'POST', body: { name: 'x', condition: { entity: 'inventory_level' } }, token: merch }))
        .status,
    ).toBe(403);
    expect((await changeOf(V(6))).status).toBe('approved');
  });
});

describe('auto-approval rules', () => {
  it('admins manage rules; a bad condition is a 400 naming the field', async () => {
    const bad = await callRoute(rulesRoute.POST, {
      method: 'POST',
      body: { name: 'x', condition: { entity: 'variant', fields: ['colour'] } },
      token: admin,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toMatch(/colour/);
    const created = await callRoute(rulesRoute.POST, {
      method: 'POST',
      body: { name: 'Small stock moves', condition: { entity: 'inventory_level', maxQuantityDelta: 5 } },
      token: admin,
    });
    expect(created.status).toBe(201);
    const price = await callRoute(rulesRoute.POST, {
      method: 'POST',
      body: { name: 'Price under 10%', condition: { entity: 'variant', fields: ['price'], maxPricePercent: 10 } },
      token: admin,
    });
    const list = await callRoute(rulesRoute.GET, { token: merch });
    expect(list.body.items.map((r: { name: string }) => r.name)).toEqual(['Small stock moves', 'Price under 10%']);
    const off = await callRoute(ruleRoute.PATCH, {
      method: 'PATCH',
      params: { id: price.body.id },
      body: { enabled: true, name: 'Price under 10 %' },
      token: admin,
    });
    expect(off.body.name).toBe('Price under 10 %');
  });

  it('staging applies the rules: matching changes are approved with the rule named in the audit log', async () => {
    const level = (n: number) => `gid://shopify/InventoryItem/${n}|gid://shopify/Location/1`;
    await seedEntities(t.runtime.db, store.id, [
      {
        entity: 'inventory_level',
        key: level(1),
        productKey: P(40),
        local: { available: 13 },
        base: { available: 10 },
        remote: { available: 10 },
      },
      {
        entity: 'inventory_level',
        key: level(2),
        productKey: P(40),
        local: { available: 30 },
        base: { available: 10 },
        remote: { available: 10 },
      },
      { entity: 'variant', key: V(41), productKey: P(41), local: variant('10.50'), base: variant('10.00'), remote: variant('10.00') },
      { entity: 'variant', key: V(42), productKey: P(42), local: variant('15.00'), base: variant('10.00'), remote: variant('10.00') },
    ]);
    // The restage runs staging's onStaged hook, where the push subsystem registered the rules.
    await stageAll(t.runtime.db, store.id);
    expect((await changeOf(level(1))).status).toBe('approved');
    expect((await changeOf(level(2))).status).toBe('pending');
    expect(await changeOf(V(41))).toMatchObject({ status: 'approved', autoRule: 'Price under 10 %' });
    expect((await changeOf(V(42))).status).toBe('pending');
    const audit = await t.runtime.db.select().from(auditLog).where(eq(auditLog.action, 'staged.auto_approve'));
    const ruleOf = (id: string) => audit.find((a) => a.entityId === id)?.details.rule;
    expect(ruleOf((await changeOf(level(1))).id)).toBe('Small stock moves');
    expect(ruleOf((await changeOf(V(41))).id)).toBe('Price under 10 %');
  });
});
