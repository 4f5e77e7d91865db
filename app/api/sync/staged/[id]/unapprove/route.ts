import { z } from 'zod';
import { route } from '@/server/http/route';
import { presentDecision } from '@/server/push/present';
import { unapproveChange } from '@/server/review/decisions';
import { publishDecided } from '@/server/staging/events';

export const dynamic = 'force-dynamic';

export const POST = route(
  { action: 'review', params: z.object({ id: z.uuid() }), body: z.object({}).strict().optional(), audit: 'staged.unapprove' },
  async ({ runtime, params, audit }) => {
    audit({ entityType: 'staged_change', entityId: params.id });
    const change = await unapproveChange(runtime.db, params.id);
    audit({ storeId: change.storeId });
    await publishDecided(runtime.hub, [change], 'unapproved');
    return presentDecision(change);
  },
);
