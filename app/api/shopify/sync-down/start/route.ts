import { z } from 'zod';
import { route } from '@/server/http/route';
import { getPullService } from '@/server/pull/service';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

const body = z.object({
  mode: z.enum(['full', 'incremental'], { message: 'mode must be "full" or "incremental"' }).default('full'),
  storeId: z.uuid().optional(),
});

/** Seed alias of POST /api/sync/shopify/pull: the "batch" of a sync-down is the pull operation. */
export const POST = route({ action: 'operate', body, audit: 'sync.pull', status: 202 }, async ({ runtime, body, principal, audit }) => {
  const store = await resolveStore(runtime.db, body.storeId);
  const { operation } = await getPullService(runtime).start(store.id, body.mode, principal.email ?? principal.id);
  audit({ entityType: 'operation', entityId: operation.id, storeId: store.id, details: { mode: body.mode, alias: 'sync-down' } });
  return { batchId: operation.id, operationId: operation.id, status: operation.status };
});
