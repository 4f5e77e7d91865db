import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntities, stagedChanges, stores } from '../../drizzle/schema';
import { createShopifyClient } from '../../lib/shopify';
import { withCustomCategory } from '../../server/catalog/taxonomy';
import { patchProduct, productPatchSchema } from '../../server/ingest/edits';
import { batchItemsPage } from '../../server/push/batch-queries';
import { approveChange } from '../../server/review/decisions';
import { getStaged } from '../../server/staging/queries';
import { catalogSnapshot, type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * Variant weight and unit, and the product's category: synced fields of lib/sync/fields.ts. The
 * weight's value and unit travel as two fields that Shopify writes as one WeightInput: writing one
 * keeps the other as Shopify holds it. The category is stored as its taxonomy GID.
 */
let env: PushEnv;
beforeAll(async () => {
  env = await startPushEnv({ products: 6 });
}, 120_000);
afterAll(() => env?.stop());

const merchant = () =>
  createShopifyClient({ shopDomain: env.emulator.shopDomain, accessToken: env.emulator.merchantToken, adminUrl: env.emulator.adminUrl });

const TEES = 'gid://shopify/TaxonomyCategory/aa-1-13-8';
const TEES_NAME = 'Apparel & Accessories > Clothing > Clothing Tops > T-Shirts';
/** Shopify's taxonomy search, for names no pull has brought (no generated product is a T-shirt). */
const search = (_storeId: string, text: string) => env.shopify.searchTaxonomyCategories(text);
const KG = { GRAMS: 'g', KILOGRAMS: 'kg', OUNCES: 'oz', POUNDS: 'lb' } as const;

describe('weight, weight unit and category through pull, review, push and rollback', () => {
  it('adopts them at the first pull, pushes master edits of one half of the weight, and rolls them back', async () => {
    const db = env.t.runtime.db;
    const before = await catalogSnapshot(env.shopify);
    const product = [...before.values()].find((p) => p.category && p.variants.length >= 2)!;
    expect(product).toBeDefined();
    const [v1, v2] = product.variants;
    const rows = await db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), inArray(catalogEntities.key, [product.id, v1!.id, v2!.id])));
    const local = new Map(rows.map((r) => [r.key, r.local]));
    expect(local.get(product.id)).toMatchObject({ category: product.category });
    expect(local.get(v1!.id)).toMatchObject({ weight: v1!.weight, weightUnit: v1!.weightUnit });
    expect(v1!.weight).not.toBeNull();

    // The weight of one variant, the unit of the other, and the product's category.
    const newUnit = v2!.weightUnit === 'OUNCES' ? 'GRAMS' : 'OUNCES';
    // The category by its full name, typed loosely: resolved to its GID through Shopify's taxonomy.
    const patch = productPatchSchema.parse({
      category: ' apparel & accessories >clothing > Clothing tops > t-shirts',
      variants: [
        { id: v1!.id, weight: '2.250' },
        { id: v2!.id, weightUnit: newUnit.toLowerCase() },
      ],
    });
    const { result } = await patchProduct(db, env.t.runtime.hub, product.id, patch, undefined, search);
    const changes = await db.select().from(stagedChanges).where(inArray(stagedChanges.id, result.changeIds));
    expect(changes.map((c) => [c.entityKey, c.fields.map((f) => f.name)]).sort()).toEqual(
      [
        [product.id, ['category']],
        [v1!.id, ['weight']],
        [v2!.id, ['weightUnit']],
      ].sort(),
    );
    expect(changes.find((c) => c.entityKey === v1!.id)!.fields[0]).toMatchObject({ local: '2.25', remote: v1!.weight });
    // Review reads the category by name and the weight with its unit; the values stay as stored.
    const categoryChange = await getStaged(db, changes.find((c) => c.entityKey === product.id)!.id);
    expect(categoryChange.fields[0]).toMatchObject({
      local: TEES,
      remote: product.category,
      display: { local: TEES_NAME, remote: product.categoryName, base: product.categoryName },
    });
    const weightChange = await getStaged(db, changes.find((c) => c.entityKey === v1!.id)!.id);
    expect(weightChange.fields[0]!.display).toMatchObject({ local: `2.25 ${KG[v1!.weightUnit!]}` });
    for (const c of changes) await approveChange(db, c.id, {}, { id: 'merch@example.com' });
    const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'admin@example.com' });
    expect((await env.waitForBatch(batchId)).counts).toMatchObject({ applied: 3 });

    const pushed = (await catalogSnapshot(env.shopify)).get(product.id)!;
    expect(pushed.category).toBe(TEES);
    expect(pushed.categoryName).toBe('Apparel & Accessories > Clothing > Clothing Tops > T-Shirts');
    expect(pushed.variants[0]).toMatchObject({ weight: '2.25', weightUnit: v1!.weightUnit });
    expect(pushed.variants[1]).toMatchObject({ weight: v2!.weight, weightUnit: newUnit });
    expect((await env.pull()).staged.changeIds).toEqual([]);
    // The batch's history reads the category's ids by name too.
    const { items } = await batchItemsPage(db, batchId, { limit: 10 });
    const categoryItem = items.find((i) => i.entityId === product.id)!;
    expect(categoryItem.valueNames).toEqual({ [TEES]: TEES_NAME, [product.category!]: product.categoryName });

    const rollback = await env.push.rollback({ batchId, createdBy: 'admin@example.com' });
    expect((await env.waitForBatch(rollback.batchId)).counts).toMatchObject({ applied: 3 });
    const restored = (await catalogSnapshot(env.shopify)).get(product.id)!;
    expect(restored.category).toBe(product.category);
    expect(restored.variants.slice(0, 2).map((v) => [v.weight, v.weightUnit])).toEqual([
      [v1!.weight, v1!.weightUnit],
      [v2!.weight, v2!.weightUnit],
    ]);
  });

  it('takes a reviewer’s custom category by the full name the app knows, as its id', async () => {
    const body = { resolution: { category: { value: ` ${TEES_NAME.toLowerCase()}` } } };
    expect(await withCustomCategory(env.t.runtime.db, body)).toEqual({ resolution: { category: { value: TEES } } });
    await expect(withCustomCategory(env.t.runtime.db, { resolution: { category: { value: 'Spacesuits' } } })).rejects.toThrow(
      /no category named "Spacesuits"/,
    );
  });

  it('refuses a category the taxonomy does not have, naming it', async () => {
    const product = [...(await catalogSnapshot(env.shopify)).values()][0]!;
    const patch = productPatchSchema.parse({ category: 'Apparel & Accessories > Spacesuits' });
    await expect(patchProduct(env.t.runtime.db, env.t.runtime.hub, product.id, patch, undefined, search)).rejects.toThrow(
      /no category named "Apparel & Accessories > Spacesuits"/,
    );
  });

  it('keeps the unit of weights pushed through a bulk mutation', async () => {
    const db = env.t.runtime.db;
    await db
      .update(stores)
      .set({ settings: { bulkThreshold: 1 } })
      .where(eq(stores.id, env.store.id));
    const products = [...(await catalogSnapshot(env.shopify)).values()].slice(3, 5);
    for (const p of products) {
      const patch = productPatchSchema.parse({ variants: [{ id: p.variants[0]!.id, weight: '7.125' }] });
      const { result } = await patchProduct(db, env.t.runtime.hub, p.id, patch);
      for (const id of result.changeIds) await approveChange(db, id, {}, { id: 'merch@example.com' });
    }
    const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'admin@example.com' });
    const batch = await env.waitForBatch(batchId);
    expect(batch).toMatchObject({ mode: 'bulk', counts: expect.objectContaining({ applied: 2 }) });
    await db.update(stores).set({ settings: {} }).where(eq(stores.id, env.store.id));
    const after = await catalogSnapshot(env.shopify);
    for (const p of products)
      expect(after.get(p.id)!.variants[0]).toMatchObject({ weight: '7.125', weightUnit: p.variants[0]!.weightUnit });
  });

  it('stages a merchant’s new unit as an incoming change of the unit alone', async () => {
    const db = env.t.runtime.db;
    const product = [...(await catalogSnapshot(env.shopify)).values()].find((p) => p.variants.length >= 1)!;
    const v = product.variants[0]!;
    const unit = v.weightUnit === 'POUNDS' ? 'KILOGRAMS' : 'POUNDS';
    await merchant().updateVariants(product.id, [{ id: v.id, weight: v.weight, weightUnit: unit }]);
    const pulled = await env.pull();
    const [incoming] = await db.select().from(stagedChanges).where(inArray(stagedChanges.id, pulled.staged.changeIds));
    expect(incoming).toMatchObject({ kind: 'incoming', entityKey: v.id });
    expect(incoming!.fields).toEqual([{ name: 'weightUnit', base: v.weightUnit, local: v.weightUnit, remote: unit }]);
  });
});
