import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as productRoute from '../../app/api/products/[id]/route';
import * as pushRoute from '../../app/api/sync/shopify/push/route';
import * as approveRoute from '../../app/api/sync/staged/[id]/approve/route';
import * as rejectRoute from '../../app/api/sync/staged/[id]/reject/route';
import * as stagedRoute from '../../app/api/sync/staged/[id]/route';
import { humanPushError } from '../../components/review/change-values';
import { catalogEntities, stagedChanges } from '../../drizzle/schema';
import { callRoute, demoToken } from '../helpers/api';
import { type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * Issue 14: a push Shopify refuses names the refused field by its label, and the failed change can
 * be rejected like a pending one. The master gives product A the handle product B has in Shopify;
 * the push fails on the Handle; rejecting it discards the edit (the master takes A's handle back).
 */
let env: PushEnv;

beforeAll(async () => {
  env = await startPushEnv({ products: 4, seed: 5 });
}, 120_000);
afterAll(() => env?.stop());

describe('a push Shopify refuses', () => {
  it('says which field was refused, by its label, and the failed change is rejected through the API', async () => {
    const [merch, admin] = [await demoToken('merchandiser'), await demoToken('admin')];
    const [a, b] = [...env.emulator.state.products.values()];
    const productId = `gid://shopify/Product/${a!.id}`;
    const edit = await callRoute(productRoute.PATCH, {
      method: 'PATCH',
      params: { id: productId },
      token: merch,
      body: { handle: b!.handle },
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    const [change] = await env.t.runtime.db
      .select()
      .from(stagedChanges)
      .where(and(eq(stagedChanges.entityKey, productId), eq(stagedChanges.status, 'pending')));
    expect(change).toMatchObject({ kind: 'outgoing', fields: [{ name: 'handle' }] });
    expect((await callRoute(approveRoute.POST, { method: 'POST', params: { id: change!.id }, body: {}, token: merch })).status).toBe(200);

    const pushed = await callRoute(pushRoute.POST, { method: 'POST', body: {}, token: admin });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(202);
    const batch = await env.waitForBatch(pushed.body.batchId);
    expect(batch.counts).toMatchObject({ total: 1, failed: 1 });

    const detail = await callRoute(stagedRoute.GET, { method: 'GET', params: { id: change!.id }, token: merch });
    expect(detail.body).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Handle: /) });
    expect(humanPushError(detail.body.error, detail.body.entity)).toBe(
      'Shopify refused the Handle: the value is already used by another item.',
    );

    const reject = (token: string) =>
      callRoute(rejectRoute.POST, { method: 'POST', params: { id: change!.id }, body: { reason: 'handle taken' }, token });
    expect((await reject(await demoToken('support'))).status).toBe(403);
    const rejected = await reject(merch);
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected' });
    const [row] = await env.t.runtime.db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.entity, 'product'), eq(catalogEntities.key, productId)));
    expect(row!.local!.handle).toBe(a!.handle);
    expect(row!.base!.handle).toBe(a!.handle);
    const open = await env.t.runtime.db
      .select()
      .from(stagedChanges)
      .where(and(eq(stagedChanges.entityKey, productId), eq(stagedChanges.status, 'pending')));
    expect(open).toEqual([]);
    expect(env.emulator.state.products.get(a!.id)!.handle).toBe(a!.handle);
    // Once rejected it is decided: neither a second reject nor anything else moves it.
    expect((await reject(merch)).status).toBe(409);
  });
});
