import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as importsRoute from '../../app/api/imports/route';
import * as exportRoute from '../../app/api/products/export.csv/route';
import { batchItems, catalogEntities, stagedChanges } from '../../drizzle/schema';
import { createShopifyClient } from '../../lib/shopify';
import { entityKeys } from '../../lib/sync/fields';
import { patchProduct, productPatchSchema } from '../../server/ingest/edits';
import { approveChange } from '../../server/review/decisions';
import { callRoute, demoToken } from '../helpers/api';
import { Sheet } from '../helpers/product-csv-fixtures';
import { catalogSnapshot, type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * Product images (entity `media`, keyed productGid|mediaGid): alt text, position and source URL,
 * pulled with the catalog, edited in the master (alt, order, add by URL, remove), reviewed, pushed
 * with the 2026-10 mutations (fileUpdate, productReorderMedia, productUpdate media:), and rolled back.
 */
let env: PushEnv;
beforeAll(async () => {
  // The generator gives product i (0-based) 1 + i % 3 images: the third product has three.
  env = await startPushEnv({ products: 3 });
}, 120_000);
afterAll(() => env?.stop());

const merchant = () =>
  createShopifyClient({ shopDomain: env.emulator.shopDomain, accessToken: env.emulator.merchantToken, adminUrl: env.emulator.adminUrl });

async function productWithThree() {
  const products = [...(await catalogSnapshot(env.shopify)).values()];
  return products.find((p) => p.media.length === 3)!;
}

async function mediaOf(productId: string) {
  return (await env.shopify.getProductsByIds([productId]))[0]!.media;
}

/** Approves every pending media change, pushes, and answers the batch. */
async function approveAndPush() {
  const db = env.t.runtime.db;
  const pending = await db
    .select()
    .from(stagedChanges)
    .where(and(eq(stagedChanges.storeId, env.store.id), eq(stagedChanges.entity, 'media'), eq(stagedChanges.status, 'pending')));
  for (const change of pending) await approveChange(db, change.id, {}, { id: 'merch@example.com' });
  const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'admin@example.com' });
  const batch = await env.waitForBatch(batchId);
  const items = await db.select().from(batchItems).where(eq(batchItems.batchId, batchId));
  const failures = items.filter((i) => i.status !== 'applied').map((i) => `${i.entityKey}: ${i.status} ${i.error}`);
  expect(failures).toEqual([]);
  return { batch, pending };
}

const writesSince = (seq: number) => env.emulator.mutationLog().filter((m) => m.seq > seq);
const lastSeq = () => env.emulator.mutationLog().at(-1)?.seq ?? 0;

/** The batch of the add-and-remove test, rolled back by the next one. */
let addRemoveBatch: string;

