import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { auditLog, type AuditEntry } from '../../drizzle/schema';
import type { Principal } from '../../lib/auth/permissions';
import type { Executor } from '../db/client';

export interface AuditInput {
  actor: Pick<Principal, 'id' | 'email' | 'role'> | { id: string; email?: null; role?: null };
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  storeId?: string | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
}

/** Who did what, when, to which entity. Takes a transaction so the record commits with the change. */
export async function recordAudit(db: Executor, input: AuditInput): Promise<void> {
  await db.insert(auditLog).values({
    actorId: input.actor.id,
    actorEmail: input.actor.email ?? null,
    actorRole: input.actor.role ?? null,
    action: input.action,
    entityType: input.entityType ?? null,
    entityId: input.entityId ?? null,
    storeId: input.storeId ?? null,
    details: input.details ?? {},
    requestId: input.requestId ?? null,
  });
}

export interface ActivityQuery {
  limit: number;
  cursor?: number;
  entityType?: string;
  entityId?: string;
  actorId?: string;
}

export async function listRecentActivity(db: Executor, query: ActivityQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const where: SQL[] = [];
  if (query.cursor !== undefined) where.push(lt(auditLog.id, query.cursor));
  if (query.entityType) where.push(eq(auditLog.entityType, query.entityType));
  if (query.entityId) where.push(eq(auditLog.entityId, query.entityId));
  if (query.actorId) where.push(eq(auditLog.actorId, query.actorId));
  const rows = await db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  return { items, nextCursor: rows.length > query.limit ? String(items[items.length - 1]!.id) : null };
}
