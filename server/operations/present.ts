import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { operations, type Operation } from '../../drizzle/schema';
import { AppError } from '../../lib/errors';
import type { OperationKind, OperationStatus } from '../../lib/sync/model';
import type { Executor } from '../db/client';

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

/** Keyset cursor over (createdAt, id), newest first. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime())) throw new AppError('validation:cursor', 'Invalid cursor');
  return { at: date, id };
}

export async function listOperations(
  db: Executor,
  query: { kind?: OperationKind; status?: OperationStatus; storeId?: string; cursor?: string; limit: number },
) {
  const where: SQL[] = [];
  if (query.kind) where.push(eq(operations.kind, query.kind));
  if (query.status) where.push(eq(operations.status, query.status));
  if (query.storeId) where.push(eq(operations.storeId, query.storeId));
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    where.push(or(lt(operations.createdAt, c.at), and(eq(operations.createdAt, c.at), lt(operations.id, c.id)))!);
  }
  const rows = await db
    .select()
    .from(operations)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(operations.createdAt), desc(operations.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(presentOperation),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}
