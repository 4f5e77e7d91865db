import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as productRoute from '../../app/api/products/[id]/route';
import * as ruleRoute from '../../app/api/sync/ownership-rules/[id]/route';
import * as presetRoute from '../../app/api/sync/ownership-rules/presets/[name]/apply/route';
import * as previewRoute from '../../app/api/sync/ownership-rules/preview/route';
import * as rulesRoute from '../../app/api/sync/ownership-rules/route';
import * as rollbackRoute from '../../app/api/sync/rollback/[batchId]/route';
import * as stagedOneRoute from '../../app/api/sync/staged/[id]/route';
import { auditLog, batches, type CatalogEntity, catalogEntities, stagedChanges } from '../../drizzle/schema';
import type { ShopifyClient } from '../../lib/shopify';
import { normalizeDecimal } from '../../lib/sync/fields';
import { callRoute, demoToken } from '../helpers/api';
import { type PushEnv, startPushEnv } from '../helpers/push-env';
import { merchantClient } from '../helpers/staging';

/**
 * Field ownership (issue 17): a field Shopify owns is adopted without a person, a field the master
 * owns is rejected with a restore of Shopify staged, the rest waits; the preview says exactly what
 * enabling does; every automatic decision names its rule and rolls back like any batch.
 */
let env: PushEnv;
let admin: string;
let merchant: ShopifyClient;

beforeAll(async () => {
  env = await startPushEnv({ products: 6, seed: 5 });
  admin = await demoToken('admin');
  merchant = merchantClient(env.emulator);
}, 120_000);
afterAll(() => env?.stop());

const db = () => env.t.runtime.db;
const bump = (price: unknown, by: number) => normalizeDecimal((Number(price) + by).toFixed(2))!;

async function rows(entity: 'variant' | 'inventory_level'): Promise<CatalogEntity[]> {
  return db()
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, entity)))
    .orderBy(catalogEntities.key);
}
async function entity(key: string): Promise<CatalogEntity> {
  const [row] = await db()
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.key, key)));
  return row!;
}
const changesOf = (key: string) =>
  db()
    .select()
    .from(stagedChanges)
    .where(and(eq(stagedChanges.storeId, env.store.id), eq(stagedChanges.entityKey, key)))
    .orderBy(desc(stagedChanges.createdAt));
const pendingOf = async (key: string) => (await changesOf(key)).filter((c) => c.status === 'pending');

async function setStock(level: CatalogEntity, quantity: number): Promise<void> {
  const [itemId, locationId] = level.key.split('|') as [string, string];
  await merchant.setInventoryQuantities({
    reason: 'correction',
    idempotencyKey: `${level.key}-${quantity}`,
    quantities: [{ inventoryItemId: itemId, locationId, quantity, changeFromQuantity: null }],
  });
}

const preview = (body: unknown) => callRoute(previewRoute.POST, { method: 'POST', body, token: admin });
const applyPreset = (name: string) => callRoute(presetRoute.POST, { method: 'POST', params: { name }, body: {}, token: admin });

