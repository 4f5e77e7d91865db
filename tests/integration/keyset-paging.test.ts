import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as collectionProductsRoute from '../../app/api/collections/[id]/products/route';
import * as collectionsRoute from '../../app/api/collections/route';
import * as operationsRoute from '../../app/api/operations/route';
import * as productsRoute from '../../app/api/products/route';
import * as batchRoute from '../../app/api/sync/batches/[id]/route';
import * as batchesRoute from '../../app/api/sync/batches/route';
import * as activityRoute from '../../app/api/sync/recent-activity/route';
import * as stagedRoute from '../../app/api/sync/staged/route';
import { auditLog, batches, batchItems, operations, type Store } from '../../drizzle/schema';
import type { RouteHandler } from '../../server/http/route';
import { type CallResult, callRoute, demoToken } from '../helpers/api';
import { createStore, product, seedEntities, stageAll } from '../helpers/push-fixtures';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * Every list pages by (sort key, id). Timestamps are microseconds in Postgres; rows that share a
 * millisecond (distinct microseconds, or the very same instant) must each appear exactly once
 * however small the page.
 */

const INSTANTS = [
  '2026-03-01 10:00:00.122+00',
  '2026-03-01 10:00:00.123001+00',
  '2026-03-01 10:00:00.123002+00',
  '2026-03-01 10:00:00.123003+00',
  '2026-03-01 10:00:00.123004+00',
  '2026-03-01 10:00:00.123004+00',
  '2026-03-01 10:00:00.123004+00',
  '2026-03-01 10:00:00.123999+00',
  '2026-03-01 10:00:00.124+00',
];
const at = (i: number) => sql`${INSTANTS[i % INSTANTS.length]!}::timestamptz`;
const P = (n: number) => `gid://shopify/Product/${n}`;
const C = 'gid://shopify/Collection/1';

let t: TestRuntime;
let store: Store;
let token: string;
let batchId: string;

beforeAll(async () => {
  t = await startTestRuntime();
  store = await createStore(t.runtime.db);
  token = await demoToken('admin');
  const db = t.runtime.db;
  await db
    .insert(batches)
    .values(INSTANTS.map((_, i) => ({ storeId: store.id, kind: 'push' as const, createdBy: 'mia', createdAt: at(i) })));
  const [batch] = await db.select({ id: batches.id }).from(batches).limit(1);
  batchId = batch!.id;
  await db.insert(batchItems).values(
    INSTANTS.map((_, i) => ({
      batchId,
      storeId: store.id,
      side: 'shopify' as const,
      entity: 'product' as const,
      entityKey: P(i),
      idempotencyKey: `csd-test-${i}`,
    })),
  );
  await db
    .insert(operations)
    .values(INSTANTS.map((_, i) => ({ kind: 'pull' as const, startedBy: 'mia', title: `Pull ${i}`, createdAt: at(i) })));
  await db.insert(auditLog).values(INSTANTS.map((_, i) => ({ actorId: 'mia', action: 'test.page', at: at(i) })));
  // Products (and the collection's members) that share one title: the id alone orders them.
  await seedEntities(db, store.id, [
    ...INSTANTS.map((_, i) => {
      const doc = product(i, { title: 'Same title' });
      return { entity: 'product' as const, key: P(i), local: { ...doc, vendor: 'Edited' }, base: doc, remote: doc };
    }),
    ...[1, 2, 3].map((n) => {
      const doc = { title: 'Same collection', handle: `same-${n}`, descriptionHtml: '' };
      return { entity: 'collection' as const, key: `gid://shopify/Collection/${n}`, productKey: null, local: doc, base: doc, remote: doc };
    }),
    ...INSTANTS.map((_, i) => ({
      entity: 'membership' as const,
      key: `${C}|${P(i)}`,
      productKey: P(i),
      local: { member: true },
      base: { member: true },
      remote: { member: true },
    })),
  ]);
  const staged = await stageAll(db, store.id);
  for (const [i, change] of staged.entries()) {
    await db.execute(sql`update staged_changes set updated_at = ${at(i)} where id = ${change.id}`);
  }
});
afterAll(() => t?.stop());

/** Follows nextCursor to the end; the ids in the order the pages gave them. */
async function pageThrough(handler: RouteHandler, path: string, limit: number, params?: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const sep = path.includes('?') ? '&' : '?';
    const res: CallResult = await callRoute(handler, {
      path: `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      params,
      token,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    ids.push(...res.body.items.map((item: { id: string | number }) => String(item.id)));
    cursor = res.body.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error(`${path} did not end in 100 pages`);
}

async function expectEachOnce(handler: RouteHandler, path: string, expected: number, params?: Record<string, string>): Promise<void> {
  const whole = await pageThrough(handler, path, 200, params);
  expect(whole).toHaveLength(expected);
  expect(new Set(whole).size).toBe(expected);
  for (const limit of [1, 2, 3]) {
    expect(await pageThrough(handler, path, limit, params), `pages of ${limit}`).toEqual(whole);
  }
}

describe('keyset pages', () => {
  it('batches sharing a millisecond are each listed once', () => expectEachOnce(batchesRoute.GET, '/api/sync/batches', INSTANTS.length));

  it('operations sharing a millisecond are each listed once', () =>
    expectEachOnce(operationsRoute.GET, '/api/operations', INSTANTS.length));

  it('staged changes updated in the same millisecond are each listed once', () =>
    expectEachOnce(stagedRoute.GET, `/api/sync/staged?storeId=${store.id}`, INSTANTS.length));

  it('audit entries written at the same instant are each listed once', () =>
    expectEachOnce(activityRoute.GET, '/api/sync/recent-activity?actorId=mia', INSTANTS.length));

  it('products, collections and a collection’s products that share a title are each listed once', async () => {
    await expectEachOnce(productsRoute.GET, `/api/products?storeId=${store.id}`, INSTANTS.length);
    await expectEachOnce(collectionsRoute.GET, `/api/collections?storeId=${store.id}`, 3);
    await expectEachOnce(collectionProductsRoute.GET, `/api/collections/${encodeURIComponent(C)}/products`, INSTANTS.length, { id: C });
  });

  it('items of a batch are each listed once', () =>
    expectEachOnce(batchRoute.GET, `/api/sync/batches/${batchId}`, INSTANTS.length, { id: batchId }));

  it('refuses a cursor it did not make (400 validation:cursor)', async () => {
    const forged = [
      'not-a-cursor',
      Buffer.from('["2026-02-30 10:00:00+00","00000000-0000-4000-8000-000000000000"]').toString('base64url'),
      Buffer.from('["2026-03-01 10:00:00+00","x"]').toString('base64url'),
    ];
    for (const cursor of forged) {
      for (const [handler, path] of [
        [batchesRoute.GET, '/api/sync/batches'],
        [operationsRoute.GET, '/api/operations'],
        [stagedRoute.GET, '/api/sync/staged'],
      ] as const) {
        const res: CallResult = await callRoute(handler, { path: `${path}?cursor=${cursor}`, token });
        expect(res.status, `${path} ${cursor}`).toBe(400);
        expect(res.body.error.code).toBe('validation:cursor');
      }
    }
  });
});
