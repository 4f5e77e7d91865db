import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchItems, catalogEntities, stagedChanges } from '../../drizzle/schema';
import { createShopifyClient } from '../../lib/shopify';
import { listChange, metafieldKey } from '../../lib/sync/metafields';
import { productsCsv } from '../../server/catalog/product-csv';
import { getProduct } from '../../server/catalog/products';
import { patchProduct, productPatchSchema } from '../../server/ingest/edits';
import { runImport } from '../../server/ingest/imports/service';
import { approveChange } from '../../server/review/decisions';
import { getStaged } from '../../server/staging/queries';
import { Sheet } from '../helpers/product-csv-fixtures';
import { type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * Product metafields: each value is a `metafield` entity of its product, with one field `value`
 * holding {type, value}. They travel like any synced field: adopted at the first pull, edited in the
 * master (validated by type), reviewed, pushed with metafieldsSet / metafieldsDelete, rolled back,
 * and a merchant's edit comes back as an incoming change.
 */
let env: PushEnv;
beforeAll(async () => {
  env = await startPushEnv({ products: 6 });
}, 120_000);
afterAll(() => env?.stop());

const merchant = () =>
  createShopifyClient({ shopDomain: env.emulator.shopDomain, accessToken: env.emulator.merchantToken, adminUrl: env.emulator.adminUrl });

const db = () => env.t.runtime.db;

async function metafieldRows(productKey: string) {
  return db()
    .select()
    .from(catalogEntities)
    .where(
      and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'metafield'), eq(catalogEntities.productKey, productKey)),
    );
}

/** The first product of the catalog (the generator gives metafields to every other product, the first among them). */
async function firstProduct(): Promise<string> {
  const rows = await db()
    .select({ key: catalogEntities.key })
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'product')))
    .orderBy(catalogEntities.key);
  return rows[0]!.key;
}

/** Edits, approves every staged change and pushes; answers the batch. */
async function editAndPush(productKey: string, metafields: unknown[]) {
  const { result } = await patchProduct(db(), env.t.runtime.hub, productKey, productPatchSchema.parse({ metafields }));
  for (const id of result.changeIds) await approveChange(db(), id, {}, { id: 'merch@example.com' });
  const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'admin@example.com' });
  return { batch: await env.waitForBatch(batchId), changeIds: result.changeIds };
}

async function shopifyValues(productKey: string): Promise<Record<string, { type: string; value: string }>> {
  const refs = ['material', 'care_guide', 'weight_grams', 'rating', 'eco', 'release_date', 'spec_sheet', 'specs', 'colors'].map((key) => ({
    ownerId: productKey,
    namespace: 'custom',
    key,
  }));
  const states = await env.shopify.getMetafieldStates(refs);
  return Object.fromEntries(states.map((m) => [m.key, { type: m.type, value: m.value }]));
}

