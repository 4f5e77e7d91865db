import { listProducts, productListQuery } from '@/server/catalog/products';
import { route } from '@/server/http/route';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

/** The master's products with their sync status (not_synced, pending, synced, error, conflict). */
export const GET = route({ action: 'view', query: productListQuery }, async ({ runtime, query }) => {
  const store = await resolveStore(runtime.db, query.storeId);
  return listProducts(runtime.db, store.id, query);
});