describe('product images through pull, review, push and rollback', () => {
  it('adopts every image with its alt text, position and URL at the first pull', async () => {
    const product = await productWithThree();
    const rows = await env.t.runtime.db
      .select()
      .from(catalogEntities)
      .where(
        and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'media'), eq(catalogEntities.productKey, product.id)),
      );
    expect(rows).toHaveLength(3);
    for (const m of product.media) {
      const row = rows.find((r) => r.key === entityKeys.media(product.id, m.id))!;
      expect(row.local).toEqual({ alt: m.alt, position: m.position, src: m.src });
      expect(row.base).toEqual(row.local);
      expect(m.src).toMatch(/^http:\/\/.+\/__emulator\/media\/\d+\.svg$/);
    }
    const image = await fetch(product.media[0]!.src!);
    expect(image.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('pushes an alt text edit and a move exactly, and the next pull stages nothing', async () => {
    const db = env.t.runtime.db;
    const product = await productWithThree();
    const [first, second, third] = product.media;
    const patch = productPatchSchema.parse({
      media: [
        { id: third!.id, position: 1 },
        { id: first!.id, alt: 'Front, on white' },
      ],
    });
    await patchProduct(db, env.t.runtime.hub, product.id, patch);
    const seq = lastSeq();
    const { batch, pending } = await approveAndPush();
    // The move renumbers all three; the first image also changes its alt text.
    expect(pending.map((c) => c.fields.map((f) => `${f.name}:${f.base}->${f.local}`).join(',')).sort()).toEqual(
      [`position:1->2,alt:${first!.alt}->Front, on white`, 'position:2->3', 'position:3->1'].sort(),
    );
    expect(batch.counts).toMatchObject({ applied: 3 });
    const after = await mediaOf(product.id);
    expect(after.map((m) => m.id)).toEqual([third!.id, first!.id, second!.id]);
    expect(after.map((m) => m.alt)).toEqual([third!.alt, 'Front, on white', second!.alt]);
    expect(writesSince(seq).map((w) => w.mutation)).toEqual(['fileUpdate', 'productReorderMedia']);
    expect((await env.pull()).staged.changeIds).toEqual([]);
  });

  it('adds an image by URL and removes one, keying the new image by its Shopify id', async () => {
    const db = env.t.runtime.db;
    const product = await productWithThree();
    const [first, second, third] = product.media;
    const patch = productPatchSchema.parse({
      media: [
        { src: 'https://images.example.com/mug-side.png', alt: 'Side view' },
        { id: second!.id, remove: true },
      ],
    });
    await patchProduct(db, env.t.runtime.hub, product.id, patch);
    const { batch, pending } = await approveAndPush();
    // The removal moves the third image up to second place: a remove, an add and a move.
    expect(pending.map((c) => c.op).sort()).toEqual(['create', 'delete', 'update']);
    expect(batch.counts).toMatchObject({ applied: 3 });
    const after = await mediaOf(product.id);
    expect(after.map((m) => m.id).slice(0, 2)).toEqual([first!.id, third!.id]);
    expect(after[2]).toMatchObject({ src: 'https://images.example.com/mug-side.png', alt: 'Side view', position: 3 });
    const rows = await db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.entity, 'media'), eq(catalogEntities.productKey, product.id)));
    const added = rows.find((r) => r.key === entityKeys.media(product.id, after[2]!.id));
    expect(added?.base).toEqual({ alt: 'Side view', position: 3, src: 'https://images.example.com/mug-side.png' });
    expect(rows.some((r) => r.key.includes('local:'))).toBe(false);
    expect((await env.pull()).staged.changeIds).toEqual([]);
    addRemoveBatch = batch.id;
  });

  it('rolls the add and the removal back: the removed image returns with its id and place, the added one goes', async () => {
    const before = await mediaOf((await productWithThree()).id);
    const [kept, , added] = before;
    const productId = kept!.productId;
    const seq = lastSeq();
    const { batchId } = await env.push.rollback({ batchId: addRemoveBatch, createdBy: 'admin@example.com' });
    expect((await env.waitForBatch(batchId)).counts).toMatchObject({ applied: 3 });
    const after = await mediaOf(productId);
    expect(after).toHaveLength(3);
    expect(after.map((m) => m.id)).not.toContain(added!.id);
    expect(after[0]!.id).toBe(kept!.id);
    const restored = after[1]!;
    expect(
      writesSince(seq)
        .map((w) => w.mutation)
        .sort(),
    ).toEqual(['fileUpdate', 'fileUpdate', 'productReorderMedia']);
    const rows = await env.t.runtime.db
      .select()
      .from(catalogEntities)
      .where(inArray(catalogEntities.key, [entityKeys.media(productId, restored.id), entityKeys.media(productId, added!.id)]));
    expect(rows.find((r) => r.key.endsWith(restored.id))?.local).toMatchObject({ position: 2 });
    // Gone from Shopify and the master: its row leaves the catalog (as restage removes rows gone from both sides).
    expect(rows.some((r) => r.key.endsWith(added!.id))).toBe(false);
    expect((await env.pull()).staged.changeIds).toEqual([]);
  });

  it("carries images in Shopify's CSV: an unedited export stages nothing, an edited alt cell and an added row stage exactly those", async () => {
    const merch = await demoToken('merchandiser');
    const upload = async (text: string) => {
      const form = new FormData();
      form.set('file', new Blob([text], { type: 'text/csv' }), 'products.csv');
      form.set('commit', 'true');
      const req = new Request('http://localhost/api/imports', {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${merch}` },
      });
      const res = await importsRoute.POST(req, { params: Promise.resolve({}) });
      expect(res.status).toBe(200);
      return res.json();
    };
    const pendingMedia = () =>
      env.t.runtime.db
        .select()
        .from(stagedChanges)
        .where(and(eq(stagedChanges.storeId, env.store.id), eq(stagedChanges.entity, 'media'), eq(stagedChanges.status, 'pending')));
    const res = await callRoute<string>(exportRoute.GET, { token: merch, path: '/api/products/export.csv' });
    const sheet = new Sheet(res.body);
    expect(sheet.headers).toEqual(expect.arrayContaining(['Image Src', 'Image Position', 'Image Alt Text']));
    const product = await productWithThree();
    const rows = sheet.of(product.handle);
    expect(rows.map((r) => r['Image Src'])).toEqual(product.media.map((m) => m.src));
    expect(rows.map((r) => r['Image Position'])).toEqual(['1', '2', '3']);

    await upload(sheet.text());
    expect(await pendingMedia()).toEqual([]);

    rows[1]!['Image Alt Text'] = 'Edited in a spreadsheet';
    sheet.rows.push({
      ...Object.fromEntries(sheet.headers.map((h) => [h, ''])),
      Handle: product.handle,
      'Image Src': 'https://images.example.com/from-csv.png',
      'Image Position': '4',
      'Image Alt Text': 'From the CSV',
    });
    await upload(sheet.text());
    const staged = await pendingMedia();
    expect(staged.map((c) => `${c.op} ${c.fields.map((f) => `${f.name}=${JSON.stringify(f.local)}`).join(' ')}`).sort()).toEqual([
      'create src="https://images.example.com/from-csv.png" position=4 alt="From the CSV"',
      'update alt="Edited in a spreadsheet"',
    ]);
    expect(staged.find((c) => c.op === 'update')!.entityKey).toBe(entityKeys.media(product.id, product.media[1]!.id));
  });

  it('stages a merchant alt text edit as incoming', async () => {
    const [image] = await mediaOf((await productWithThree()).id);
    await merchant().updateMediaAlt([{ id: image!.id, alt: 'Edited in the Shopify admin' }]);
    const pulled = await env.pull();
    const [incoming] = await env.t.runtime.db.select().from(stagedChanges).where(inArray(stagedChanges.id, pulled.staged.changeIds));
    expect(pulled.staged.changeIds).toHaveLength(1);
    expect(incoming).toMatchObject({ kind: 'incoming', entity: 'media', entityKey: entityKeys.media(image!.productId, image!.id) });
    expect(incoming!.fields).toEqual([{ name: 'alt', base: image!.alt, local: image!.alt, remote: 'Edited in the Shopify admin' }]);
  });

  it('pushes an image move together with a price edit of the same product (one unit)', async () => {
    const db = env.t.runtime.db;
    const product = await productWithThree();
    const variant = product.variants[0]!;
    const patch = productPatchSchema.parse({
      variants: [{ id: variant.id, price: '12.34' }],
      media: [{ id: product.media[1]!.id, position: 1 }],
    });
    const { result } = await patchProduct(db, env.t.runtime.hub, product.id, patch);
    for (const id of result.changeIds) await approveChange(db, id, {}, { id: 'merch@example.com' });
    const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'admin@example.com' });
    const batch = await env.waitForBatch(batchId);
    const items = await db.select().from(batchItems).where(eq(batchItems.batchId, batchId));
    expect(items.filter((i) => i.status !== 'applied').map((i) => i.error)).toEqual([]);
    expect(items.map((i) => i.entity)).toEqual(expect.arrayContaining(['variant', 'media']));
    expect(batch.counts).toMatchObject({ applied: items.length });
    const after = (await env.shopify.getProductsByIds([product.id]))[0]!;
    expect(after.media[0]!.id).toBe(product.media[1]!.id);
    expect(after.variants[0]!.price).toBe('12.34');
  });
});
