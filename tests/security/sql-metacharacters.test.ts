import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as activityRoute from '../../app/api/sync/recent-activity/route';
import { recordAudit } from '../../server/audit/log';
import { callRoute, demoToken } from '../helpers/api';
import { discoverRoutes } from '../helpers/routes';
import { startSubsystems } from '../../server/subsystems';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * SQL metacharacters fed through every filter and search parameter of every GET route: each
 * answers 200 or a 4xx, never 500, and where the filter is exact or a search, the answer holds
 * exactly the rows whose value matches literally (a `%` matches a `%`, not everything).
 */
const META = ["'; drop table staged_changes; --", "' or '1'='1", '%', '_', '\\', '%\\_', '"', "O'Brien", 'a%b_c', 'ünïcødé 商品 🛒', '$1', '::text', '/* */', ')'];
const FILTERS = ['q', 'status', 'kind', 'entity', 'field', 'vendor', 'productType', 'syncStatus', 'cursor', 'limit', 'entityType', 'entityId', 'actorId', 'storeId', 'topic', 'windowMinutes', 'sort', 'order'];
const gets = (await discoverRoutes()).filter((r) => r.method === 'GET' && r.action && !r.file.includes('[...'));

let t: TestRuntime;
let token: string;
beforeAll(async () => {
  t = await startTestRuntime({ queue: true });
  await startSubsystems(t.runtime);
  token = await demoToken('admin');
  for (const value of [...META, 'plain', 'percent']) {
    await recordAudit(t.runtime.db, { actor: { id: 'seed' }, action: 'seed.meta', entityType: 'probe', entityId: value });
  }
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
      const res = await callRoute(activityRoute.GET, { token, path: `/api/sync/recent-activity?${new URLSearchParams({ entityType: 'probe', entityId: value, limit: '200' })}` });
      expect(res.status).toBe(200);
      expect(res.body.items.map((e: { entityId: string }) => e.entityId)).toEqual([value]);
    }
  });

  it('still has its tables after the injection attempts', async () => {
    const res = await callRoute(activityRoute.GET, { token, path: '/api/sync/recent-activity?entityType=probe&limit=200' });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBe(META.length + 2);
  });
});
