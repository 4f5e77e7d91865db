import { randomUUID } from 'node:crypto';
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as batchRoute from '../../app/api/sync/batches/[id]/route';
import * as batchesRoute from '../../app/api/sync/batches/route';
import * as restoreRoute from '../../app/api/sync/rollback/[batchId]/restore-anyway/route';
import * as rollbackRoute from '../../app/api/sync/rollback/[batchId]/route';
import { auditLog, batches, batchItems, type CatalogEntity, catalogEntities } from '../../drizzle/schema';
import { normalizeDecimal } from '../../lib/sync/fields';
import { callRoute, demoToken } from '../helpers/api';
import { type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * Batches as a merchandiser looks them up (issue 14): found by SKU or product title, counted from
 * their items in the list and the detail alike, and a drifted rollback item showing Shopify's
 * value beside ours, restored anyway by an admin only.
 */
let env: PushEnv;
let tokens: Record<'admin' | 'support' | 'merchandiser', string>;
let variants: CatalogEntity[];
let products: CatalogEntity[];

beforeAll(async () => {
  env = await startPushEnv({ products: 6, seed: 3 });
  tokens = { admin: await demoToken('admin'), support: await demoToken('support'), merchandiser: await demoToken('merchandiser') };
  const rows = await env.t.runtime.db
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, env.store.id), isNotNull(catalogEntities.remote)))
    .orderBy(catalogEntities.key);
  variants = rows.filter((r) => r.entity === 'variant' && r.remote?.sku);
  products = rows.filter((r) => r.entity === 'product');
}, 120_000);
afterAll(() => env?.stop());

/** A finished push of these variants' prices: applied items whose `after` is what Shopify holds now. */
async function pushedPrices(of: CatalogEntity[]): Promise<string> {
  const [batch] = await env.t.runtime.db
    .insert(batches)
    .values({ storeId: env.store.id, kind: 'push', status: 'completed', createdBy: 'test' })
    .returning();
  await env.t.runtime.db.insert(batchItems).values(
    of.map((row) => {
      const id = randomUUID();
      const after = { price: row.remote!.price };
      return {
        id,
        batchId: batch!.id,
        storeId: env.store.id,
        side: 'shopify' as const,
        entity: row.entity,
        entityKey: row.key,
        productKey: row.productKey,
        status: 'applied' as const,
        before: { price: normalizeDecimal((Number(row.remote!.price) + 1).toFixed(2)) },
        target: after,
        after,
        idempotencyKey: `csd-${id}`,
      };
    }),
  );
  return batch!.id;
}

const list = (q: string) => callRoute(batchesRoute.GET, { path: `/api/sync/batches?q=${encodeURIComponent(q)}`, token: tokens.support });
const detail = (id: string) => callRoute(batchRoute.GET, { path: `/api/sync/batches/${id}`, params: { id }, token: tokens.support });
const priceInShopify = async (row: CatalogEntity) =>
  (await env.shopify.getProductsByIds([row.productKey!]))[0]!.variants.find((v) => v.id === row.key)!.price;

describe('batch history', () => {
  it('finds a batch by a SKU or the title of a product it touched, literally; other batches stay out', async () => {
    const [a, b] = [variants[0]!, variants.find((v) => v.productKey !== variants[0]!.productKey)!];
    const first = await pushedPrices([a]);
    const second = await pushedPrices([b]);
    const ids = async (q: string) => ((await list(q)).body.items as Array<{ id: string }>).map((i) => i.id);
    await expect(ids(String(a.remote!.sku))).resolves.toEqual([first]);
    await expect(ids(String(a.remote!.sku).toLowerCase())).resolves.toEqual([first]);
    const title = String(products.find((p) => p.key === b.productKey)!.remote!.title);
    await expect(ids(title)).resolves.toContain(second);
    await expect(ids(title)).resolves.not.toContain(first);
    await expect(ids('%')).resolves.toEqual([]);
  });

  it('counts a batch from its items in the list and the detail alike, whatever the stored counts say', async () => {
    const id = await pushedPrices(variants.slice(2, 5));
    await env.t.runtime.db.update(batchItems).set({ status: 'failed' }).where(eq(batchItems.entityKey, variants[2]!.key));
    const inList = ((await list(String(variants[3]!.remote!.sku))).body.items as Array<{ id: string; counts: unknown }>).find(
      (b) => b.id === id,
    )!;
    const inDetail = (await detail(id)).body;
    expect(inList.counts).toMatchObject({ total: 3, applied: 2, failed: 1 });
    expect(inDetail.counts).toEqual(inList.counts);
  });

  it('a drifted rollback item shows Shopify’s value beside ours; only an admin restores it anyway, once', async () => {
    const [kept, moved] = [variants[5]!, variants[6]!];
    const pushId = await pushedPrices([kept, moved]);
    await env.shopify.updateVariants(moved.productKey!, [{ id: moved.key, price: '777.00' }]);
    const started = await callRoute(rollbackRoute.POST, { method: 'POST', params: { batchId: pushId }, body: {}, token: tokens.support });
    expect(started.status).toBe(202);
    await env.waitForBatch(started.body.batchId);

    const rollback = (await detail(started.body.batchId)).body;
    expect(rollback.rollbackOfBatch).toMatchObject({ id: pushId, kind: 'push', total: 2 });
    const drifted = rollback.items.find((i: { status: string }) => i.status === 'drifted');
    expect(drifted).toMatchObject({ entityId: moved.key, before: { price: moved.remote!.price }, observed: { price: '777.00' } });

    const restore = (token: string) =>
      callRoute(restoreRoute.POST, {
        method: 'POST',
        params: { batchId: rollback.id },
        body: { itemIds: [drifted.id] },
        token,
      });
    expect((await restore(tokens.support)).status).toBe(403);
    expect((await restore(tokens.merchandiser)).status).toBe(403);
    const forced = await restore(tokens.admin);
    expect(forced.status, JSON.stringify(forced.body)).toBe(202);
    const done = await env.waitForBatch(forced.body.batchId);
    expect(done.counts).toMatchObject({ total: 1, applied: 1 });
    await expect(priceInShopify(moved)).resolves.toBe(drifted.target.price);
    // The master is restored too: it still held what the push wrote, so nothing is left to stage for that variant.
    const [row] = await env.t.runtime.db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.key, moved.key)));
    expect(row!.local?.price).toBe(drifted.target.price);

    const source = (await detail(pushId)).body;
    expect(source.items.map((i: { status: string }) => i.status).sort()).toEqual(['rolled_back', 'rolled_back']);
    expect((await restore(tokens.admin)).status).toBe(409);
    const audits = await env.t.runtime.db.select().from(auditLog).where(eq(auditLog.action, 'batch.restore_anyway'));
    expect(audits.filter((a) => a.details.rollbackBatchId === forced.body.batchId)).toHaveLength(1);
  }, 120_000);

  it('a restore anyway of an item that did not drift is refused', async () => {
    const pushId = await pushedPrices([variants[7]!]);
    const started = await callRoute(rollbackRoute.POST, { method: 'POST', params: { batchId: pushId }, body: {}, token: tokens.admin });
    await env.waitForBatch(started.body.batchId);
    const [item] = (await detail(started.body.batchId)).body.items;
    expect(item.status).toBe('applied');
    const res = await callRoute(restoreRoute.POST, {
      method: 'POST',
      params: { batchId: started.body.batchId },
      body: { itemIds: [item.id] },
      token: tokens.admin,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict:not_drifted');
  }, 60_000);
});
