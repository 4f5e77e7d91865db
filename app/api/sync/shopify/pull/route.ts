import { z } from 'zod';
import { route } from '@/server/http/route';
import { getPullService } from '@/server/pull/service';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

const body = z.object({
  mode: z.enum(['full', 'incremental'], { message: 'mode must be "full" or "incremental"' }).default('incremental'),
  storeId: z.uuid().optional(),
});

/** Starts a pull as an operation: 202 {operationId}; progress comes through the operation's events. */
export const POST = route({ action: 'operate', body, audit: 'sync.pull', status: 202 }, async ({ runtime, body, principal, audit }) => {
  const store = await resolveStore(runtime.db, body.storeId);
  const { operation } = await getPullService(runtime).start(store.id, body.mode, principal.email ?? principal.id);
  audit({ entityType: 'operation', entityId: operation.id, storeId: store.id, details: { mode: body.mode } });
  return { operationId: operation.id, storeId: store.id, mode: body.mode };
});
