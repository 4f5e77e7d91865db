import { z } from 'zod';
import { can, deniedReason } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/**
 * Cancels a schedule not started yet: a scheduled push is an admin's to cancel (like the push), a
 * change window a reviewer's (like the approval it carries).
 */
export const POST = route(
  { action: 'review', params: z.object({ id: z.uuid() }), body: z.object({}).strict().optional(), audit: 'schedule.cancel' },
  async ({ services, params, principal, audit }) => {
    audit({ entityType: 'schedule', entityId: params.id });
    const row = await services.schedules.cancel(params.id, principal.email ?? principal.id, (kind) => {
      const action = kind === 'push' ? 'operate' : 'review';
      if (!can(principal.role, action)) throw new AppError('forbidden', deniedReason(principal.role, action)!);
    });
    audit({ storeId: row.storeId, details: { kind: row.kind } });
    return { id: row.id, kind: row.kind, status: row.status };
  },
);
