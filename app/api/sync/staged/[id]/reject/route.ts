import { z } from 'zod';
import { route } from '@/server/http/route';
import { presentDecision } from '@/server/push/present';
import { rejectBody, rejectDecision } from '@/server/review/decisions';
import { publishDecided, publishStaged } from '@/server/staging/events';

export const dynamic = 'force-dynamic';

/** Rejects a change: 409 for a conflict (resolve it instead); the restore it leaves is announced like any staging. */
export const POST = route(
  { action: 'review', params: z.object({ id: z.uuid() }), body: rejectBody, audit: 'staged.reject' },
  async ({ runtime, params, body, principal, audit }) => {
    audit({ entityType: 'staged_change', entityId: params.id, details: { reason: body.reason ?? null } });
    const { change, batchId, restaged } = await rejectDecision(runtime.db, params.id, body.reason, {
      id: principal.email ?? principal.id,
    });
    audit({ storeId: change.storeId, details: { reason: body.reason ?? null, adoptBatchId: batchId } });
    await publishDecided(runtime.hub, [change], 'rejected');
    for (const { storeId, result } of restaged) await publishStaged(runtime.hub, storeId, result, 'review');
    return presentDecision(change);
  },
);
