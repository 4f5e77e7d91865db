import { route } from '@/server/http/route';
import { bulkAuditDetails, bulkDecide, bulkRejectBody } from '@/server/review/decisions';
import { publishDecided, publishStaged } from '@/server/staging/events';

export const dynamic = 'force-dynamic';

/** Rejects many changes: master edits discarded (one adopt batch), restores staged for rejected incoming changes. */
export const POST = route(
  { action: 'review', body: bulkRejectBody, audit: 'staged.bulk_reject' },
  async ({ runtime, body, principal, audit, scopeStoreId }) => {
    const by = { id: principal.email ?? principal.id };
    const scoped = 'filter' in body ? { ...body, filter: { ...body.filter, storeId: body.filter.storeId ?? scopeStoreId } } : body;
    const result = await bulkDecide(runtime.db, scoped, { action: 'reject', reason: body.reason }, by);
    audit({ entityType: 'staged_change', details: { ...bulkAuditDetails(body, result), reason: body.reason ?? null } });
    await publishDecided(runtime.hub, result.decided, 'rejected');
    for (const { storeId, result: staged } of result.restaged) await publishStaged(runtime.hub, storeId, staged, 'review');
    return { count: result.count, skipped: result.skipped };
  },
);
