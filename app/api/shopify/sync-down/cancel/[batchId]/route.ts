import { z } from 'zod';
import { notFound } from '@/lib/errors';
import { route } from '@/server/http/route';
import { presentOperation } from '@/server/operations/present';

export const dynamic = 'force-dynamic';

/** Seed alias: cancels the pull operation of a sync-down. */
export const POST = route(
  { action: 'operate', params: z.object({ batchId: z.uuid() }), audit: 'operation.cancel' },
  async ({ runtime, params, principal, audit }) => {
    const op = await runtime.operations.get(params.batchId);
    if (op.kind !== 'pull') throw notFound('sync_down', params.batchId);
    audit({ entityType: 'operation', entityId: op.id, storeId: op.storeId });
    const updated = await runtime.operations.requestCancel(op.id, principal.email ?? principal.id);
    return { batchId: updated.id, ...presentOperation(updated) };
  },
);
