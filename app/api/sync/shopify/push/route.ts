import { z } from 'zod';
import { PRIORITIES } from '@/lib/sync/model';
import { route } from '@/server/http/route';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

const body = z
  .object({ priority: z.enum(PRIORITIES).optional(), storeId: z.uuid().optional() })
  .strict()
  .default({});

export const POST = route(
  { action: 'operate', body, audit: 'push.start', status: 202 },
  async ({ runtime, services, body, principal, audit, scopeStoreId }) => {
    const store = await resolveStore(runtime.db, body.storeId ?? scopeStoreId);
    const result = await services.push.push({
      storeId: store.id,
      createdBy: principal.email ?? principal.id,
      priority: body.priority,
    });
    audit({
      entityType: 'batch',
      entityId: result.batchId,
      storeId: store.id,
      details: { items: result.items, mode: result.mode, priority: body.priority ?? null },
    });
    return { batchId: result.batchId, operationId: result.operationId };
  },
);
