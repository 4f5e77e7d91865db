import { z } from 'zod';
import { listRecentActivity } from '@/server/audit/log';
import { pageParams } from '@/server/db/keyset';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

const query = z.object({
  ...pageParams(),
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(300).optional(),
  actorId: z.string().max(200).optional(),
});

/** The audit feed: who did what, when, on which entity. */
export const GET = route({ action: 'view', query }, async ({ runtime, query }) => {
  const page = await listRecentActivity(runtime.db, query);
  return {
    items: page.items.map((e) => ({ ...e, at: e.at.toISOString() })),
    nextCursor: page.nextCursor,
  };
});
