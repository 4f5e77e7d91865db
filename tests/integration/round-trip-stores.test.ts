import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pushRoute from '../../app/api/sync/shopify/push/route';
import * as bulkApproveRoute from '../../app/api/sync/staged/bulk-approve/route';
import { queryRows } from '../../server/db/rows';
import { callRoute, demoToken } from '../helpers/api';
import { compareSides, patchProductRoute, pendingChanges, waitForBatch } from '../helpers/round-trip';
import { startTwoStores, type TwoStoresEnv } from '../helpers/two-stores';

/**
 * The round trip per store, with two stores of one master (300 products each, the second with a
 * few of its own): master edits fan out, are approved and pushed to each store, and a full pull of
 * each then finds Shopify equal to the master and stages nothing.
 */
let env: TwoStoresEnv;
let merch: string;
let admin: string;

beforeAll(async () => {
  env = await startTwoStores({ products: 300, extra: 5, seed: 7 });
  merch = await demoToken('merchandiser');
  admin = await demoToken('admin');
}, 240_000);
afterAll(() => env?.stop());

describe('the round trip with two stores', () => {
  it('pushes master edits to both stores and pulls them back equal, per store', async () => {
    const products = await queryRows<{ key: string; handle: string }>(
      env.t.runtime.db,
      sql`select key, local->>'handle' as handle from catalog_entities where store_id = ${env.a.store.id} and entity = 'product'
           order by key limit 20`,
    );
    for (const [i, p] of products.entries()) {
      await patchProductRoute(merch, p.key, { title: `Round trip ${i}`, tags: ['two-stores', `n${i}`] });
    }
    expect((await pendingChanges(env.t.runtime.db, env.a.store.id)).length).toBe(20);
    expect((await pendingChanges(env.t.runtime.db, env.b.store.id)).length).toBe(20);
    for (const s of [env.a, env.b]) {
      const ids = (await pendingChanges(env.t.runtime.db, s.store.id)).map((c) => c.id);
      expect((await callRoute(bulkApproveRoute.POST, { token: merch, body: { ids } })).body.count).toBe(20);
      const res = await callRoute(pushRoute.POST, { token: admin, body: { storeId: s.store.id } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect((await waitForBatch(env.t.runtime.db, res.body.batchId)).counts).toMatchObject({ applied: 20, failed: 0, drifted: 0 });
    }
    for (const s of [env.a, env.b]) {
      await s.pull();
      expect(await pendingChanges(env.t.runtime.db, s.store.id)).toEqual([]);
      const { rows, unequal } = await compareSides(env.t.runtime.db, s.store.id);
      expect(rows.length).toBeGreaterThan(300);
      expect(unequal).toEqual([]);
      const titles = [...s.emulator.state.products.values()].filter((p) => p.title.startsWith('Round trip ')).map((p) => p.handle);
      expect(titles.sort()).toEqual(products.map((p) => p.handle).sort());
    }
  }, 300_000);
});
