import { z } from 'zod';
import { route } from '@/server/http/route';
import { deactivateStore } from '@/server/stores/connect';
import { getStore, presentStore } from '@/server/stores/stores';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });

export const GET = route({ action: 'view', params }, async ({ runtime, params }) => presentStore(await getStore(runtime.db, params.id)));

/** Removes a store from the desk (deactivated: its history is kept; connecting it again brings it back). */
export const DELETE = route({ action: 'settings', params, audit: 'store.remove' }, async ({ runtime, services, params, audit }) => {
  const store = await deactivateStore(runtime.db, params.id);
  services.stores.clear();
  audit({ entityType: 'store', entityId: store.id, storeId: store.id, details: { shopDomain: store.shopDomain } });
  return presentStore(store);
});
