import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntities, stagedChanges } from '../../drizzle/schema';
import { createShopifyClient, type ShopifyProduct } from '../../lib/shopify';
import { productOptionIdsQuery, productOptionsReorderMutation, productOptionUpdateMutation } from '../../lib/shopify/documents';
import type { ProductOption } from '../../lib/sync/options';
import { patchProduct, productPatchSchema } from '../../server/ingest/edits';
import { approveChange } from '../../server/review/decisions';
import { receiver, waitFor } from '../helpers/emulator';
import { catalogSnapshot, type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * Product options (lib/sync/options.ts): one synced product field holding option names and values
 * in order. Renames and reorders travel like any field; the variants follow the product in Shopify
 * (their selectedOptions and titles), so a rename is one product change, never one per variant.
 */
let env: PushEnv;
beforeAll(async () => {
  env = await startPushEnv({ products: 8 });
}, 120_000);
afterAll(() => env?.stop());

const merchant = () =>
  createShopifyClient({ shopDomain: env.emulator.shopDomain, accessToken: env.emulator.merchantToken, adminUrl: env.emulator.adminUrl });

/** A product with two options, the first with at least two values. */
async function productWithTwoOptions(): Promise<ShopifyProduct> {
  const all = [...(await catalogSnapshot(env.shopify)).values()].sort((a, b) => a.id.localeCompare(b.id));
  const found = all.find((p) => p.options.length >= 2 && p.options[0]!.values.length >= 2 && p.options[1]!.values.length >= 2);
  if (!found) throw new Error('the seeded catalog has no product with two options of two values');
  return found;
}

const reread = async (id: string) => (await catalogSnapshot(env.shopify)).get(id)!;

async function openChanges() {
  return env.t.runtime.db
    .select()
    .from(stagedChanges)
    .where(and(eq(stagedChanges.storeId, env.store.id), inArray(stagedChanges.status, ['pending', 'approved', 'queued', 'applying'])));
}

async function editAndPush(productId: string, options: ProductOption[]) {
  const db = env.t.runtime.db;
  const { result } = await patchProduct(db, env.t.runtime.hub, productId, productPatchSchema.parse({ options }));
  expect(result.changeIds).toHaveLength(1);
  const [change] = await db.select().from(stagedChanges).where(eq(stagedChanges.id, result.changeIds[0]!));
  expect(change).toMatchObject({ entity: 'product', kind: 'outgoing', entityKey: productId });
  expect(change!.fields.map((f) => f.name)).toEqual(['options']);
  await approveChange(db, change!.id, {}, { id: 'merch@example.com' });
  const logged = env.emulator.mutationLog().length;
  const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'admin@example.com' });
  expect((await env.waitForBatch(batchId)).counts).toMatchObject({ applied: 1 });
  return { batchId, mutations: env.emulator.mutationLog().slice(logged) };
}

