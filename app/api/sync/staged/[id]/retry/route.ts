import { z } from 'zod';
import { route } from '@/server/http/route';
import { presentDecision } from '@/server/push/present';
import { retryFailedChange } from '@/server/review/retry';
import { publishDecided } from '@/server/staging/events';

export const dynamic = 'force-dynamic';

/** A change whose push failed is approved again, for the next push (409 for any other status). */
export const POST = route(
  { action: 'review', params: z.object({ id: z.uuid() }), body: z.object({}).strict().optional(), audit: 'staged.retry' },
  async ({ runtime, params, principal, audit }) => {
    audit({ entityType: 'staged_change', entityId: params.id });
    const change = await retryFailedChange(runtime.db, params.id, { id: principal.email ?? principal.id });
    audit({ storeId: change.storeId });
    await publishDecided(runtime.hub, [change], 'approved');
    return presentDecision(change);
  },
);
