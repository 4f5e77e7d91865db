import { z } from 'zod';
import { route } from '@/server/http/route';
import { rejectBody, rejectChange } from '@/server/push/decisions';
import { presentDecision } from '@/server/push/present';

export const dynamic = 'force-dynamic';

export const POST = route(
  { action: 'review', params: z.object({ id: z.uuid() }), body: rejectBody, audit: 'staged.reject' },
  async ({ runtime, params, body, principal, audit }) => {
    audit({ entityType: 'staged_change', entityId: params.id, details: { reason: body.reason ?? null } });
    const change = await rejectChange(runtime.db, params.id, body.reason, { id: principal.email ?? principal.id });
    audit({ storeId: change.storeId });
    return presentDecision(change);
  },
);
