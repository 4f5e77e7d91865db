import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as activityRoute from '../../app/api/sync/recent-activity/route';
import * as bulkRejectRoute from '../../app/api/sync/staged/bulk-reject/route';
import * as stagedRoute from '../../app/api/sync/staged/route';
import type { Store } from '../../drizzle/schema';
import { recordAudit } from '../../server/audit/log';
import { queryRows } from '../../server/db/rows';
import { startServices } from '../../server/services';
import { callRoute, demoToken } from '../helpers/api';
import { createStore, type EntitySeed, product, seedEntities, stageAll } from '../helpers/push-fixtures';
import { discoverRoutes } from '../helpers/routes';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * SQL metacharacters fed through every filter and search parameter of every GET route: each
 * answers 200 or a 4xx, never 500, and where the filter is exact or a search, the answer holds
 * exactly the rows whose value matches literally (a `%` matches a `%`, not everything): the audit
 * feed's entity filter, the staged-change search and vendor filter, and the bulk decision by filter.
 */
const META = [
  "'; drop table staged_changes; --",
  "' or '1'='1",
  '%',
  '_',
  '\\',
  '%\\_',
  '"',
  "O'Brien",
  'a%b_c',
  'ünïcødé 商品 🛒',
  '$1',
  '::text',
  '/* */',
  ')',
];
const FILTERS = [
  'q',
  'status',
  'kind',
  'entity',
  'field',
  'vendor',
  'productType',
  'syncStatus',
  'cursor',
  'limit',
  'entityType',
  'entityId',
  'actorId',
  'storeId',
  'topic',
  'windowMinutes',
  'sort',
  'order',
];
const gets = (await discoverRoutes()).filter((r) => r.method === 'GET' && r.action && !r.file.includes('[...'));

/** Products whose title and vendor carry a metacharacter, and plain ones a pattern would also match. */
const DECOYS = ['Plain item', 'Obrien hat', 'Item with x and y', 'ab c', 'one dollar 1', 'text', 'comment'];
interface Seeded {
  key: string;
  title: string;
  vendor: string;
  text: string;
}
const seeded: Seeded[] = [];

let t: TestRuntime;
let token: string;
let store: Store;
beforeAll(async () => {
  t = await startTestRuntime({ queue: true });
  await startServices(t.runtime, t.services);
  token = await demoToken('admin');
  for (const value of [...META, 'plain', 'percent']) {
    await recordAudit(t.runtime.db, { actor: { id: 'seed' }, action: 'seed.meta', entityType: 'probe', entityId: value });
  }
  store = await createStore(t.runtime.db);
  const seeds: EntitySeed[] = [...META, ...DECOYS].map((value, i) => {
    const n = 9000 + i;
    const isMeta = i < META.length;
    const base = product(n, { vendor: isMeta ? value : 'Acme', productType: 'Mug' });
    const title = isMeta ? `Item ${value} end` : value;
    const key = `gid://shopify/Product/${n}`;
    // What the search promises to look in, literally: title, handle, vendor, type and key.
    seeded.push({ key, title, vendor: String(base.vendor), text: [title, base.handle, base.vendor, base.productType, key].join(' ') });
    return { entity: 'product', key, local: { ...base, title }, base, remote: base };
  });
  await seedEntities(t.runtime.db, store.id, seeds);
  await stageAll(t.runtime.db, store.id);
});
afterAll(() => t?.stop());

describe('SQL metacharacters in filters and search', () => {
  for (const r of gets) {
    it(`GET ${r.path} answers 200 or 4xx to every metacharacter in every filter`, async () => {
      for (const name of FILTERS) {
        for (const value of META) {
          const res = await callRoute(r.handler, { token, params: r.params, path: `${r.path}?${new URLSearchParams({ [name]: value })}` });
          expect(res.status, `${name}=${value} -> ${JSON.stringify(res.body).slice(0, 200)}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.body?.error?.code, `${name}=${value}`).toEqual(expect.any(String));
        }
      }
    });
  }

  it('matches audit entities literally, whatever characters they hold', async () => {
    for (const value of [...META, 'plain']) {
      const res = await callRoute(activityRoute.GET, {
        token,
        path: `/api/sync/recent-activity?${new URLSearchParams({ entityType: 'probe', entityId: value, limit: '200' })}`,
      });
      expect(res.status).toBe(200);
      expect(res.body.items.map((e: { entityId: string }) => e.entityId)).toEqual([value]);
    }
  });

  it('searches staged changes literally: the list and a bulk decision by the same filter hold exactly the literal matches', async () => {
    for (const value of META) {
      const expected = seeded
        .filter((p) => p.text.toLowerCase().includes(value.trim().toLowerCase()))
        .map((p) => p.key)
        .sort();
      expect(expected.length, value).toBeGreaterThan(0);
      const listed = await callRoute(stagedRoute.GET, {
        token,
        path: `/api/sync/staged?${new URLSearchParams({ storeId: store.id, q: value, limit: '200' })}`,
      });
      expect(listed.status, value).toBe(200);
      expect(listed.body.items.map((c: { entityId: string }) => c.entityId).sort(), `q=${value}`).toEqual(expected);

      const reason = `metacharacters ${value}`;
      const bulk = await callRoute(bulkRejectRoute.POST, {
        method: 'POST',
        token,
        body: { filter: { storeId: store.id, q: value }, reason },
      });
      expect(bulk.status, value).toBe(200);
      const rejected = await queryRows<{ entity_key: string }>(
        t.runtime.db,
        sql`select entity_key from staged_changes where status = 'rejected' and reason = ${reason}`,
      );
      expect(rejected.map((r) => r.entity_key).sort(), `bulk q=${value}`).toEqual(expected);
      await t.runtime.db.execute(
        sql`update staged_changes set status = 'pending', reason = null, decided_by = null, decided_at = null where status = 'rejected'`,
      );
    }
  });

  it('filters staged changes by vendor exactly, whatever characters it holds', async () => {
    for (const value of META) {
      const res = await callRoute(stagedRoute.GET, {
        token,
        path: `/api/sync/staged?${new URLSearchParams({ storeId: store.id, vendor: value, limit: '200' })}`,
      });
      expect(res.status).toBe(200);
      expect(
        res.body.items.map((c: { entityId: string }) => c.entityId),
        `vendor=${value}`,
      ).toEqual(seeded.filter((p) => p.vendor === value).map((p) => p.key));
    }
  });

  it('still has its tables after the injection attempts', async () => {
    const res = await callRoute(activityRoute.GET, { token, path: '/api/sync/recent-activity?entityType=probe&limit=200' });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBe(META.length + 2);
  });
});
