import { z } from 'zod';
import { withCustomCategory } from '@/server/catalog/taxonomy';
import { route } from '@/server/http/route';
import { fanOutAdoptions } from '@/server/ingest/edits';
import { presentDecision } from '@/server/push/present';
import { approveBody, approveChange } from '@/server/review/decisions';
import { publishDecided } from '@/server/staging/events';

export const dynamic = 'force-dynamic';

export const POST = route(
  { action: 'review', params: z.object({ id: z.uuid() }), body: approveBody, audit: 'staged.approve' },
  async ({ runtime, params, body, principal, audit }) => {
    audit({
      entityType: 'staged_change',
      entityId: params.id,
      details: { fields: body.fields ?? null, resolution: body.resolution ?? null },
    });
    const decision = await withCustomCategory(runtime.db, body);
    const change = await approveChange(runtime.db, params.id, decision, { id: principal.email ?? principal.id });
    audit({ storeId: change.storeId });
    await publishDecided(runtime.hub, [change], 'approved');
    // What the master adopted here reaches the other stores' copies (one master), staged there for review.
    await fanOutAdoptions(runtime.db, runtime.hub, [change.id], runtime.logger);
    return presentDecision(change);
  },
);
