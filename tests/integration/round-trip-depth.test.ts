import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as approveRoute from '../../app/api/sync/staged/[id]/approve/route';
import * as rejectRoute from '../../app/api/sync/staged/[id]/reject/route';
import type { Store } from '../../drizzle/schema';
import type { ShopifyClient } from '../../lib/shopify';
import { entityKeys } from '../../lib/sync/fields';
import { metafieldKey } from '../../lib/sync/metafields';
import type { EntityType } from '../../lib/sync/model';
import { startEmulator } from '../../server/emulator';
import { startPush } from '../../server/push/subsystem';
import { callRoute, demoToken } from '../helpers/api';
import { compareSides, type PendingChange, patchProductRoute, pendingChanges, waitForBatch } from '../helpers/round-trip';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { insertEmulatorStore, merchantClient } from '../helpers/staging';

/**
 * Issue 16's acceptance: a catalog with metafields on every other product and one to three images on
 * every product; edits on both sides of the new fields (the master through PATCH: SEO, metafields of
 * several types including a list, a new value and a removal, an option value renamed, weights and
 * units, a category, image alt text and order, an image added by URL and one removed; Shopify through
 * its GraphQL: metafieldsSet, fileUpdate, productOptionUpdate, productVariantsBulkUpdate, productUpdate
 * category). A pull stages exactly the expected set; a mix of approvals and rejections is pushed; a
 * full pull then stages nothing and every synced field of every entity is equal on both sides.
 *
 * Size: 10,000 products on real Postgres (TEST_DATABASE_URL set), 2,000 on PGlite (single-threaded
 * WASM, where 10,000 would take most of CI's budget); ROUND_TRIP_PRODUCTS overrides both.
 */
const PRODUCTS = Number(process.env.ROUND_TRIP_PRODUCTS ?? (process.env.TEST_DATABASE_URL ? 10_000 : 2_000));
const CATEGORY = 'gid://shopify/TaxonomyCategory/hg-3-4-2';

let t: TestRuntime;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let store: Store;
let merchant: ShopifyClient;
let merch: string;

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
type Kind = 'incoming' | 'outgoing' | 'conflict';
type Expected = { entity: EntityType; key: string; kind: Kind; op?: 'create' | 'delete'; fields: string[] };

/** The nth product of the emulator's catalog: its first variant (with its weight), options, images and category. */
function nth(n: number) {
  const p = [...emulator.state.products.values()][n]!;
  const variant = emulator.state.variants.get(p.variantIds[0]!)!;
  const item = emulator.state.inventoryItems.get(variant.inventoryItemId)!;
  return {
    index: n,
    id: gid('Product', p.id),
    title: p.title,
    variantId: gid('ProductVariant', variant.id),
    weight: item.weight ?? null,
    options: p.options.map((o) => ({ name: o.name, values: [...o.values] })),
    media: (p.mediaIds ?? []).map((id) => ({
      id: gid('MediaImage', id),
      key: entityKeys.media(gid('Product', p.id), gid('MediaImage', id)),
    })),
    category: p.category ?? null,
    metafields: new Set(p.metafields?.keys() ?? []),
  };
}
type Nth = ReturnType<typeof nth>;

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => nth(from + i));
const where = (from: number, to: number, keep: (p: Nth) => boolean, count: number) => range(from, to).filter(keep).slice(0, count);
const realOptions = (p: Nth) => p.options[0]!.name !== 'Title';
/** The product's options with the first value of the first option renamed. */
const renamed = (p: Nth, suffix: string) =>
  p.options.map((o, i) => (i === 0 ? { ...o, values: [`${o.values[0]} ${suffix}`, ...o.values.slice(1)] } : o));

const patch = (id: string, body: Record<string, unknown>) => patchProductRoute(merch, id, body);
const pending = () => pendingChanges(t.runtime.db, store.id);

