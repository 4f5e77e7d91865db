import { route } from '@/server/http/route';
import { bulkApprove, bulkAuditDetails, bulkBody } from '@/server/review/decisions';
import { publishDecided } from '@/server/staging/events';

export const dynamic = 'force-dynamic';

/** One decision for many changes: one transaction, one adopt batch for what it writes into the master. */
export const POST = route(
  { action: 'review', body: bulkBody, audit: 'staged.bulk_approve' },
  async ({ runtime, body, principal, audit }) => {
    const by = { id: principal.email ?? principal.id };
    const result = await bulkApprove(runtime.db, body, by);
    audit({ entityType: 'staged_change', details: bulkAuditDetails(body, result) });
    await publishDecided(runtime.hub, result.decided, 'approved');
    return { count: result.count, skipped: result.skipped };
  },
);
