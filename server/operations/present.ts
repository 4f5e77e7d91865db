import { eq, getTableColumns, type SQL } from 'drizzle-orm';
import { type Operation, operations } from '../../drizzle/schema';
import type { OperationKind, OperationStatus } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { keyset } from '../db/keyset';

/** The operation shape of DESIGN.md's HTTP API. */
export function presentOperation(op: Operation) {
  return {
    id: op.id,
    kind: op.kind,
    status: op.status,
    title: op.title,
    storeId: op.storeId,
    progress: { done: op.progressDone, total: op.progressTotal },
    counts: op.counts,
    error: op.error ?? undefined,
    startedBy: op.startedBy,
    startedAt: op.startedAt?.toISOString() ?? null,
    finishedAt: op.finishedAt?.toISOString() ?? null,
    createdAt: op.createdAt.toISOString(),
    cancelRequested: Boolean(op.cancelRequestedAt),
    meta: op.meta,
  };
}
export type OperationView = ReturnType<typeof presentOperation>;

/** Newest first. */
const operationPages = keyset({
  key: { column: operations.createdAt, type: 'timestamptz' },
  id: { column: operations.id, type: 'uuid' },
  direction: 'desc',
});

export async function listOperations(
  db: Executor,
  query: { kind?: OperationKind; status?: OperationStatus; storeId?: string; cursor?: string; limit: number },
) {
  const where: SQL[] = [];
  if (query.kind) where.push(eq(operations.kind, query.kind));
  if (query.status) where.push(eq(operations.status, query.status));
  if (query.storeId) where.push(eq(operations.storeId, query.storeId));
  const rows = db
    .select({ ...getTableColumns(operations), cursorKey: operationPages.cursorKey })
    .from(operations)
    .$dynamic();
  const page = await operationPages.select(rows, where, query, (op) => ({ key: op.cursorKey, id: op.id }));
  return { items: page.items.map(presentOperation), nextCursor: page.nextCursor };
}
