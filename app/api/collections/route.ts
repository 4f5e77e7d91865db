import { collectionListQuery, listCollections } from '@/server/catalog/collections';
import { route } from '@/server/http/route';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

/** Collections with product counts and pending changes. */
export const GET = route({ action: 'view', query: collectionListQuery }, async ({ runtime, query, scopeStoreId }) => {
  const store = await resolveStore(runtime.db, query.storeId ?? scopeStoreId);
  return listCollections(runtime.db, store.id, query);
});
