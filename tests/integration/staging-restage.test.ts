import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as productRoute from '../../app/api/products/[id]/route';
import * as productsRoute from '../../app/api/products/route';
import * as stagedOneRoute from '../../app/api/sync/staged/[id]/route';
import * as stagedRoute from '../../app/api/sync/staged/route';
import { stores } from '../../drizzle/schema';
import { markUnseen, nextGeneration, type RemoteRecord, writeRemote } from '../../server/catalog/remote';
import { queryRows } from '../../server/db/rows';
import { onStaged } from '../../server/staging/hooks';
import { restage } from '../../server/staging/restage';
import { callRoute, demoToken } from '../helpers/api';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/** Drives the staging layer with remote documents written directly (the pull tests read them from the emulator). */
let t: TestRuntime;
let storeId: string;
let merch: string;

const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number) => `gid://shopify/ProductVariant/${n}`;

function productRecords(n: number, over: { title?: string; price?: string; sku?: string } = {}): RemoteRecord[] {
  return [
    {
      entity: 'product',
      key: P(n),
      productKey: P(n),
      doc: {
        title: over.title ?? `Shirt ${n}`,
        handle: `shirt-${n}`,
        descriptionHtml: '<p>x</p>',
        vendor: 'Acme',
        productType: 'Shirts',
        status: 'ACTIVE',
        tags: ['b', 'a'],
      },
    },
    {
      entity: 'variant',
      key: V(n),
      productKey: P(n),
      doc: {
        sku: over.sku ?? `SKU-${n}`,
        barcode: null,
        price: over.price ?? '10.00',
        compareAtPrice: null,
        inventoryPolicy: 'DENY',
        taxable: true,
        tracked: true,
        cost: null,
      },
      meta: { title: 'Default', inventoryItemId: `gid://shopify/InventoryItem/${n}`, position: 1 },
    },
  ];
}

async function pullRecords(records: RemoteRecord[], adopt = false) {
  const db = t.runtime.db;
  const generation = await nextGeneration(db, storeId);
  await writeRemote(db, storeId, records, { generation, adopt });
  await markUnseen(db, storeId, generation, { all: true });
  return db.transaction((tx) => restage(tx, { storeId, all: true }, 'pull'));
}

async function pendingChanges() {
  return queryRows<{
    id: string;
    entity: string;
    entity_key: string;
    kind: string;
    op: string;
    fields: Array<{ name: string; local: unknown; remote: unknown; base: unknown }>;
  }>(
    t.runtime.db,
    sql`select id, entity, entity_key, kind, op, fields from staged_changes where status = 'pending' order by entity_key, kind`,
  );
}

beforeAll(async () => {
  t = await startTestRuntime();
  const [store] = await t.runtime.db
    .insert(stores)
    .values({ shopDomain: 'restage.myshopify.com', name: 'restage', accessToken: 'x' })
    .returning();
  storeId = store!.id;
  merch = await demoToken('merchandiser');
  await pullRecords(
    [1, 2, 3, 4].flatMap((n) => productRecords(n)),
    true,
  );
});
afterAll(() => t?.stop());

