import { z } from 'zod';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

const body = z.object({ itemIds: z.array(z.uuid()).min(1).max(10_000) }).strict();

/**
 * Drifted items of a rollback (`batchId`), written back over the value Shopify holds now. An
 * admin's decision (it overwrites a value someone else set, as a push does): the `operate` action.
 */
export const POST = route(
  { action: 'operate', params: z.object({ batchId: z.uuid() }), body, audit: 'batch.restore_anyway', status: 202 },
  async ({ services, params, body, principal, audit }) => {
    audit({ entityType: 'batch', entityId: params.batchId, details: { itemIds: body.itemIds } });
    const result = await services.push.restoreAnyway({
      rollbackBatchId: params.batchId,
      itemIds: body.itemIds,
      createdBy: principal.email ?? principal.id,
    });
    audit({ storeId: result.storeId, details: { itemIds: body.itemIds, rollbackBatchId: result.batchId, items: result.items } });
    return { batchId: result.batchId, operationId: result.operationId, items: result.items };
  },
);
