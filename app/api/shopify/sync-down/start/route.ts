import { route } from '@/server/http/route';
import { pullRequestBody, startPullRequest } from '@/server/ingest/pull/request';

export const dynamic = 'force-dynamic';

/** Seed alias of POST /api/sync/shopify/pull (a full pull by default): the "batch" of a sync-down is the pull operation. */
export const POST = route(
  { action: 'operate', body: pullRequestBody('full'), audit: 'sync.pull', status: 202 },
  async ({ runtime, services, body, principal, audit }) => {
    const operation = await startPullRequest(runtime.db, services.pull, body, principal.email ?? principal.id);
    audit({
      entityType: 'operation',
      entityId: operation.id,
      storeId: operation.storeId,
      details: { mode: body.mode, alias: 'sync-down' },
    });
    return { batchId: operation.id, operationId: operation.id, status: operation.status };
  },
);
