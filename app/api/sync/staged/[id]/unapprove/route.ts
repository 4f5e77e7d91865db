import { z } from 'zod';
import { route } from '@/server/http/route';
import { unapproveChange } from '@/server/push/decisions';
import { presentDecision } from '@/server/push/present';

export const dynamic = 'force-dynamic';

export const POST = route(
  { action: 'review', params: z.object({ id: z.uuid() }), body: z.object({}).strict().optional(), audit: 'staged.unapprove' },
  async ({ runtime, params, audit }) => {
    audit({ entityType: 'staged_change', entityId: params.id });
    const change = await unapproveChange(runtime.db, params.id);
    audit({ storeId: change.storeId });
    return presentDecision(change);
  },
);
