import { z } from 'zod';
import { instant } from '@/lib/sync/schedule-body';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

const body = z.object({ startAt: instant, endAt: instant.optional() }).strict();

/**
 * Approves an outgoing change with a window: pushed at `startAt` as a batch, rolled back at `endAt`
 * (when given) as a batch, both with the drift check. Until its start an ordinary push leaves it.
 */
export const POST = route(
  { action: 'review', params: z.object({ id: z.uuid() }), body, audit: 'staged.schedule', status: 201 },
  async ({ services, params, body, principal, audit }) => {
    audit({ entityType: 'staged_change', entityId: params.id, details: { startAt: body.startAt.toISOString() } });
    const rows = await services.schedules.scheduleWindow({
      changeId: params.id,
      startAt: body.startAt,
      endAt: body.endAt,
      by: principal.email ?? principal.id,
    });
    audit({ storeId: rows[0]!.storeId, details: { endAt: body.endAt?.toISOString() ?? null } });
    return {
      changeId: params.id,
      start: { id: rows[0]!.id, runAt: rows[0]!.runAt.toISOString() },
      end: rows[1] ? { id: rows[1].id, runAt: rows[1].runAt.toISOString() } : null,
    };
  },
);