describe('product metafields through pull, review, push and rollback', () => {
  it('adopts the metafields at the first pull, typed', async () => {
    const product = await firstProduct();
    const rows = await metafieldRows(product);
    const material = rows.find((r) => r.key === metafieldKey(product, 'custom', 'material'));
    expect(material!.local).toEqual({ value: { type: 'single_line_text_field', value: 'Cotton' } });
    expect(material!.base).toEqual(material!.local);
    expect(rows.find((r) => r.key.endsWith('custom.weight_grams'))!.local).toMatchObject({ value: { type: 'number_integer' } });
  });

  it("reads the product with every definition's name and type and the master's value (none: null), for its editor", async () => {
    const product = await getProduct(db(), await firstProduct());
    const byKey = Object.fromEntries(product.metafields.map((m) => [m.key, m]));
    expect(byKey.material).toMatchObject({ namespace: 'custom', name: 'Material', type: 'single_line_text_field', value: 'Cotton' });
    expect(byKey.material!.validations).toEqual([{ name: 'max', value: '100' }]);
    expect(byKey.eco).toMatchObject({ name: 'Eco friendly', type: 'boolean', inShopify: true });
    expect(byKey.specs).toMatchObject({ type: 'json', value: { layers: 1, washable: true } });
    // Defined but without a value on this product: listed, so a person can give it one.
    expect(byKey.colors).toMatchObject({ name: 'Colors', type: 'list.single_line_text_field', value: null, inShopify: false });
    expect(product.metafields.every((m) => m.namespace === 'custom')).toBe(true);
    expect(product.metafields.map((m) => m.key)).not.toContain('size_chart');
  });

  it('pushes a master edit of each simple type exactly, and the next pull stages nothing', async () => {
    const product = await firstProduct();
    const { batch } = await editAndPush(product, [
      { namespace: 'custom', key: 'material', value: 'Organic linen' },
      { namespace: 'custom', key: 'care_guide', type: 'multi_line_text_field', value: 'Hand wash.\nDry flat.' },
      { namespace: 'custom', key: 'weight_grams', value: '0250' },
      { namespace: 'custom', key: 'rating', type: 'number_decimal', value: '4.50' },
      { namespace: 'custom', key: 'eco', value: false },
      { namespace: 'custom', key: 'release_date', value: '2027-03-01' },
      { namespace: 'custom', key: 'spec_sheet', type: 'url', value: 'https://example.com/linen.pdf' },
      { namespace: 'custom', key: 'specs', value: { washable: false, layers: 2 } },
      // No colors yet: a new value, typed by the store's definition.
      { namespace: 'custom', key: 'colors', value: ['Oat', 'Moss'] },
    ]);
    expect(batch.counts).toMatchObject({ applied: 9, failed: 0, drifted: 0 });
    expect(await shopifyValues(product)).toEqual({
      material: { type: 'single_line_text_field', value: 'Organic linen' },
      care_guide: { type: 'multi_line_text_field', value: 'Hand wash.\nDry flat.' },
      weight_grams: { type: 'number_integer', value: '250' },
      rating: { type: 'number_decimal', value: '4.5' },
      eco: { type: 'boolean', value: 'false' },
      release_date: { type: 'date', value: '2027-03-01' },
      spec_sheet: { type: 'url', value: 'https://example.com/linen.pdf' },
      specs: { type: 'json', value: '{"layers":2,"washable":false}' },
      colors: { type: 'list.single_line_text_field', value: '["Oat","Moss"]' },
    });
    const again = await env.pull();
    expect(again.staged.changeIds).toEqual([]);
  });

  it('removes a value with metafieldsDelete, and rolling the batch back writes it again', async () => {
    const product = await firstProduct();
    const before = (await shopifyValues(product)).material;
    const { batch } = await editAndPush(product, [{ namespace: 'custom', key: 'material', value: null }]);
    expect(batch.counts).toMatchObject({ applied: 1 });
    expect((await shopifyValues(product)).material).toBeUndefined();

    const rollback = await env.push.rollback({ batchId: batch.id, createdBy: 'support@example.com' });
    expect((await env.waitForBatch(rollback.batchId)).counts).toMatchObject({ applied: 1 });
    expect((await shopifyValues(product)).material).toEqual(before);
    const [item] = await db().select().from(batchItems).where(eq(batchItems.batchId, rollback.batchId));
    expect(item).toMatchObject({ entity: 'metafield', op: 'create' });
  });

  it("stages a merchant's edit as an incoming change of the value", async () => {
    const product = await firstProduct();
    await merchant().setMetafields([
      { ownerId: product, namespace: 'custom', key: 'colors', type: 'list.single_line_text_field', value: '["Oat","Rust"]' },
    ]);
    const pulled = await env.pull();
    const [change] = await db().select().from(stagedChanges).where(eq(stagedChanges.id, pulled.staged.changeIds[0]!));
    expect(change).toMatchObject({ kind: 'incoming', entity: 'metafield', entityKey: metafieldKey(product, 'custom', 'colors') });
    const field = change!.fields[0]!;
    expect(field).toMatchObject({ name: 'value', remote: { type: 'list.single_line_text_field', value: ['Oat', 'Rust'] } });
    const shown = await getStaged(db(), change!.id);
    expect(shown).toMatchObject({ metafieldName: 'Colors', fields: [{ name: 'value', label: 'Colors' }] });
    expect(listChange((field.base as { value: unknown }).value, (field.remote as { value: unknown }).value)).toEqual({
      added: ['Rust'],
      removed: ['Moss'],
    });
  });

  it('leaves a value the merchant changed after approval as Shopify has it (drifted), and does not write it', async () => {
    const product = await firstProduct();
    const { result } = await patchProduct(
      db(),
      env.t.runtime.hub,
      product,
      productPatchSchema.parse({ metafields: [{ namespace: 'custom', key: 'material', value: 'Hemp' }] }),
    );
    await approveChange(db(), result.changeIds[0]!, {}, { id: 'merch@example.com' });
    await merchant().setMetafields([
      { ownerId: product, namespace: 'custom', key: 'material', type: 'single_line_text_field', value: 'Wool' },
    ]);
    const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'admin@example.com' });
    expect((await env.waitForBatch(batchId)).counts).toMatchObject({ drifted: 1, applied: 0 });
    expect((await shopifyValues(product)).material).toEqual({ type: 'single_line_text_field', value: 'Wool' });
  });

  it('exports metafield columns as Shopify names them; the unedited export imports as nothing, an edited cell as exactly that', async () => {
    let text = '';
    for await (const chunk of productsCsv(db(), env.store.id, {})) text += chunk;
    const sheet = new Sheet(text);
    expect(sheet.headers).toEqual(
      expect.arrayContaining(['Material (product.metafields.custom.material)', 'Colors (product.metafields.custom.colors)']),
    );
    const product = await firstProduct();
    const [handleRow] = await db()
      .select({ local: catalogEntities.local })
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'product'), eq(catalogEntities.key, product)));
    const row = sheet.of(String(handleRow!.local!.handle))[0]!;
    expect(row['Colors (product.metafields.custom.colors)']).toBe('Oat; Moss');
    const run = (csv: string, commit: boolean) =>
      runImport(env.t.runtime, {
        storeId: env.store.id,
        filename: 'products.csv',
        bytes: new TextEncoder().encode(csv),
        commit,
        startedBy: 'merch@example.com',
      });
    // This test's pull reads no collections, so the export has no collection handles to write back.
    sheet.headers = sheet.headers.filter((h) => h !== 'Custom Collections');
    const unedited = await run(sheet.text(), false);
    expect(unedited.counts).toMatchObject({ errors: 0, changes: 0 });

    row['Colors (product.metafields.custom.colors)'] = 'Oat; Moss; Sage';
    row['Weight (g) (product.metafields.custom.weight_grams)'] = 'heavy';
    const refused = await run(sheet.text(), false);
    expect(refused.rowErrors[0]).toMatchObject({
      column: 'Weight (g) (product.metafields.custom.weight_grams)',
      reason: expect.stringContaining('must be a whole number'),
    });
    row['Weight (g) (product.metafields.custom.weight_grams)'] = '300';
    const edited = await run(sheet.text(), true);
    expect(edited.counts).toMatchObject({ errors: 0, changes: 2 });
    expect((edited as unknown as { changes: Array<{ field: string }> }).changes.map((c) => c.field).sort()).toEqual([
      'custom.colors',
      'custom.weight_grams',
    ]);
    const rows = await metafieldRows(product);
    expect(rows.find((r) => r.key.endsWith('custom.colors'))!.local).toEqual({
      value: { type: 'list.single_line_text_field', value: ['Oat', 'Moss', 'Sage'] },
    });
    expect(rows.find((r) => r.key.endsWith('custom.weight_grams'))!.local).toEqual({ value: { type: 'number_integer', value: '300' } });
  });

  it('refuses an invalid value at edit, naming the metafield and its type', async () => {
    const product = await firstProduct();
    const patch = productPatchSchema.parse({ metafields: [{ namespace: 'custom', key: 'weight_grams', value: 'heavy' }] });
    await expect(patchProduct(db(), env.t.runtime.hub, product, patch)).rejects.toThrow(
      'metafields.0.value: metafield "Weight (g)" (custom.weight_grams) must be a whole number (type number_integer)',
    );
    const tooHigh = productPatchSchema.parse({ metafields: [{ namespace: 'custom', key: 'rating', value: '7' }] });
    await expect(patchProduct(db(), env.t.runtime.hub, product, tooHigh)).rejects.toThrow(
      'metafield "Rating" (custom.rating) must be at most 5 (type number_decimal)',
    );
    const unknown = productPatchSchema.parse({ metafields: [{ namespace: 'custom', key: 'nothing_here', value: 'x' }] });
    await expect(patchProduct(db(), env.t.runtime.hub, product, unknown)).rejects.toThrow(
      'metafield custom.nothing_here has no definition and no value yet: give its type',
    );
  });
});
