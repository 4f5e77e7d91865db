import { z } from 'zod';
import { route } from '@/server/http/route';
import { presentOperation } from '@/server/operations/present';

export const dynamic = 'force-dynamic';

export const POST = route(
  { action: 'operate', params: z.object({ id: z.uuid() }), audit: 'operation.cancel' },
  async ({ runtime, params, principal, audit }) => {
    audit({ entityType: 'operation', entityId: params.id });
    const op = await runtime.operations.requestCancel(params.id, principal.email ?? principal.id);
    return presentOperation(op);
  },
);