/** A staged change as one comparable line; an added image's key (local until pushed) as `product|new`. */
const line = (c: Expected) => `${c.entity} ${c.key} ${c.kind} ${c.op ?? 'update'} ${[...c.fields].sort().join(',')}`;
const lineOf = (c: PendingChange) =>
  line({
    entity: c.entity,
    key: c.entity === 'media' && c.op === 'create' ? `${entityKeys.split(c.entity_key)[0]}|new` : c.entity_key,
    kind: c.kind as Kind,
    op: c.op === 'update' ? undefined : (c.op as 'create' | 'delete'),
    fields: c.fields.map((f) => f.name),
  });

beforeAll(async () => {
  const started = performance.now();
  emulator = await startEmulator({ products: PRODUCTS, seed: 16, plan: 'plus' });
  t = await startTestRuntime({ queue: true });
  store = await insertEmulatorStore(t.runtime.db, emulator);
  await startPush(t.runtime, t.services.push, t.services.notifier);
  merchant = merchantClient(emulator);
  merch = await demoToken('merchandiser');
  const { done } = await t.services.pull.start(store.id, 'full', 'test');
  expect(await done).toMatchObject({ adopted: true, productsRead: PRODUCTS });
  console.log(`round trip (depth) at ${PRODUCTS} products: first pull after ${((performance.now() - started) / 1000).toFixed(1)} s`);
}, 600_000);
afterAll(async () => {
  await t?.stop();
  await emulator?.close();
});

