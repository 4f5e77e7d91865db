import { z } from 'zod';
import { getStoreActivity, setStoreActivity } from '@/server/demo/activity';
import { route } from '@/server/http/route';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

const body = z.object({
  perMinute: z
    .number({ message: 'perMinute must be a number' })
    .int('perMinute must be a whole number')
    .min(0)
    .max(600, 'perMinute is at most 600'),
  storeId: z.uuid().optional(),
});

/** Demo only: merchant edits in the emulator at a chosen rate (0 stops them). */
export const POST = route({ action: 'settings', body, audit: 'demo.store_activity' }, async ({ runtime, body, audit, scopeStoreId }) => {
  const store = await resolveStore(runtime.db, body.storeId ?? scopeStoreId);
  audit({ entityType: 'store', entityId: store.id, storeId: store.id, details: { perMinute: body.perMinute } });
  return setStoreActivity({ ...store, accessToken: runtime.storeSecrets.open(store.accessToken) }, body.perMinute);
});

export const GET = route(
  { action: 'settings', query: z.object({ storeId: z.uuid().optional() }) },
  async ({ runtime, query, scopeStoreId }) => {
    const store = await resolveStore(runtime.db, query.storeId ?? scopeStoreId);
    return getStoreActivity({ ...store, accessToken: runtime.storeSecrets.open(store.accessToken) });
  },
);
