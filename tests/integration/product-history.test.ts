import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as historyRoute from '../../app/api/products/[id]/history/route';
import * as revertRoute from '../../app/api/products/[id]/revert/route';
import * as productRoute from '../../app/api/products/[id]/route';
import * as rollbackRoute from '../../app/api/sync/rollback/[batchId]/route';
import * as pushRoute from '../../app/api/sync/shopify/push/route';
import * as approveRoute from '../../app/api/sync/staged/[id]/approve/route';
import { type CatalogEntity, catalogEntities, stagedChanges } from '../../drizzle/schema';
import { callRoute, demoToken } from '../helpers/api';
import { type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * A product's history and point-in-time revert (issue 17, item 3), through the real routes: two
 * pushed edits, an adoption of a Shopify edit and its rollback are listed with before, after and
 * who; reverting to a time stages exactly the fields that differ, as outgoing changes marked with
 * the time, and writes nothing to Shopify.
 */
let env: PushEnv;
let tokens: Record<'admin' | 'support' | 'merchandiser', string>;
let product: CatalogEntity;
let variant: CatalogEntity;
const marks: Record<'t0' | 't1' | 't2', string> = { t0: '', t1: '', t2: '' };
const batchIds: Record<'push1' | 'push2' | 'adopt' | 'rollback', string> = { push1: '', push2: '', adopt: '', rollback: '' };

const pause = () => new Promise((r) => setTimeout(r, 20));
const pending = (productKey: string) =>
  env.t.runtime.db
    .select()
    .from(stagedChanges)
    .where(and(eq(stagedChanges.productKey, productKey), eq(stagedChanges.status, 'pending')));

async function approveAll(kind: 'outgoing' | 'incoming'): Promise<void> {
  for (const c of (await pending(product.key)).filter((c) => c.kind === kind)) {
    const res = await callRoute(approveRoute.POST, { method: 'POST', params: { id: c.id }, body: {}, token: tokens.merchandiser });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}

async function editAndPush(body: Record<string, unknown>): Promise<string> {
  const edit = await callRoute(productRoute.PATCH, { method: 'PATCH', params: { id: product.key }, body, token: tokens.merchandiser });
  expect(edit.status, JSON.stringify(edit.body)).toBe(200);
  await approveAll('outgoing');
  const push = await callRoute(pushRoute.POST, { method: 'POST', body: {}, token: tokens.admin });
  expect(push.status, JSON.stringify(push.body)).toBe(202);
  await env.waitForBatch(push.body.batchId);
  return push.body.batchId;
}

const history = (query = '', token = tokens.support) =>
  callRoute(historyRoute.GET, { path: `/api/products/${product.id}/history${query}`, params: { id: product.id }, token });
const revert = (body: unknown, token = tokens.merchandiser, id = product.id) =>
  callRoute(revertRoute.POST, { method: 'POST', params: { id }, body, token });
const local = async (key: string) => (await env.t.runtime.db.select().from(catalogEntities).where(eq(catalogEntities.key, key)))[0]!.local!;
const shopifyVariant = async () => (await env.shopify.getProductsByIds([product.key]))[0]!.variants.find((v) => v.id === variant.key)!;

beforeAll(async () => {
  env = await startPushEnv({ products: 2, seed: 4 });
  tokens = { admin: await demoToken('admin'), support: await demoToken('support'), merchandiser: await demoToken('merchandiser') };
  const rows = await env.t.runtime.db
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, env.store.id), isNotNull(catalogEntities.remote)))
    .orderBy(catalogEntities.key);
  product = rows.find((r) => r.entity === 'product')!;
  variant = rows.find((r) => r.entity === 'variant' && r.productKey === product.key)!;
  await pause();
  marks.t0 = new Date().toISOString();
  await pause();
  batchIds.push1 = await editAndPush({ title: 'First edit', variants: [{ id: variant.key, price: '11.00' }] });
  await pause();
  marks.t1 = new Date().toISOString();
  await pause();
  batchIds.push2 = await editAndPush({ variants: [{ id: variant.key, price: '12.00' }] });
  await pause();
  marks.t2 = new Date().toISOString();
  // Shopify moves the price; the master adopts it, then an admin rolls the adoption back.
  await env.shopify.updateVariants(product.key, [{ id: variant.key, price: '55.00' }]);
  await env.pull();
  await approveAll('incoming');
  const [adopted] = (await history('?limit=1')).body.items;
  batchIds.adopt = adopted.batchId;
  const rollback = await callRoute(rollbackRoute.POST, {
    method: 'POST',
    params: { batchId: batchIds.adopt },
    body: {},
    token: tokens.admin,
  });
  expect(rollback.status, JSON.stringify(rollback.body)).toBe(202);
  batchIds.rollback = rollback.body.batchId;
  await env.waitForBatch(batchIds.rollback);
}, 120_000);
afterAll(() => env?.stop());

