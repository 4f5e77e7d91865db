import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as batchRoute from '../../app/api/sync/batches/[id]/route';
import * as previewRoute from '../../app/api/sync/rollback/[batchId]/preview/route';
import * as rollbackRoute from '../../app/api/sync/rollback/[batchId]/route';
import { batches, batchItems, type CatalogEntity, catalogEntities, type NewBatchItem } from '../../drizzle/schema';
import { normalizeDecimal } from '../../lib/sync/fields';
import { callRoute, demoToken } from '../helpers/api';
import { type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * Rollback at the edges of issue 12: one live rollback per source item under concurrent requests,
 * the source batch's counts following, a batch's items paged to the end, and a preview of 1,000
 * items read from Shopify in a few batched requests, named by product and variant.
 */
let env: PushEnv;
let support: string;
let admin: string;
let rows: CatalogEntity[];

beforeAll(async () => {
  env = await startPushEnv({ products: 300, seed: 5 });
  support = await demoToken('support');
  admin = await demoToken('admin');
  rows = await env.t.runtime.db
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, env.store.id), isNotNull(catalogEntities.remote)))
    .orderBy(catalogEntities.entity, catalogEntities.key);
}, 120_000);
afterAll(() => env?.stop());

const bump = (price: unknown) => normalizeDecimal((Number(price) + 1).toFixed(2))!;

/** What a push that wrote Shopify's current values would have left: applied items, `after` = Shopify now. */
function pushedItem(batchId: string, row: CatalogEntity): NewBatchItem {
  const id = randomUUID();
  const after =
    row.entity === 'variant'
      ? { price: row.remote!.price }
      : row.entity === 'inventory_level'
        ? { available: row.remote!.available }
        : { title: row.remote!.title };
  const before =
    row.entity === 'variant'
      ? { price: bump(row.remote!.price) }
      : row.entity === 'inventory_level'
        ? { available: Number(row.remote!.available) + 3 }
        : { title: `${row.remote!.title} (before)` };
  return {
    id,
    batchId,
    storeId: env.store.id,
    side: 'shopify',
    entity: row.entity,
    entityKey: row.key,
    productKey: row.productKey,
    op: 'update',
    status: 'applied',
    before,
    target: after,
    after,
    idempotencyKey: `csd-${id}`,
  };
}

async function pushedBatch(of: CatalogEntity[]): Promise<string> {
  const [batch] = await env.t.runtime.db
    .insert(batches)
    .values({
      storeId: env.store.id,
      kind: 'push',
      status: 'completed',
      createdBy: 'test',
      counts: { total: of.length, applied: of.length, failed: 0, drifted: 0, cancelled: 0, dead: 0, rolledBack: 0 },
    })
    .returning();
  const items = of.map((r) => pushedItem(batch!.id, r));
  for (let i = 0; i < items.length; i += 500) await env.t.runtime.db.insert(batchItems).values(items.slice(i, i + 500));
  return batch!.id;
}

const of = (entity: string) => rows.filter((r) => r.entity === entity);

