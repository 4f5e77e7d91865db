import { z } from 'zod';
import { route } from '@/server/http/route';
import { approveBody, approveChange } from '@/server/push/decisions';
import { presentDecision } from '@/server/push/present';

export const dynamic = 'force-dynamic';

export const POST = route(
  { action: 'review', params: z.object({ id: z.uuid() }), body: approveBody, audit: 'staged.approve' },
  async ({ runtime, params, body, principal, audit }) => {
    audit({ entityType: 'staged_change', entityId: params.id, details: { fields: body.fields ?? null, resolution: body.resolution ?? null } });
    const change = await approveChange(runtime.db, params.id, body, { id: principal.email ?? principal.id });
    audit({ storeId: change.storeId });
    return presentDecision(change);
  },
);