describe('metafields, images, options, weights and categories edited on both sides, at scale', () => {
  const expected: Expected[] = [];
  const mf = (p: Nth, key: string) => metafieldKey(p.id, 'custom', key);
  let rejectOutgoing: string;
  let rejectIncoming: string;
  let conflictKeys: string[];

  it('stages exactly the expected incoming, outgoing and conflicting changes', async () => {
    // The master, through PATCH.
    const seo = range(0, 4);
    for (const p of seo) await patch(p.id, { seoTitle: `${p.title} | Shop` });
    expected.push(...seo.map((p) => ({ entity: 'product' as const, key: p.id, kind: 'outgoing' as const, fields: ['seoTitle'] })));

    const materials = where(10, 20, (p) => p.metafields.has('custom.material'), 3);
    for (const p of materials) await patch(p.id, { metafields: [{ namespace: 'custom', key: 'material', value: 'Linen' }] });
    const colors = where(20, 40, (p) => p.metafields.has('custom.colors'), 2);
    for (const p of colors) await patch(p.id, { metafields: [{ namespace: 'custom', key: 'colors', value: ['Oat', 'Moss'] }] });
    const added = where(40, 50, (p) => p.metafields.size === 0, 2);
    for (const p of added) await patch(p.id, { metafields: [{ namespace: 'custom', key: 'weight_grams', value: '250' }] });
    const removed = where(50, 60, (p) => p.metafields.has('custom.material'), 2);
    for (const p of removed) await patch(p.id, { metafields: [{ namespace: 'custom', key: 'material', value: null }] });
    expected.push(
      ...[...materials.map((p) => mf(p, 'material')), ...colors.map((p) => mf(p, 'colors'))].map((key) => ({
        entity: 'metafield' as const,
        key,
        kind: 'outgoing' as const,
        fields: ['value'],
      })),
      ...added.map((p) => ({
        entity: 'metafield' as const,
        key: mf(p, 'weight_grams'),
        kind: 'outgoing' as const,
        op: 'create' as const,
        fields: ['value'],
      })),
      ...removed.map((p) => ({
        entity: 'metafield' as const,
        key: mf(p, 'material'),
        kind: 'outgoing' as const,
        op: 'delete' as const,
        fields: ['value'],
      })),
    );

    const optionRenames = where(60, 80, realOptions, 2);
    for (const p of optionRenames) await patch(p.id, { options: renamed(p, '(master)') });
    expected.push(...optionRenames.map((p) => ({ entity: 'product' as const, key: p.id, kind: 'outgoing' as const, fields: ['options'] })));

    const weights = range(80, 84);
    for (const p of weights) await patch(p.id, { variants: [{ id: p.variantId, weight: '3.25', weightUnit: 'POUNDS' }] });
    expected.push(
      ...weights.map((p) => ({
        entity: 'variant' as const,
        key: p.variantId,
        kind: 'outgoing' as const,
        fields: p.weight?.unit === 'POUNDS' ? ['weight'] : ['weight', 'weightUnit'],
      })),
    );

    const categories = where(84, 100, (p) => !p.category?.endsWith('hg-3-4-2'), 3);
    for (const p of categories) await patch(p.id, { category: CATEGORY });
    expected.push(...categories.map((p) => ({ entity: 'product' as const, key: p.id, kind: 'outgoing' as const, fields: ['category'] })));

    // Images: alt text and a move on one product, an add by URL and a removal on another (three images each).
    const [moved, addRemove] = where(100, 120, (p) => p.media.length === 3, 2);
    await patch(moved!.id, {
      media: [
        { id: moved!.media[2]!.id, position: 1 },
        { id: moved!.media[0]!.id, alt: 'Front, on white' },
      ],
    });
    await patch(addRemove!.id, {
      media: [
        { src: 'https://images.example.com/side.png', alt: 'Side view' },
        { id: addRemove!.media[1]!.id, remove: true },
      ],
    });
    expected.push(
      { entity: 'media', key: moved!.media[0]!.key, kind: 'outgoing', fields: ['alt', 'position'] },
      { entity: 'media', key: moved!.media[1]!.key, kind: 'outgoing', fields: ['position'] },
      { entity: 'media', key: moved!.media[2]!.key, kind: 'outgoing', fields: ['position'] },
      { entity: 'media', key: `${addRemove!.id}|new`, kind: 'outgoing', op: 'create', fields: ['alt', 'position', 'src'] },
      { entity: 'media', key: addRemove!.media[1]!.key, kind: 'outgoing', op: 'delete', fields: ['alt', 'position', 'src'] },
      { entity: 'media', key: addRemove!.media[2]!.key, kind: 'outgoing', fields: ['position'] },
    );

    // Shopify, through its GraphQL (a merchant in the admin).
    const merchantMaterials = where(200, 220, (p) => p.metafields.has('custom.material'), 3);
    await merchant.setMetafields(
      merchantMaterials.map((p) => ({
        ownerId: p.id,
        namespace: 'custom',
        key: 'material',
        type: 'single_line_text_field',
        value: 'Wool',
      })),
    );
    const alts = range(220, 223);
    await merchant.updateMediaAlt(alts.map((p) => ({ id: p.media[0]!.id, alt: `${p.title}, lifestyle` })));
    const merchantOptions = where(223, 240, realOptions, 2);
    for (const p of merchantOptions) await merchant.updateProduct({ id: p.id, options: renamed(p, '(shopify)') });
    const merchantWeights = range(240, 243);
    for (const p of merchantWeights)
      await merchant.updateVariants(p.id, [{ id: p.variantId, weight: '9.5', weightUnit: p.weight?.unit ?? 'GRAMS' }]);
    const merchantCategories = where(243, 260, (p) => !p.category?.endsWith('hg-3-4-2'), 2);
    for (const p of merchantCategories) await merchant.updateProduct({ id: p.id, category: CATEGORY });
    expected.push(
      ...merchantMaterials.map((p) => ({
        entity: 'metafield' as const,
        key: mf(p, 'material'),
        kind: 'incoming' as const,
        fields: ['value'],
      })),
      ...alts.map((p) => ({ entity: 'media' as const, key: p.media[0]!.key, kind: 'incoming' as const, fields: ['alt'] })),
      ...merchantOptions.map((p) => ({ entity: 'product' as const, key: p.id, kind: 'incoming' as const, fields: ['options'] })),
      ...merchantWeights.map((p) => ({ entity: 'variant' as const, key: p.variantId, kind: 'incoming' as const, fields: ['weight'] })),
      ...merchantCategories.map((p) => ({ entity: 'product' as const, key: p.id, kind: 'incoming' as const, fields: ['category'] })),
    );

    // Both sides: a metafield and an image's alt text changed differently (conflicts).
    const [both] = where(300, 320, (p) => p.metafields.has('custom.material'), 1);
    await patch(both!.id, {
      metafields: [{ namespace: 'custom', key: 'material', value: 'Hemp' }],
      media: [{ id: both!.media[0]!.id, alt: 'Ours' }],
    });
    await merchant.setMetafields([
      { ownerId: both!.id, namespace: 'custom', key: 'material', type: 'single_line_text_field', value: 'Jute' },
    ]);
    await merchant.updateMediaAlt([{ id: both!.media[0]!.id, alt: 'Theirs' }]);
    conflictKeys = [mf(both!, 'material'), both!.media[0]!.key];
    expected.push(
      { entity: 'metafield', key: conflictKeys[0]!, kind: 'conflict', fields: ['value'] },
      { entity: 'media', key: conflictKeys[1]!, kind: 'conflict', fields: ['alt'] },
    );
    rejectOutgoing = seo[0]!.id;
    rejectIncoming = mf(merchantMaterials[0]!, 'material');

    const pulled = await (await t.services.pull.start(store.id, 'full', 'test')).done;
    expect(pulled).toBeTruthy();
    expect((await pending()).map(lineOf).sort()).toEqual(expected.map(line).sort());
  }, 600_000);

  it('after approvals and rejections, a push and a full pull: nothing staged, every field of every entity equal', async () => {
    const decide = async (route: typeof approveRoute.POST, id: string, body: Record<string, unknown> = {}) => {
      const res = await callRoute(route, { method: 'POST', params: { id }, token: merch, body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    for (const c of await pending()) {
      if (c.entity_key === rejectOutgoing || c.entity_key === rejectIncoming) await decide(rejectRoute.POST, c.id, { reason: 'not now' });
      else if (c.kind === 'conflict') await decide(approveRoute.POST, c.id, { resolution: c.entity === 'metafield' ? 'local' : 'remote' });
      else await decide(approveRoute.POST, c.id);
    }
    // Rejecting the incoming metafield keeps the master's value and proposes restoring it in Shopify.
    const restores = await pending();
    expect(restores.map((c) => `${c.entity_key} ${c.kind}`)).toEqual([`${rejectIncoming} outgoing`]);
    for (const c of restores) await decide(approveRoute.POST, c.id);

    const started = performance.now();
    const { batchId } = await t.services.push.push({ storeId: store.id, createdBy: 'admin@example.com' });
    const batch = await waitForBatch(t.runtime.db, batchId, 300_000);
    expect(batch.status).toBe('completed');
    expect(batch.counts).toMatchObject({ failed: 0, drifted: 0, dead: 0 });

    const { done } = await t.services.pull.start(store.id, 'full', 'test');
    expect((await done)?.staged.changeIds).toEqual([]);
    expect(await pending()).toEqual([]);
    // `remote` is what this full pull just read from the emulator; `local` is the master.
    const { rows, unequal } = await compareSides(t.runtime.db, store.id);
    expect(unequal.map((r) => `${r.entity} ${r.key}`)).toEqual([]);
    const entities = new Set(rows.map((r) => r.entity));
    expect([...entities].sort()).toEqual(['collection', 'inventory_level', 'media', 'membership', 'metafield', 'product', 'variant']);
    const fields = rows.reduce((n, r) => n + Object.keys(r.remote ?? {}).length, 0);
    console.log(
      `round trip (depth) at ${PRODUCTS} products: push and pull ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
        `${rows.length} rows, ${fields} of ${fields} fields equal on both sides`,
    );

    const value = (key: string) => rows.find((r) => r.key === key)?.local;
    expect(value(rejectOutgoing)!.seoTitle).not.toMatch(/\| Shop$/); // the master edit was discarded
    expect(value(rejectIncoming)).not.toEqual({ value: { type: 'single_line_text_field', value: 'Wool' } }); // Shopify restored
    expect(value(conflictKeys[0]!)).toEqual({ value: { type: 'single_line_text_field', value: 'Hemp' } });
    expect(value(conflictKeys[1]!)!.alt).toBe('Theirs');
  }, 600_000);
});
