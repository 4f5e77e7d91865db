import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntities, stagedChanges, stores } from '../../drizzle/schema';
import { createShopifyClient } from '../../lib/shopify';
import { metafieldKey } from '../../lib/sync/metafields';
import { patchProduct, productPatchSchema } from '../../server/ingest/edits';
import { runPull } from '../../server/ingest/pull/pull';
import { createShopifyReader } from '../../server/ingest/pull/shopify-reader';
import { approveChange } from '../../server/review/decisions';
import { type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * Variant metafields: the store's PRODUCTVARIANT definitions (the generator defines `custom.size_chart`)
 * are read by one alias each on the bulk query's variant line, and by `keys` when products are
 * re-read by id. Each value is a `metafield` entity keyed by the variant, of the variant's product.
 */
let env: PushEnv;
beforeAll(async () => {
  env = await startPushEnv({ products: 4 });
}, 120_000);
afterAll(() => env?.stop());

const db = () => env.t.runtime.db;
const merchant = () =>
  createShopifyClient({ shopDomain: env.emulator.shopDomain, accessToken: env.emulator.merchantToken, adminUrl: env.emulator.adminUrl });

/** A pull through the app's own reader (the bulk query with its metafield aliases, or nodes(ids:) by id). */
async function pull() {
  const store = await storeRow();
  const reader = createShopifyReader(db(), store, env.shopify);
  return runPull({ db: db(), logger: env.t.runtime.logger, runtime: env.t.runtime, reader }, store, 'full', null);
}

async function storeRow() {
  const [store] = await db().select().from(stores).where(eq(stores.id, env.store.id));
  return store!;
}

/** The first variant of the first product. */
async function firstVariant(): Promise<{ productKey: string; variantKey: string }> {
  const [row] = await db()
    .select({ key: catalogEntities.key, productKey: catalogEntities.productKey })
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'variant')))
    .orderBy(catalogEntities.productKey, catalogEntities.key);
  return { productKey: row!.productKey!, variantKey: row!.key };
}

async function sizeChartRow(variantKey: string) {
  const [row] = await db()
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.key, metafieldKey(variantKey, 'custom', 'size_chart'))));
  return row;
}

async function shopifySizeChart(variantKey: string) {
  const [state] = await env.shopify.getMetafieldStates([{ ownerId: variantKey, namespace: 'custom', key: 'size_chart' }]);
  return state ? { type: state.type, value: state.value } : undefined;
}

async function editAndPush(productKey: string, variantKey: string, value: string | null) {
  const patch = productPatchSchema.parse({
    variants: [{ id: variantKey, metafields: [{ namespace: 'custom', key: 'size_chart', value }] }],
  });
  const { result } = await patchProduct(db(), env.t.runtime.hub, productKey, patch);
  for (const id of result.changeIds) await approveChange(db(), id, {}, { id: 'merch@example.com' });
  const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'admin@example.com' });
  return env.waitForBatch(batchId);
}

describe('variant metafields through pull, review, push and rollback', () => {
  it("reads a variant's defined metafield in the full pull, as a row of its product keyed by the variant", async () => {
    const { productKey, variantKey } = await firstVariant();
    await merchant().setMetafields([
      { ownerId: variantKey, namespace: 'custom', key: 'size_chart', type: 'single_line_text_field', value: 'EU 38-40' },
    ]);
    const pulled = await pull();
    const row = await sizeChartRow(variantKey);
    expect(row).toMatchObject({
      entity: 'metafield',
      productKey,
      remote: { value: { type: 'single_line_text_field', value: 'EU 38-40' } },
      meta: { ownerId: variantKey, namespace: 'custom', key: 'size_chart' },
    });
    const [change] = await db().select().from(stagedChanges).where(eq(stagedChanges.entityKey, row!.key));
    expect(pulled.staged.changeIds).toContain(change!.id);
    expect(change).toMatchObject({ kind: 'incoming', entity: 'metafield', productKey });
  });

  it('pushes a master edit of it exactly (PATCH variants[].metafields), and the next pulls, full and by id, stage nothing', async () => {
    const { productKey, variantKey } = await firstVariant();
    // The incoming value of the previous test is taken first, so the edit starts from what Shopify holds.
    for (const c of await db().select().from(stagedChanges).where(eq(stagedChanges.status, 'pending'))) {
      await approveChange(db(), c.id, {}, { id: 'merch@example.com' });
    }
    const batch = await editAndPush(productKey, variantKey, 'EU 40-42');
    expect(batch.counts).toMatchObject({ applied: 1, failed: 0, drifted: 0 });
    expect(await shopifySizeChart(variantKey)).toEqual({ type: 'single_line_text_field', value: 'EU 40-42' });
    expect((await pull()).staged.changeIds).toEqual([]);
    // A re-read by id (nodes(ids:), the variant's metafields by keys: incremental pull, webhook) reads the same row.
    const reread = await createShopifyReader(db(), await storeRow(), env.shopify).products([productKey]);
    expect(reread.filter((r) => r.entity === 'metafield' && r.key.startsWith(`${variantKey}|`))).toEqual([
      expect.objectContaining({
        key: metafieldKey(variantKey, 'custom', 'size_chart'),
        doc: { value: { type: 'single_line_text_field', value: 'EU 40-42' } },
      }),
    ]);
  });

  it('rolls the push back to the value before it', async () => {
    const { productKey, variantKey } = await firstVariant();
    const batch = await editAndPush(productKey, variantKey, 'One size');
    expect(await shopifySizeChart(variantKey)).toEqual({ type: 'single_line_text_field', value: 'One size' });
    const rollback = await env.push.rollback({ batchId: batch.id, createdBy: 'support@example.com' });
    expect((await env.waitForBatch(rollback.batchId)).counts).toMatchObject({ applied: 1 });
    expect(await shopifySizeChart(variantKey)).toEqual({ type: 'single_line_text_field', value: 'EU 40-42' });
  });

  it("stages a merchant's edit of it as an incoming change", async () => {
    const { variantKey } = await firstVariant();
    await pull();
    await merchant().setMetafields([
      { ownerId: variantKey, namespace: 'custom', key: 'size_chart', type: 'single_line_text_field', value: 'US 8' },
    ]);
    const pulled = await pull();
    const [change] = await db().select().from(stagedChanges).where(eq(stagedChanges.id, pulled.staged.changeIds[0]!));
    expect(pulled.staged.changeIds).toHaveLength(1);
    expect(change).toMatchObject({ kind: 'incoming', entity: 'metafield', entityKey: metafieldKey(variantKey, 'custom', 'size_chart') });
    expect(change!.fields[0]).toMatchObject({ name: 'value', remote: { type: 'single_line_text_field', value: 'US 8' } });
  });

  it('refuses a variant metafield edit naming the variant and the metafield', async () => {
    const { productKey, variantKey } = await firstVariant();
    const patch = productPatchSchema.parse({
      variants: [{ id: variantKey, metafields: [{ namespace: 'custom', key: 'size_chart', type: 'number_integer', value: '3' }] }],
    });
    await expect(patchProduct(db(), env.t.runtime.hub, productKey, patch)).rejects.toThrow('variants.0.metafields.0.type');
  });
});