describe('product options through pull, review, push and rollback', () => {
  it('adopts the options at the first pull, in order', async () => {
    const product = await productWithTwoOptions();
    const [row] = await env.t.runtime.db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'product'), eq(catalogEntities.key, product.id)));
    expect(row!.local!.options).toEqual(product.options);
    expect(row!.base!.options).toEqual(product.options);
  });

  it('renames an option and a value with one productOptionUpdate; the variants follow and nothing re-stages', async () => {
    const product = await productWithTwoOptions();
    const [first, second, ...rest] = product.options as [ProductOption, ProductOption, ...ProductOption[]];
    const oldValue = first.values[0]!;
    const renamed = [{ name: `${first.name} (EU)`, values: [`${oldValue} blue`, ...first.values.slice(1)] }, second, ...rest];
    const { mutations } = await editAndPush(product.id, renamed);
    expect(mutations.map((m) => m.mutation)).toEqual(['productOptionUpdate']);

    const after = await reread(product.id);
    expect(after.options).toEqual(renamed);
    const moved = product.variants.filter((v) => v.selectedOptions[0]!.value === oldValue);
    expect(moved.length).toBeGreaterThan(0);
    for (const v of after.variants.filter((x) => moved.some((m) => m.id === x.id))) {
      expect(v.selectedOptions[0]).toEqual({ name: `${first.name} (EU)`, value: `${oldValue} blue` });
      expect(v.title.startsWith(`${oldValue} blue / `)).toBe(true);
    }
    const pulled = await env.pull();
    expect(pulled.staged.changeIds).toEqual([]);
    expect(await openChanges()).toEqual([]);
    // The variants' option values are context, refreshed by the read: they name the new value.
    const [variantRow] = await env.t.runtime.db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.key, moved[0]!.id)));
    expect((variantRow!.meta as { selectedOptions: unknown[] }).selectedOptions[0]).toEqual({
      name: `${first.name} (EU)`,
      value: `${oldValue} blue`,
    });
  });

  it('reorders options and values with exactly one productOptionsReorder', async () => {
    const product = await productWithTwoOptions();
    const [first, second, ...rest] = product.options as [ProductOption, ProductOption, ...ProductOption[]];
    const reordered = [{ ...second, values: [...second.values].reverse() }, first, ...rest];
    const { mutations } = await editAndPush(product.id, reordered);
    expect(mutations.map((m) => m.mutation)).toEqual(['productOptionsReorder']);

    const after = await reread(product.id);
    expect(after.options).toEqual(reordered);
    // The variants take the new option order and sort by it: the reversed values of the new first option lead.
    expect(after.variants[0]!.selectedOptions.map((s) => s.name)).toEqual([second.name, first.name, ...rest.map((o) => o.name)]);
    expect(after.variants[0]!.selectedOptions[0]!.value).toBe(second.values.at(-1));
    expect((await env.pull()).staged.changeIds).toEqual([]);
  });

  it('stages a merchant rename as one incoming product change (no variant changes), adopted on approval', async () => {
    const db = env.t.runtime.db;
    const product = await productWithTwoOptions();
    const [first, second, ...rest] = product.options as [ProductOption, ProductOption, ...ProductOption[]];
    const theirs = [first, { name: second.name, values: second.values.map((v, i) => (i === 0 ? `${v}-ish` : v)) }, ...rest];
    await merchant().updateProduct({ id: product.id, options: theirs });

    const pulled = await env.pull();
    expect(pulled.staged.changeIds).toHaveLength(1);
    const [incoming] = await db.select().from(stagedChanges).where(eq(stagedChanges.id, pulled.staged.changeIds[0]!));
    expect(incoming).toMatchObject({ kind: 'incoming', entity: 'product', entityKey: product.id });
    expect(incoming!.fields).toEqual([{ name: 'options', base: product.options, local: product.options, remote: theirs }]);

    await approveChange(db, incoming!.id, {}, { id: 'merch@example.com' });
    const [row] = await db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'product'), eq(catalogEntities.key, product.id)));
    expect(row!.local!.options).toEqual(theirs);
    expect((await env.pull()).staged.changeIds).toEqual([]);
  });

  it('rolls back a rename: Shopify gets the names back', async () => {
    const product = await productWithTwoOptions();
    const [first, second, ...rest] = product.options as [ProductOption, ProductOption, ...ProductOption[]];
    const { batchId } = await editAndPush(product.id, [{ name: 'Finish', values: first.values }, second, ...rest]);
    expect((await reread(product.id)).options[0]!.name).toBe('Finish');

    const rollback = await env.push.rollback({ batchId, createdBy: 'admin@example.com' });
    expect((await env.waitForBatch(rollback.batchId)).counts).toMatchObject({ applied: 1 });
    expect((await reread(product.id)).options).toEqual(product.options);
    expect((await env.pull()).staged.changeIds).toEqual([]);
  });

  it('leaves a merchant rename made after approval alone: the item drifts, nothing is written over it', async () => {
    const db = env.t.runtime.db;
    const product = await productWithTwoOptions();
    const [first, ...others] = product.options as [ProductOption, ...ProductOption[]];
    const { result } = await patchProduct(
      db,
      env.t.runtime.hub,
      product.id,
      productPatchSchema.parse({ options: [{ ...first, name: 'Ours' }, ...others] }),
    );
    await approveChange(db, result.changeIds[0]!, {}, { id: 'merch@example.com' });
    const theirs = [{ ...first, name: 'Theirs' }, ...others];
    await merchant().updateProduct({ id: product.id, options: theirs });
    const logged = env.emulator.mutationLog().length;
    const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'admin@example.com' });
    expect((await env.waitForBatch(batchId)).counts).toMatchObject({ drifted: 1 });
    expect(
      env.emulator
        .mutationLog()
        .slice(logged)
        .filter((m) => m.actor === 'app'),
    ).toEqual([]);
    expect((await reread(product.id)).options).toEqual(theirs);
  });

  it("refuses a conflict's custom options that add a value (Shopify's are only renamed and reordered); a rename resolves it", async () => {
    const db = env.t.runtime.db;
    const product = await productWithTwoOptions();
    const [first, second, ...rest] = product.options as [ProductOption, ProductOption, ...ProductOption[]];
    await patchProduct(
      db,
      env.t.runtime.hub,
      product.id,
      productPatchSchema.parse({ options: [{ ...first, name: 'Ours' }, second, ...rest] }),
    );
    const theirs = [{ ...first, name: 'Theirs' }, second, ...rest];
    await merchant().updateProduct({ id: product.id, options: theirs });
    await env.pull();
    const open = (await openChanges()).filter((c) => c.entityKey === product.id);
    expect(open).toHaveLength(1);
    const [conflict] = open;
    expect(conflict).toMatchObject({ kind: 'conflict', status: 'pending' });
    const added = [{ name: 'Both', values: [...first.values, 'Extra'] }, second, ...rest];
    await expect(
      approveChange(db, conflict!.id, { resolution: { options: { value: added } } }, { id: 'merch@example.com' }),
    ).rejects.toThrow(/Options: option "Both" has \d+ value\(s\) where "Theirs" has/);

    const both = [{ name: 'Both', values: first.values }, second, ...rest];
    await approveChange(db, conflict!.id, { resolution: { options: { value: both } } }, { id: 'merch@example.com' });
    const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'admin@example.com' });
    expect((await env.waitForBatch(batchId)).counts).toMatchObject({ applied: 1 });
    expect((await reread(product.id)).options).toEqual(both);
    expect((await env.pull()).staged.changeIds).toEqual([]);
  });

  it("fires products/update with the renamed options and the variants' new values", async () => {
    const hook = await receiver('any-secret');
    try {
      await env.shopify.createWebhookSubscription({ topic: 'PRODUCTS_UPDATE', uri: hook.url });
      const product = await productWithTwoOptions();
      const [first, ...others] = product.options as [ProductOption, ...ProductOption[]];
      const renamed = { name: first.name, values: [`${first.values[0]} (new)`, ...first.values.slice(1)] };
      await merchant().updateProduct({ id: product.id, options: [renamed, ...others] });
      const hit = await waitFor(() => hook.received.find((h) => JSON.parse(h.body).admin_graphql_api_id === product.id));
      expect(hit.headers['x-shopify-topic']).toBe('products/update');
      const body = JSON.parse(hit.body);
      expect(body.options[0]).toMatchObject({ name: first.name, position: 1, values: renamed.values });
      expect(body.variants.map((v: { option1: string }) => v.option1)).toContain(renamed.values[0]);
    } finally {
      hook.server.close();
    }
  });

  it("answers Shopify's userErrors for a rename onto another option's name and a reorder that leaves an option out", async () => {
    const product = await productWithTwoOptions();
    const ids = await env.shopify.request<{ product: { options: Array<{ id: string; name: string }> } }>(productOptionIdsQuery, {
      id: product.id,
    });
    const [a, b] = ids.data.product.options;
    const rename = await env.shopify.request<{ productOptionUpdate: { userErrors: Array<{ code: string }> } }>(
      productOptionUpdateMutation,
      {
        productId: product.id,
        option: { id: a!.id, name: b!.name },
      },
    );
    expect(rename.data.productOptionUpdate.userErrors.map((e) => e.code)).toEqual(['OPTION_ALREADY_EXISTS']);
    const reorder = await env.shopify.request<{ productOptionsReorder: { userErrors: Array<{ code: string }> } }>(
      productOptionsReorderMutation,
      { productId: product.id, options: [{ id: b!.id }] },
    );
    expect(reorder.data.productOptionsReorder.userErrors.map((e) => e.code)).toEqual(['MISSING_OPTION_NAME']);
    expect((await reread(product.id)).options).toEqual(product.options);
  });

  it('refuses options that add or drop values, and duplicate names, before anything is staged', async () => {
    const product = await productWithTwoOptions();
    const [first, second, ...rest] = product.options as [ProductOption, ProductOption, ...ProductOption[]];
    const added = [{ ...first, values: [...first.values, 'Brand new'] }, second, ...rest];
    await expect(
      patchProduct(env.t.runtime.db, env.t.runtime.hub, product.id, productPatchSchema.parse({ options: added })),
    ).rejects.toThrow(/options: option "[^"]+" has \d+ value\(s\) where/);
    const duplicate = productPatchSchema.safeParse({ options: [first, { ...second, name: first.name.toUpperCase() }, ...rest] });
    expect(duplicate.success).toBe(false);
    const four = productPatchSchema.safeParse({ options: ['A', 'B', 'C', 'D'].map((name) => ({ name, values: ['x'] })) });
    expect(four.success).toBe(false);
  });
});
