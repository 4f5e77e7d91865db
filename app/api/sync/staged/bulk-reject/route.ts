import { z } from 'zod';
import { route } from '@/server/http/route';
import { bulkDecide, rejectChange, stagedFilter } from '@/server/push/decisions';

export const dynamic = 'force-dynamic';

const body = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(10_000), reason: z.string().trim().max(1000).optional() }).strict(),
  z.object({ filter: stagedFilter, reason: z.string().trim().max(1000).optional() }).strict(),
]);

export const POST = route({ action: 'review', body, audit: 'staged.bulk_reject' }, async ({ runtime, body, principal, audit }) => {
  const by = { id: principal.email ?? principal.id };
  const result = await bulkDecide(runtime.db, body, (id) => rejectChange(runtime.db, id, body.reason, by));
  audit({ entityType: 'staged_change', details: { selection: 'ids' in body ? { ids: body.ids.length } : { filter: body.filter }, count: result.count, reason: body.reason ?? null } });
  return result;
});
