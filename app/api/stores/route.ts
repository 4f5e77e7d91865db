import { route } from '@/server/http/route';
import { connectStore, storeConnectSchema } from '@/server/stores/connect';
import { listStores, presentStore } from '@/server/stores/stores';

export const dynamic = 'force-dynamic';

/** Connected stores, without tokens or secrets; `secretsKey` says where the key that encrypts them comes from. */
export const GET = route({ action: 'view' }, async ({ runtime }) => {
  const items = (await listStores(runtime.db)).map(presentStore);
  return { items, total: items.length, nextCursor: null, secretsKey: runtime.storeSecrets.source };
});

/** Connects a store: its connection is tested first (a shop query), its token and webhook secret are kept encrypted. */
export const POST = route(
  { action: 'settings', body: storeConnectSchema, audit: 'store.connect', status: 201 },
  async ({ runtime, services, body, audit }) => {
    const store = await connectStore(runtime.db, runtime.storeSecrets, body);
    services.stores.clear();
    audit({ entityType: 'store', entityId: store.id, storeId: store.id, details: { shopDomain: store.shopDomain } });
    return presentStore(store);
  },
);
