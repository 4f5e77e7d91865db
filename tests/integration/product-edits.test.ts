import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as productRoute from '../../app/api/products/[id]/route';
import * as pullRoute from '../../app/api/sync/shopify/pull/route';
import * as pushRoute from '../../app/api/sync/shopify/push/route';
import * as bulkApproveRoute from '../../app/api/sync/staged/bulk-approve/route';
import { type CatalogEntity, catalogEntities } from '../../drizzle/schema';
import { entityKeys } from '../../lib/sync/fields';
import { callRoute, demoToken } from '../helpers/api';
import { type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * Local edits that name what they change: collection membership from the master (PATCH
 * `collections`, staged as membership changes and pushed), and a variant edit that touches the
 * chosen variant of a multi-variant product and no other.
 */
let env: PushEnv;
let admin: string;
let merch: string;

beforeAll(async () => {
  env = await startPushEnv({ products: 30, seed: 2 });
  admin = await demoToken('admin');
  merch = await demoToken('merchandiser');
  // The helper's first pull reads products only; the pull route also reads collections: adopt them first.
  expect(await pull()).toBeGreaterThan(0);
  await callRoute(bulkApproveRoute.POST, { method: 'POST', body: { filter: { kind: 'incoming' } }, token: merch });
}, 120_000);
afterAll(() => env?.stop());

async function pull(): Promise<number> {
  const res = await callRoute(pullRoute.POST, { token: admin, body: { mode: 'full' } });
  await env.t.services.pull.idle();
  const op = await env.t.runtime.operations.get(res.body.operationId);
  expect(op.status, op.error ?? '').toBe('completed');
  return Number((op.counts as Record<string, number>).staged);
}

async function pushApproved(): Promise<void> {
  const res = await callRoute(pushRoute.POST, { token: admin, body: {} });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const batch = await env.waitForBatch(res.body.batchId);
  expect(batch.counts).toMatchObject({ failed: 0, drifted: 0, dead: 0 });
}

const rowsOf = (entity: string) =>
  env.t.runtime.db
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, entity as CatalogEntity['entity'])))
    .orderBy(catalogEntities.key);

const patch = (id: string, body: unknown) => callRoute(productRoute.PATCH, { method: 'PATCH', params: { id }, token: merch, body });

describe('collection membership from the master', () => {
  it('joins a custom collection by handle and leaves one by id: staged, pushed, and the next pull stages nothing', async () => {
    const collections = await rowsOf('collection');
    const memberships = await rowsOf('membership');
    const leaving = memberships[0]!;
    const productKey = leaving.productKey!;
    const [leftCollection] = entityKeys.split(leaving.key);
    const joining = collections.find((c) => !memberships.some((m) => m.key === entityKeys.membership(c.key, productKey)))!;

    const res = await patch(productKey, { collections: { join: [joining.remote!.handle], leave: [leftCollection] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const membershipChanges = res.body.staged.filter((c: { entity: string }) => c.entity === 'membership');
    expect(membershipChanges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'outgoing', op: 'create', entityKey: entityKeys.membership(joining.key, productKey) }),
        expect.objectContaining({ kind: 'outgoing', op: 'delete', entityKey: leaving.key }),
      ]),
    );
    expect(res.body.product.collections).toContain(joining.key);
    expect(res.body.product.collections).not.toContain(leftCollection);

    const approved = await callRoute(bulkApproveRoute.POST, { method: 'POST', body: { filter: { entity: 'membership' } }, token: merch });
    expect(approved.body).toEqual({ count: 2, skipped: [] });
    await pushApproved();
    const [inShopify] = await env.shopify.getProductsByIds([productKey]);
    expect(inShopify!.collectionIds).toContain(joining.key);
    expect(inShopify!.collectionIds).not.toContain(leftCollection);
    expect(await pull()).toBe(0);
  });

  it('refuses smart and unknown collections with the reason, and a collection both joined and left', async () => {
    const [collection] = await rowsOf('collection');
    await env.t.runtime.db
      .update(catalogEntities)
      .set({ meta: sql`meta || '{"smart": true}'::jsonb` })
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.key, collection!.key)));
    const [product] = await rowsOf('product');
    const smart = await patch(product!.key, { collections: { join: [collection!.key] } });
    expect(smart.status).toBe(400);
    expect(smart.body.error.message).toMatch(/smart collection: Shopify chooses its products by its rules/);
    expect(smart.body.error.details).toEqual([expect.objectContaining({ path: 'collections.join.0' })]);
    const unknown = await patch(product!.key, { collections: { join: ['no-such-collection'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/no collection "no-such-collection"/);
    const [, other] = await rowsOf('collection');
    const both = await patch(product!.key, { collections: { join: [other!.key], leave: [other!.key] } });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toMatch(/both joined and left/);
  });
});

describe('variant edits name their variant', () => {
  it('changes exactly the chosen variant of a 3-variant product, in the master and in Shopify', async () => {
    const variants = await rowsOf('variant');
    const byProduct = new Map<string, CatalogEntity[]>();
    for (const v of variants) byProduct.set(v.productKey!, [...(byProduct.get(v.productKey!) ?? []), v]);
    const [productKey, three] = [...byProduct].find(([, vs]) => vs.length >= 3)!;
    const chosen = three[1]!;
    const res = await patch(productKey, { variants: [{ id: chosen.key, price: '123.45' }] });
    expect(res.status).toBe(200);
    expect(res.body.staged).toEqual([expect.objectContaining({ entity: 'variant', entityKey: chosen.key })]);
    const after = (await rowsOf('variant')).filter((v) => v.productKey === productKey);
    for (const v of after) expect(v.local!.price).toBe(v.key === chosen.key ? '123.45' : three.find((x) => x.key === v.key)!.local!.price);

    await callRoute(bulkApproveRoute.POST, { method: 'POST', body: { filter: { productId: productKey } }, token: merch });
    await pushApproved();
    const [inShopify] = await env.shopify.getProductsByIds([productKey]);
    for (const v of inShopify!.variants) {
      expect(v.price).toBe(v.id === chosen.key ? '123.45' : three.find((x) => x.key === v.id)!.remote!.price);
    }
    expect(await pull()).toBe(0);
  });
});
