import { route } from '@/server/http/route';
import { pullRequestBody, startPullRequest } from '@/server/ingest/pull/request';

export const dynamic = 'force-dynamic';

/** Starts a pull as an operation: 202 {operationId}; progress comes through the operation's events. */
export const POST = route(
  { action: 'operate', body: pullRequestBody('incremental'), audit: 'sync.pull', status: 202 },
  async ({ runtime, services, body, principal, audit, scopeStoreId }) => {
    const operation = await startPullRequest(
      runtime.db,
      services.pull,
      { ...body, storeId: body.storeId ?? scopeStoreId },
      principal.email ?? principal.id,
    );
    audit({ entityType: 'operation', entityId: operation.id, storeId: operation.storeId, details: { mode: body.mode } });
    return { operationId: operation.id, storeId: operation.storeId, mode: body.mode };
  },
);
