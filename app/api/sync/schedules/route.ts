import { z } from 'zod';
import { PRIORITIES } from '@/lib/sync/model';
import { instant } from '@/lib/sync/schedule-body';
import { route } from '@/server/http/route';
import { listSchedules } from '@/server/push/schedule/list';
import { resolveStore } from '@/server/stores/resolve';

export const dynamic = 'force-dynamic';

const query = z.object({ storeId: z.uuid().optional(), productId: z.string().min(1).max(200).optional() }).strict();

/** Waiting schedules and those of the last week; `productId` narrows to a product's change windows. */
export const GET = route({ action: 'view', query }, async ({ runtime, query }) => {
  const items = await listSchedules(runtime.db, query);
  return { items, total: items.length, nextCursor: null };
});

const body = z
  .object({ kind: z.literal('push'), runAt: instant, priority: z.enum(PRIORITIES).optional(), storeId: z.uuid().optional() })
  .strict();

/** Schedules a push of the store's approved changes (an admin's, like pushing now). */
export const POST = route(
  { action: 'operate', body, audit: 'schedule.push', status: 201 },
  async ({ runtime, services, body, principal, audit }) => {
    const store = await resolveStore(runtime.db, body.storeId);
    const row = await services.schedules.schedulePush({
      storeId: store.id,
      runAt: body.runAt,
      priority: body.priority,
      createdBy: principal.email ?? principal.id,
    });
    audit({ entityType: 'schedule', entityId: row.id, storeId: store.id, details: { runAt: row.runAt.toISOString() } });
    return { id: row.id, kind: row.kind, runAt: row.runAt.toISOString(), status: row.status };
  },
);
