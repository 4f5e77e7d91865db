import { route } from '@/server/http/route';
import { fanOutAdoptions } from '@/server/ingest/edits';
import { bulkApprove, bulkAuditDetails, bulkBody } from '@/server/review/decisions';
import { publishDecided } from '@/server/staging/events';

export const dynamic = 'force-dynamic';

/** One decision for many changes: one transaction, one adopt batch for what it writes into the master. */
export const POST = route(
  { action: 'review', body: bulkBody, audit: 'staged.bulk_approve' },
  async ({ runtime, body, principal, audit, scopeStoreId }) => {
    const by = { id: principal.email ?? principal.id };
    // A filter without a store means the store the switcher shows (all stores when it says so).
    const scoped = 'filter' in body ? { ...body, filter: { ...body.filter, storeId: body.filter.storeId ?? scopeStoreId } } : body;
    const result = await bulkApprove(runtime.db, scoped, by);
    audit({ entityType: 'staged_change', details: bulkAuditDetails(body, result) });
    await publishDecided(runtime.hub, result.decided, 'approved');
    await fanOutAdoptions(
      runtime.db,
      runtime.hub,
      result.decided.map((c) => c.id),
      runtime.logger,
    );
    return { count: result.count, skipped: result.skipped };
  },
);
