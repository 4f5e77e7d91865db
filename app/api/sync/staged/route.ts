import { route } from '@/server/http/route';
import { listStaged, stagedListQuery } from '@/server/staging/queries';

export const dynamic = 'force-dynamic';

/** Staged changes (pending by default) with filters, keyset pages and counts per kind. */
export const GET = route({ action: 'view', query: stagedListQuery }, async ({ runtime, query, scopeStoreId }) =>
  listStaged(runtime.db, { ...query, storeId: query.storeId ?? scopeStoreId }),
);
