import { z } from 'zod';
import { PRIORITIES } from '@/lib/sync/model';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

const body = z
  .object({ itemIds: z.array(z.uuid()).min(1).max(100_000).optional(), priority: z.enum(PRIORITIES).optional() })
  .strict()
  .default({});

export const POST = route(
  { action: 'rollback', params: z.object({ batchId: z.uuid() }), body, audit: 'batch.rollback', status: 202 },
  async ({ services, params, body, principal, audit }) => {
    audit({ entityType: 'batch', entityId: params.batchId, details: { itemIds: body.itemIds?.length ?? 'all' } });
    const result = await services.push.rollback({
      batchId: params.batchId,
      itemIds: body.itemIds,
      createdBy: principal.email ?? principal.id,
      priority: body.priority,
    });
    audit({
      storeId: result.storeId,
      details: {
        itemIds: body.itemIds?.length ?? 'all',
        rollbackBatchId: result.batchId,
        items: result.items,
        skipped: result.skipped.length,
      },
    });
    return { batchId: result.batchId, operationId: result.operationId, items: result.items, skipped: result.skipped };
  },
);
