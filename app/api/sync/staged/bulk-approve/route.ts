import { route } from '@/server/http/route';
import { approveChange, bulkBody, bulkDecide } from '@/server/push/decisions';

export const dynamic = 'force-dynamic';

export const POST = route({ action: 'review', body: bulkBody, audit: 'staged.bulk_approve' }, async ({ runtime, body, principal, audit }) => {
  const by = { id: principal.email ?? principal.id };
  const resolution = body.resolution;
  const result = await bulkDecide(runtime.db, body, (id) => approveChange(runtime.db, id, resolution ? { resolution } : {}, by));
  audit({ entityType: 'staged_change', details: { selection: 'ids' in body ? { ids: body.ids.length } : { filter: body.filter }, count: result.count, skipped: result.skipped.length } });
  return result;
});