describe('rollback', () => {
  it('previews 1,000 items with product and variant names, from a few batched reads of Shopify', async () => {
    const chosen = [...of('product').slice(0, 150), ...of('variant').slice(0, 450), ...of('inventory_level').slice(0, 400)];
    expect(chosen).toHaveLength(1000);
    const batchId = await pushedBatch(chosen);
    const moved = of('variant')[0]!;
    await env.shopify.updateVariants(moved.productKey!, [{ id: moved.key, price: '999.00' }]);
    const bucket = (await env.t.services.shopify.forStoreId(env.store.id)).bucket;
    const requestsBefore = bucket.stats().requests;

    const started = performance.now();
    const res = await callRoute(previewRoute.GET, { path: `/api/sync/rollback/${batchId}/preview`, params: { batchId }, token: support });
    console.log(`rollback preview of 1,000 items: ${Math.round(performance.now() - started)} ms`);
    expect(res.status).toBe(200);
    expect(res.body.restore).toHaveLength(999);
    expect(res.body.skipped).toEqual([
      expect.objectContaining({ entityId: moved.key, reason: expect.stringMatching(/no longer holds/), observed: { price: '999.00' } }),
    ]);
    const lines = [...res.body.restore, ...res.body.skipped] as Array<{ entity: string; productTitle: string; entityLabel: string }>;
    for (const line of lines) expect(line.productTitle, JSON.stringify(line)).toEqual(expect.any(String));
    const variant = lines.find((l) => l.entity === 'variant')!;
    const meta = of('variant').find((r) => r.key === (variant as unknown as { entityId: string }).entityId)!.meta;
    expect(variant.entityLabel).toBe(`Variant: ${meta.title}`);
    const level = lines.find((l) => l.entity === 'inventory_level') as unknown as { entityId: string; entityLabel: string };
    const levelVariant = of('variant').find((r) => r.key === of('inventory_level').find((l) => l.key === level.entityId)!.meta.variantId)!;
    expect(level.entityLabel.startsWith(`Inventory: ${levelVariant.meta.title} at `)).toBe(true);
    const requests = bucket.stats().requests - requestsBefore;
    console.log(`rollback preview of 1,000 items: ${requests} Shopify requests`);
    expect(requests).toBeLessThanOrEqual(10);
  });

  it('3 concurrent rollbacks of one batch make 1 rollback batch; the other two answer 409 naming it', async () => {
    const chosen = of('variant').slice(500, 528);
    const batchId = await pushedBatch(chosen);
    // Shopify answers slowly, so the first rollback is still running when the others arrive.
    env.emulator.setFaults({ latencyMs: 400 });
    try {
      const answers = await Promise.all(
        [0, 1, 2].map(() => callRoute(rollbackRoute.POST, { method: 'POST', params: { batchId }, body: {}, token: admin })),
      );
      const accepted = answers.filter((a) => a.status === 202);
      const refused = answers.filter((a) => a.status === 409);
      expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.map((a) => a.body))).toEqual([202, 409, 409]);
      const rollbackId = accepted[0]!.body.batchId;
      for (const r of refused) {
        expect(r.body.error).toMatchObject({ code: 'conflict:rollback_running', details: { rollbackBatchId: rollbackId } });
        expect(r.body.error.message).toContain(rollbackId);
      }
      const made = await env.t.runtime.db.select().from(batches).where(eq(batches.rollbackOf, batchId));
      expect(made.map((b) => b.id)).toEqual([rollbackId]);
      const rb = await env.waitForBatch(rollbackId, 60_000);
      expect(rb.counts).toMatchObject({ total: 28, applied: 28 });
    } finally {
      env.emulator.setFaults({ latencyMs: 0 });
    }
    // The source batch's counts follow its items; a rollback of what is rolled back already is refused.
    const [source] = await env.t.runtime.db.select().from(batches).where(eq(batches.id, batchId));
    expect(source!.counts).toMatchObject({ total: 28, applied: 28, rolledBack: 28 });
    const again = await callRoute(rollbackRoute.POST, { method: 'POST', params: { batchId }, body: {}, token: admin });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict:nothing_to_roll_back');
    const items = await env.t.runtime.db
      .select()
      .from(batchItems)
      .where(inArray(batchItems.batchId, [batchId]));
    expect(items.every((i) => i.status === 'rolled_back')).toBe(true);
  }, 120_000);

  it('pages every item of a batch of 300 through the batch endpoint', async () => {
    const batchId = await pushedBatch(of('inventory_level').slice(0, 300));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await callRoute(batchRoute.GET, {
        path: `/api/sync/batches/${batchId}?limit=120${cursor ? `&cursor=${cursor}` : ''}`,
        params: { id: batchId },
        token: support,
      });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(300);
  });
});
