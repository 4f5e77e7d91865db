import { z } from 'zod';
import { getProduct } from '@/server/catalog/products';
import { route } from '@/server/http/route';
import { deleteProductInMaster } from '@/server/ingest/creates';
import { patchProduct, productPatchSchema } from '@/server/ingest/edits';
import { listStaged } from '@/server/staging/queries';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.string().min(1).max(300) });

/** One product (by id or Shopify GID) with its variants, inventory and collections. */
export const GET = route({ action: 'view', params }, async ({ runtime, params }) => getProduct(runtime.db, params.id));

/** A local edit: validated, written to the master, staged as outgoing changes (or conflicts). */
export const PATCH = route(
  { action: 'edit', params, body: productPatchSchema, audit: 'product.edit' },
  async ({ runtime, services, params, body, audit }) => {
    const { product, result, linked } = await patchProduct(
      runtime.db,
      runtime.hub,
      params.id,
      body,
      runtime.logger,
      async (storeId, search) => (await services.shopify.forStoreId(storeId)).client('pull').searchTaxonomyCategories(search),
    );
    audit({
      entityType: 'product',
      entityId: product.key,
      storeId: product.store_id,
      details: { fields: Object.keys(body), staged: result.changeIds.length, stores: 1 + linked.length },
    });
    const changes = await listStaged(runtime.db, { storeId: product.store_id, productId: product.key, limit: 500 });
    // The same edit staged in the other stores that sell the product (one master, one change per store).
    const fannedOut = linked.map((l) => ({ storeId: l.storeId, staged: l.result.changeIds.length, counts: l.result.counts }));
    return { product: await getProduct(runtime.db, product.id), staged: changes.items, counts: result.counts, fannedOut };
  },
);

/** Deleting a product in the master: staged as an outgoing delete that a person approves before the push deletes it in Shopify. */
export const DELETE = route({ action: 'edit', params, audit: 'product.delete' }, async ({ runtime, params, audit }) => {
  const { product, result } = await deleteProductInMaster(runtime.db, runtime.hub, params.id, runtime.logger);
  audit({ entityType: 'product', entityId: product.key, storeId: product.store_id, details: { staged: result.changeIds.length } });
  const changes = await listStaged(runtime.db, { storeId: product.store_id, productId: product.key, limit: 500 });
  return { product: await getProduct(runtime.db, product.id).catch(() => null), staged: changes.items, counts: result.counts };
});
