import { getProduct, listProducts, productListQuery } from '@/server/catalog/products';
import { route } from '@/server/http/route';
import { createProductInMaster, productCreateSchema } from '@/server/ingest/creates';
import { listStaged } from '@/server/staging/queries';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

/** The master's products with their sync status (not_synced, pending, synced, error, conflict). */
export const GET = route({ action: 'view', query: productListQuery }, async ({ runtime, query, scopeStoreId }) => {
  const store = await resolveStore(runtime.db, query.storeId ?? scopeStoreId);
  return listProducts(runtime.db, store.id, query);
});

/** A product made in the master with its variants: written there, staged as one outgoing create for review. */
export const POST = route(
  { action: 'edit', body: productCreateSchema, audit: 'product.create', status: 201 },
  async ({ runtime, body, audit, scopeStoreId }) => {
    const store = await resolveStore(runtime.db, body.storeId ?? scopeStoreId);
    const { productKey, result } = await createProductInMaster(runtime.db, runtime.hub, store.id, body, 'edit', runtime.logger);
    audit({ entityType: 'product', entityId: productKey, storeId: store.id, details: { variants: body.variants.length } });
    const changes = await listStaged(runtime.db, { storeId: store.id, productId: productKey, limit: 500 });
    return { product: await getProduct(runtime.db, productKey, store.id), staged: changes.items, counts: result.counts };
  },
);
