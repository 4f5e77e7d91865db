import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntities, stagedChanges } from '../../drizzle/schema';
import { createShopifyClient } from '../../lib/shopify';
import { type ProductPatch, patchProduct, productPatchSchema } from '../../server/ingest/edits';
import { approveChange } from '../../server/review/decisions';
import { catalogSnapshot, type PushEnv, startPushEnv } from '../helpers/push-env';

/**
 * SEO title and description: synced fields added by one entry each in lib/sync/fields.ts (and the
 * emulator's support). They travel like any field: pulled, edited in the master, reviewed, pushed,
 * and Shopify-side edits come back as incoming changes.
 */
let env: PushEnv;
beforeAll(async () => {
  env = await startPushEnv({ products: 6 });
}, 120_000);
afterAll(() => env?.stop());

const merchant = () =>
  createShopifyClient({ shopDomain: env.emulator.shopDomain, accessToken: env.emulator.merchantToken, adminUrl: env.emulator.adminUrl });

describe('SEO fields through pull, review and push', () => {
  it('adopts SEO text at the first pull, pushes a master edit, and stages a merchant edit as incoming', async () => {
    const db = env.t.runtime.db;
    const before = await catalogSnapshot(env.shopify);
    const [first] = [...before.values()].sort((a, b) => a.id.localeCompare(b.id));
    const [row] = await db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.storeId, env.store.id), eq(catalogEntities.entity, 'product'), eq(catalogEntities.key, first!.id)));
    expect(row!.local).toMatchObject({ seoTitle: first!.seoTitle, seoDescription: first!.seoDescription });

    const patch: ProductPatch = productPatchSchema.parse({ seoTitle: 'Hand-made mugs | Kōbō' });
    const { result } = await patchProduct(db, env.t.runtime.hub, first!.id, patch);
    const [change] = await db.select().from(stagedChanges).where(eq(stagedChanges.id, result.changeIds[0]!));
    expect(change!.fields.map((f) => f.name)).toEqual(['seoTitle']);
    await approveChange(db, change!.id, {}, { id: 'merch@example.com' });
    const { batchId } = await env.push.push({ storeId: env.store.id, createdBy: 'admin@example.com' });
    expect((await env.waitForBatch(batchId)).counts).toMatchObject({ applied: 1 });
    const after = (await catalogSnapshot(env.shopify)).get(first!.id)!;
    expect(after.seoTitle).toBe('Hand-made mugs | Kōbō');
    expect(after.seoDescription).toBe(first!.seoDescription);

    await merchant().updateProduct({ id: first!.id, seoDescription: 'Now with a lid.' });
    const pulled = await env.pull();
    const incoming = await db.select().from(stagedChanges).where(eq(stagedChanges.id, pulled.staged.changeIds[0]!));
    expect(incoming[0]).toMatchObject({ kind: 'incoming', entityKey: first!.id });
    expect(incoming[0]!.fields).toEqual([
      { name: 'seoDescription', base: first!.seoDescription, local: first!.seoDescription, remote: 'Now with a lid.' },
    ]);
  });
});