describe('product history', () => {
  it('lists pushes, the adoption and its rollback, newest first, with before, after, who and the batch', async () => {
    const res = await history();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const prices = res.body.items
      .filter((i: { entity: string }) => i.entity === 'variant')
      .map(
        (i: { batchId: string; batchKind: string; actor: string; fields: Array<{ name: string; before: unknown; after: unknown }> }) => ({
          batchId: i.batchId,
          kind: i.batchKind,
          actor: i.actor,
          price: i.fields.find((f) => f.name === 'price'),
        }),
      );
    expect(prices).toEqual([
      {
        batchId: batchIds.rollback,
        kind: 'rollback',
        actor: expect.any(String),
        price: expect.objectContaining({ before: '55.00', after: '12.00' }),
      },
      {
        batchId: batchIds.adopt,
        kind: 'adopt',
        actor: expect.any(String),
        price: expect.objectContaining({ before: '12.00', after: '55.00' }),
      },
      {
        batchId: batchIds.push2,
        kind: 'push',
        actor: expect.any(String),
        price: expect.objectContaining({ before: '11.00', after: '12.00' }),
      },
      {
        batchId: batchIds.push1,
        kind: 'push',
        actor: expect.any(String),
        price: expect.objectContaining({ before: variant.remote!.price, after: '11.00' }),
      },
    ]);
    const adoption = res.body.items.find((i: { batchKind: string }) => i.batchKind === 'adopt');
    expect(adoption).toMatchObject({ side: 'master', decidedBy: expect.any(String), entityLabel: expect.stringMatching(/^Variant: /) });
    const title = res.body.items.find((i: { entity: string }) => i.entity === 'product');
    expect(title.fields).toEqual([
      expect.objectContaining({ name: 'title', label: 'Title', before: product.remote!.title, after: 'First edit' }),
    ]);
  });

  it('narrows to one field, and pages to the end with the cursor', async () => {
    const titles = await history('?field=title');
    expect(titles.body.items.map((i: { batchId: string }) => i.batchId)).toEqual([batchIds.push1]);
    expect(titles.body.total).toBe(1);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof history>> = await history(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = (await history()).body.items.map((i: { id: string }) => i.id);
    expect(seen).toEqual(all);
    expect(all).toHaveLength(5);
  });
});

describe('revert to a point in time', () => {
  it('previews, then stages exactly the fields that differ, marked with the time; Shopify is not written', async () => {
    const preview = await revert({ at: marks.t0, dryRun: true });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.changeIds).toEqual([]);
    const planned = preview.body.planned.flatMap((e: { fields: Array<{ name: string; target: unknown }> }) => e.fields);
    expect(planned).toEqual([
      expect.objectContaining({ name: 'title', current: 'First edit', target: product.remote!.title }),
      expect.objectContaining({ name: 'price', current: '12.00', target: variant.remote!.price }),
    ]);
    expect(await pending(product.key)).toHaveLength(0);

    const res = await revert({ at: marks.t0 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.staged).toHaveLength(2);
    for (const c of res.body.staged) expect(c).toMatchObject({ kind: 'outgoing', status: 'pending', origin: 'revert', originAt: marks.t0 });
    const byEntity = Object.fromEntries(res.body.staged.map((c: { entity: string; fields: unknown[] }) => [c.entity, c.fields]));
    expect(byEntity.product).toEqual([expect.objectContaining({ name: 'title', local: product.remote!.title, remote: 'First edit' })]);
    expect(byEntity.variant).toEqual([expect.objectContaining({ name: 'price', local: variant.remote!.price, remote: '55.00' })]);
    expect((await local(variant.key)).price).toBe(variant.remote!.price);
    expect((await shopifyVariant()).price).toBe('55.00');
  });

  it('says when nothing differs', async () => {
    const res = await revert({ at: marks.t0 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ planned: [], staged: [], changeIds: [] });
    expect(res.body.message).toMatch(/nothing was staged/i);
  });

  it('reverts one field only', async () => {
    const res = await revert({ at: marks.t1, fields: ['price'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.planned).toEqual([
      expect.objectContaining({ entity: 'variant', fields: [expect.objectContaining({ name: 'price', target: '11.00' })] }),
    ]);
    expect((await local(variant.key)).price).toBe('11.00');
    expect((await local(product.key)).title).toBe(product.remote!.title);
  });

  it('refuses a time in the future, an unknown product, a bad field list and a role that may not edit', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await revert({ at: future })).status).toBe(400);
    expect((await revert({ at: 'yesterday' })).status).toBe(400);
    expect((await revert({ at: marks.t0, fields: [] })).status).toBe(400);
    expect((await revert({ at: marks.t0 }, tokens.merchandiser, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await revert({ at: marks.t0 }, tokens.support)).status).toBe(403);
    expect((await revert({ at: marks.t0 }, tokens.admin)).status).toBe(200);
    expect((await history('', tokens.merchandiser)).status).toBe(200);
    expect((await history('?cursor=nonsense')).status).toBe(400);
  });
});
