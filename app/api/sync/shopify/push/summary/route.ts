import { z } from 'zod';
import { route } from '@/server/http/route';
import { pushSummary } from '@/server/push/summary';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

const query = z.object({ storeId: z.uuid().optional() }).strict();

/** What POST /api/sync/shopify/push would do now: changes, products, priorities, path and estimated time, the store. */
export const GET = route({ action: 'operate', query }, async ({ runtime, services, query, scopeStoreId }) => {
  const store = await resolveStore(runtime.db, query.storeId ?? scopeStoreId);
  return pushSummary(runtime.db, store.id, await services.push.chooser(store.id));
});
