import { route } from '@/server/http/route';
import { listStores, presentStore } from '@/server/stores/stores';

export const dynamic = 'force-dynamic';

/** Connected stores, without tokens or secrets. */
export const GET = route({ action: 'view' }, async ({ runtime }) => {
  const items = (await listStores(runtime.db)).map(presentStore);
  return { items, total: items.length, nextCursor: null };
});