describe('three-way staging', () => {
  it('adopting stages nothing and a pull of the same documents stages nothing', async () => {
    const result = await pullRecords([1, 2, 3, 4].flatMap((n) => productRecords(n)));
    expect(result.changeIds).toEqual([]);
    expect(await pendingChanges()).toEqual([]);
  });

  it('stages incoming, outgoing and conflicts field by field, and tells onStaged listeners', async () => {
    const heard: string[] = [];
    const off = onStaged((e) => void heard.push(...e.changeIds));
    const edit = await callRoute(productRoute.PATCH, { method: 'PATCH', params: { id: P(2) }, token: merch, body: { title: 'Ours 2' } });
    expect(edit.status).toBe(200);
    expect(edit.body.staged).toHaveLength(1);
    expect(edit.body.staged[0]).toMatchObject({
      kind: 'outgoing',
      entity: 'product',
      fields: [{ name: 'title', base: 'Shirt 2', local: 'Ours 2', remote: 'Shirt 2' }],
    });
    const both = await callRoute(productRoute.PATCH, {
      method: 'PATCH',
      params: { id: P(3) },
      token: merch,
      body: { variants: [{ id: V(3), price: '12.5' }] },
    });
    expect(both.status).toBe(200);

    const result = await pullRecords([
      ...productRecords(1, { title: 'Theirs 1' }),
      ...productRecords(2),
      ...productRecords(3, { price: '13.00' }),
      ...productRecords(4),
    ]);
    off();
    const changes = await pendingChanges();
    expect(changes.map((c) => [c.entity_key, c.kind])).toEqual([
      [P(1), 'incoming'],
      [P(2), 'outgoing'],
      [V(3), 'conflict'],
    ]);
    expect(changes[2]!.fields).toEqual([{ name: 'price', base: '10.00', local: '12.50', remote: '13.00' }]);
    expect(result.counts).toMatchObject({ incoming: 1, conflict: 1 });
    // the edit of P2, the edit of V3 (then superseded by the conflict), the incoming title, the conflict
    expect(heard.length).toBe(4);
  });

  it('re-staging is idempotent and a change that went away is superseded', async () => {
    const before = await pendingChanges();
    await pullRecords([
      ...productRecords(1, { title: 'Theirs 1' }),
      ...productRecords(2),
      ...productRecords(3, { price: '13.00' }),
      ...productRecords(4),
    ]);
    expect(await pendingChanges()).toEqual(before);
    // Shopify's title goes back to base: the incoming change is superseded; the conflict converges when both say 12.50.
    await pullRecords([...productRecords(1), ...productRecords(2), ...productRecords(3, { price: '12.50' }), ...productRecords(4)]);
    const after = await pendingChanges();
    expect(after.map((c) => [c.entity_key, c.kind])).toEqual([[P(2), 'outgoing']]);
    const superseded = await queryRows<{ n: number }>(
      t.runtime.db,
      sql`select count(*)::int as n from staged_changes where status = 'superseded'`,
    );
    expect(superseded[0]!.n).toBe(3);
  });

  it('stages a product deleted in Shopify as one delete, and one created there as one create', async () => {
    await pullRecords([...productRecords(1), ...productRecords(2), ...productRecords(3, { price: '12.50' }), ...productRecords(5)]);
    const changes = await pendingChanges();
    expect(changes.filter((c) => c.op !== 'update').map((c) => [c.entity_key, c.kind, c.op])).toEqual([
      [P(4), 'incoming', 'delete'],
      [P(5), 'incoming', 'create'],
    ]);
  });

  it('lists staged changes with filters, counts per kind and detail', async () => {
    const list = await callRoute(stagedRoute.GET, { path: '/api/sync/staged?limit=1', token: merch });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(3);
    expect(list.body.counts).toMatchObject({ incoming: 2, outgoing: 1, conflict: 0 });
    expect(list.body.items).toHaveLength(1);
    const next = await callRoute(stagedRoute.GET, { path: `/api/sync/staged?limit=5&cursor=${list.body.nextCursor}`, token: merch });
    expect(next.body.items).toHaveLength(2);
    const outgoing = await callRoute(stagedRoute.GET, { path: '/api/sync/staged?kind=outgoing&q=ours', token: merch });
    expect(outgoing.body.items.map((i: { entityId: string }) => i.entityId)).toEqual([P(2)]);
    expect(outgoing.body.counts).toMatchObject({ incoming: 0, outgoing: 1 });
    const kindCounts = await callRoute(stagedRoute.GET, { path: '/api/sync/staged?kind=outgoing', token: merch });
    expect(kindCounts.body.counts).toMatchObject({ incoming: 2, outgoing: 1, conflict: 0, all: 3 });
    const byField = await callRoute(stagedRoute.GET, { path: '/api/sync/staged?field=title', token: merch });
    expect(byField.body.total).toBe(3); // the title edit, and the create and delete (whole documents)
    const byPrice = await callRoute(stagedRoute.GET, { path: '/api/sync/staged?field=price&entity=variant', token: merch });
    expect(byPrice.body.total).toBe(0);
    const one = await callRoute(stagedOneRoute.GET, { params: { id: outgoing.body.items[0].id }, token: merch });
    expect(one.body.fields[0]).toMatchObject({ name: 'title', label: 'Title', local: 'Ours 2' });
    expect(one.body.product).toMatchObject({ shopifyId: P(2), title: 'Ours 2', variants: [{ sku: 'SKU-2' }] });
    expect(one.body.related).toEqual([]);
    const bad = await callRoute(stagedRoute.GET, { path: '/api/sync/staged?kind=sideways', token: merch });
    expect(bad.status).toBe(400);
  });

  it('lists products with their sync status', async () => {
    const all = await callRoute(productsRoute.GET, { path: '/api/products', token: merch });
    expect(all.status).toBe(200);
    const status = Object.fromEntries(all.body.items.map((p: { shopifyId: string; syncStatus: string }) => [p.shopifyId, p.syncStatus]));
    expect(status).toEqual({ [P(1)]: 'synced', [P(2)]: 'pending', [P(3)]: 'synced', [P(4)]: 'pending', [P(5)]: 'pending' });
    const pending = await callRoute(productsRoute.GET, { path: '/api/products?syncStatus=pending&q=shirt', token: merch });
    expect(pending.body.total).toBe(3);
    expect(all.body.items.find((p: { shopifyId: string }) => p.shopifyId === P(1)).variants[0]).toMatchObject({
      sku: 'SKU-1',
      price: '10.00',
    });
  });

  it('refuses invalid local edits with the reason and changes nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ variants: [{ id: V(1), price: '-1' }] }, 'variants.0.price'],
      [{ variants: [{ id: V(1), price: '1.234' }] }, 'variants.0.price'],
      [{ status: 'LIVE' }, 'status'],
      [{ handle: 'Not A Handle' }, 'handle'],
      [{ variants: [{ id: V(1), sku: 'x'.repeat(256) }] }, 'variants.0.sku'],
      [{ variants: [{ id: V(2), price: '1' }] }, 'variants.0.id'],
      [{ colour: 'red' }, ''],
      [{}, ''],
    ];
    for (const [body, path] of cases) {
      const res = await callRoute(productRoute.PATCH, { method: 'PATCH', params: { id: P(1) }, token: merch, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toContain(path);
    }
    const support = await callRoute(productRoute.PATCH, {
      method: 'PATCH',
      params: { id: P(1) },
      token: await demoToken('support'),
      body: { title: 'x' },
    });
    expect(support.status).toBe(403);
    const missing = await callRoute(productRoute.PATCH, { method: 'PATCH', params: { id: P(99) }, token: merch, body: { title: 'x' } });
    expect(missing.status).toBe(404);
    const rows = await queryRows<{ n: number }>(
      t.runtime.db,
      sql`select count(*)::int as n from catalog_entities where local->>'title' = 'x' or local->>'price' = '1.00'`,
    );
    expect(rows[0]!.n).toBe(0);
  });
});
