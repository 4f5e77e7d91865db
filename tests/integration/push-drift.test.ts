import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as productRoute from '../../app/api/products/[id]/route';
import * as pushRoute from '../../app/api/sync/shopify/push/route';
import * as approveRoute from '../../app/api/sync/staged/[id]/approve/route';
import { batchItems, operations, stagedChanges } from '../../drizzle/schema';
import { callRoute, demoToken } from '../helpers/api';
import { type PushEnv, startPushEnv } from '../helpers/push-env';
import { merchantClient } from '../helpers/staging';

/**
 * Issue 12: a push item found drifted re-stages its entity at once. A price approved for the push
 * is changed by a merchant in Shopify before the push; the push leaves it alone (drifted), and the
 * conflict between the master's price and Shopify's is pending when the batch ends, without a pull.
 */
let env: PushEnv;

beforeAll(async () => {
  env = await startPushEnv({ products: 20, seed: 4 });
}, 120_000);
afterAll(() => env?.stop());

describe('a drifted push item', () => {
  it('is re-read and restaged at once: a conflict for that variant is pending when the batch ends', async () => {
    const [merch, admin] = [await demoToken('merchandiser'), await demoToken('admin')];
    const record = [...env.emulator.state.products.values()][3]!;
    const productId = `gid://shopify/Product/${record.id}`;
    const variantId = `gid://shopify/ProductVariant/${record.variantIds[0]}`;
    const before = env.emulator.state.variants.get(record.variantIds[0]!)!.price;

    const edit = await callRoute(productRoute.PATCH, {
      method: 'PATCH',
      params: { id: productId },
      token: merch,
      body: { variants: [{ id: variantId, price: '88.80' }] },
    });
    expect(edit.status).toBe(200);
    const [outgoing] = await env.t.runtime.db
      .select()
      .from(stagedChanges)
      .where(and(eq(stagedChanges.entityKey, variantId), eq(stagedChanges.status, 'pending')));
    expect(outgoing).toMatchObject({ kind: 'outgoing' });
    expect((await callRoute(approveRoute.POST, { method: 'POST', params: { id: outgoing!.id }, body: {}, token: merch })).status).toBe(200);

    // A merchant changes the same price in Shopify before the push runs.
    await merchantClient(env.emulator).updateVariants(productId, [{ id: variantId, price: '77.70' }]);

    const pulls = await env.t.runtime.db.select().from(operations).where(eq(operations.kind, 'pull'));
    const pushed = await callRoute(pushRoute.POST, { method: 'POST', body: {}, token: admin });
    expect(pushed.status).toBe(202);
    const batch = await env.waitForBatch(pushed.body.batchId);
    expect(batch.counts).toMatchObject({ total: 1, drifted: 1, applied: 0 });
    const [item] = await env.t.runtime.db.select().from(batchItems).where(eq(batchItems.batchId, batch.id));
    expect(item).toMatchObject({ status: 'drifted', observed: { price: '77.70' } });
    expect(env.emulator.state.variants.get(record.variantIds[0]!)!.price).toBe('77.70');

    const open = await env.t.runtime.db
      .select()
      .from(stagedChanges)
      .where(and(eq(stagedChanges.entityKey, variantId), eq(stagedChanges.status, 'pending')));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      kind: 'conflict',
      source: 'drift',
      fields: [{ name: 'price', base: before, local: '88.80', remote: '77.70' }],
    });
    const [drifted] = await env.t.runtime.db.select().from(stagedChanges).where(eq(stagedChanges.id, outgoing!.id));
    expect(drifted!.status).toBe('drifted');
    // Nothing pulled in between: the re-read was the push's.
    expect(await env.t.runtime.db.select().from(operations).where(eq(operations.kind, 'pull'))).toHaveLength(pulls.length);
  });
});