describe('field ownership rules', () => {
  it('refuses rules for fields lib/sync/fields.ts does not list, unknown presets and owners, naming the field', async () => {
    const bad = await callRoute(rulesRoute.POST, {
      method: 'POST',
      body: { rule: { entity: 'variant', field: 'colour', owner: 'master' } },
      token: admin,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toMatch(/not a field of variant/);
    const owner = await preview({ rules: [{ entity: 'variant', field: 'price', owner: 'everyone' }] });
    expect(owner.status).toBe(400);
    expect((await preview({ preset: 'nobody-owns-anything' })).status).toBe(400);
    expect((await applyPreset('nobody-owns-anything')).status).toBe(404);
    const missingStore = await preview({ storeId: '00000000-0000-4000-8000-000000000001', preset: 'shopify-owns-stock' });
    expect(missingStore.status).toBe(404);
    expect((await callRoute(rulesRoute.GET, { token: admin })).body).toMatchObject({ total: 0, storeId: env.store.id });
  });

  it('"Shopify owns stock": the preview counts what enabling decides; stock is adopted, named and audited, prices wait', async () => {
    const levels = (await rows('inventory_level')).slice(0, 2);
    const variant = (await rows('variant'))[0]!;
    for (const [i, level] of levels.entries()) await setStock(level, Number(level.local!.available) + 5 + i);
    await merchant.updateVariants(variant.productKey!, [{ id: variant.key, price: bump(variant.local!.price, 1) }]);
    await env.pull();
    expect((await pendingOf(levels[0]!.key)).map((c) => c.kind)).toEqual(['incoming']);

    const seen = await preview({ preset: 'shopify-owns-stock' });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({
      total: 2,
      counts: [{ decision: 'adopt', entity: 'inventory_level', field: 'available', count: 2 }],
      message: 'This would decide 2 pending changes: adopt 2 Inventory available',
    });
    expect(seen.body.sample).toHaveLength(2);
    // A preview keeps nothing: no rule, the changes still pending.
    expect((await callRoute(rulesRoute.GET, { token: admin })).body.total).toBe(0);
    expect(await pendingOf(levels[0]!.key)).toHaveLength(1);

    const applied = await applyPreset('shopify-owns-stock');
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.outcome).toMatchObject({ total: seen.body.total, counts: seen.body.counts });
    expect(applied.body.rules).toEqual([expect.objectContaining({ entity: 'inventory_level', field: 'available', owner: 'shopify' })]);
    const [batchId] = applied.body.outcome.batchIds;
    for (const [i, level] of levels.entries()) {
      expect(await pendingOf(level.key)).toEqual([]);
      const [decided] = await changesOf(level.key);
      expect(decided).toMatchObject({ status: 'applied', decidedBy: 'field-ownership', autoRule: 'Shopify owns stock', batchId });
      expect((await entity(level.key)).local!.available).toBe(Number(level.local!.available) + 5 + i);
    }
    expect((await pendingOf(variant.key)).map((c) => c.kind)).toEqual(['incoming']);
    const [batch] = await db().select().from(batches).where(eq(batches.id, batchId));
    expect(batch).toMatchObject({ kind: 'adopt', createdBy: 'field-ownership: Shopify owns stock' });
    const audits = await db().select().from(auditLog).where(eq(auditLog.action, 'staged.ownership'));
    expect(audits).toHaveLength(2);
    expect(audits[0]!.details).toMatchObject({ rule: 'Shopify owns stock', decision: 'adopt', fields: ['available'], batchId });
    const detail = await callRoute(stagedOneRoute.GET, { params: { id: audits[0]!.entityId! }, token: admin });
    expect(detail.body).toMatchObject({ decidedBy: 'field-ownership', autoRule: 'Shopify owns stock' });

    // Rolled back like any batch: the master takes its stock back; Shopify was not written by the adoption.
    const rollback = await callRoute(rollbackRoute.POST, { method: 'POST', params: { batchId }, body: {}, token: admin });
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(202);
    for (const level of levels) expect((await entity(level.key)).local!.available).toBe(level.local!.available);
    const [source] = await db().select().from(batches).where(eq(batches.id, batchId));
    expect(source!.counts).toMatchObject({ total: 2, rolledBack: 2 });
    // Future stagings too: the next stock move is adopted inside the pull, with the rule's name.
    await setStock(levels[0]!, 99);
    await env.pull();
    expect(await pendingOf(levels[0]!.key)).toEqual([]);
    expect((await changesOf(levels[0]!.key))[0]).toMatchObject({ status: 'applied', autoRule: 'Shopify owns stock' });
    expect((await entity(levels[0]!.key)).local!.available).toBe(99);
  });

  it('"Master owns prices": incoming prices are rejected with a restore staged; a change with other fields is split; conflicts go to the owner', async () => {
    const [zero, one, two, three, four] = await rows('variant');
    const price = (v: CatalogEntity) => v.local!.price as string;
    await merchant.updateVariants(one!.productKey!, [{ id: one!.key, price: bump(price(one!), 2) }]);
    await merchant.updateVariants(two!.productKey!, [{ id: two!.key, price: bump(price(two!), 3), barcode: 'OWN-SPLIT-1' }]);
    await env.pull();

    // The first variant's price change, left pending by the stock preset, is decided too.
    const seen = await preview({ preset: 'master-owns-prices-and-content' });
    expect(seen.body).toMatchObject({ total: 3, counts: [{ decision: 'restore', entity: 'variant', field: 'price', count: 3 }] });
    const applied = await applyPreset('master-owns-prices-and-content');
    expect(applied.body.outcome).toMatchObject({ total: seen.body.total, counts: seen.body.counts, batchIds: [] });

    for (const v of [zero!, one!, two!]) {
      expect((await entity(v.key)).local!.price).toBe(price(v));
      const decided = (await changesOf(v.key)).find((c) => c.status === 'rejected')!;
      expect(decided).toMatchObject({ kind: 'incoming', autoRule: 'Master owns prices and content', decidedBy: 'field-ownership' });
      expect(decided.fields.map((f) => f.name)).toEqual(['price']);
      expect(decided.reason).toMatch(/Owned by the master/);
      const restore = (await pendingOf(v.key)).find((c) => c.kind === 'outgoing')!;
      expect(restore).toMatchObject({ origin: 'restore_shopify', originChangeId: decided.id });
      expect(restore.fields).toEqual([expect.objectContaining({ name: 'price', local: price(v) })]);
    }
    // The barcode has no owner: split off, it waits for a person.
    const rest = (await pendingOf(two!.key)).find((c) => c.kind === 'incoming')!;
    expect(rest.fields).toEqual([expect.objectContaining({ name: 'barcode', remote: 'OWN-SPLIT-1' })]);

    // Conflicts: on the owned price the master's value wins (approved for the push); on the barcode it waits.
    const edit = (v: CatalogEntity, body: Record<string, unknown>) =>
      callRoute(productRoute.PATCH, {
        method: 'PATCH',
        params: { id: v.productKey! },
        token: admin,
        body: { variants: [{ id: v.key, ...body }] },
      });
    expect((await edit(three!, { price: bump(price(three!), 4) })).status).toBe(200);
    expect((await edit(four!, { barcode: 'OURS-4' })).status).toBe(200);
    await merchant.updateVariants(three!.productKey!, [{ id: three!.key, price: bump(price(three!), 5) }]);
    await merchant.updateVariants(four!.productKey!, [{ id: four!.key, barcode: 'THEIRS-4' }]);
    await env.pull();
    const [resolved] = await changesOf(three!.key);
    expect(resolved).toMatchObject({ kind: 'conflict', status: 'approved', autoRule: 'Master owns prices and content' });
    expect(resolved!.target).toEqual({ price: bump(price(three!), 4) });
    expect((await pendingOf(four!.key)).map((c) => c.kind)).toEqual(['conflict']);
  });

  it('a rule set to review hands its field back to people; deleting a rule keeps the decisions made', async () => {
    const list = await callRoute(rulesRoute.GET, { token: admin });
    const price = list.body.items.find((r: { field: string }) => r.field === 'price');
    expect(price).toMatchObject({ owner: 'master', name: 'Master owns prices and content' });
    const patched = await callRoute(ruleRoute.PATCH, {
      method: 'PATCH',
      params: { id: price.id },
      body: { owner: 'review' },
      token: admin,
    });
    expect(patched.body).toMatchObject({ rule: { owner: 'review', preset: null }, outcome: { total: 0 } });
    const v = (await rows('variant'))[5] ?? (await rows('variant'))[0]!;
    await merchant.updateVariants(v.productKey!, [{ id: v.key, price: bump(v.local!.price, 9) }]);
    await env.pull();
    expect((await pendingOf(v.key)).map((c) => c.kind)).toContain('incoming');
    expect((await callRoute(ruleRoute.DELETE, { method: 'DELETE', params: { id: price.id }, token: admin })).status).toBe(200);
    expect((await callRoute(ruleRoute.GET, { params: { id: price.id }, token: admin })).status).toBe(404);
  });
});
