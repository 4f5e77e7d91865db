import { eq, type SQL } from 'drizzle-orm';
import { type AuditEntry, auditLog } from '../../drizzle/schema';
import type { Principal } from '../../lib/auth/permissions';
import type { Executor } from '../db/client';
import { keyset } from '../db/keyset';

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
  cursor?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
}

/** Newest first: ids grow with time and never repeat. */
const activityPages = keyset({ id: { column: auditLog.id, type: 'bigint' }, direction: 'desc' });

export async function listRecentActivity(db: Executor, query: ActivityQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const where: SQL[] = [];
  if (query.entityType) where.push(eq(auditLog.entityType, query.entityType));
  if (query.entityId) where.push(eq(auditLog.entityId, query.entityId));
  if (query.actorId) where.push(eq(auditLog.actorId, query.actorId));
  return activityPages.select(db.select().from(auditLog).$dynamic(), where, query, (entry) => ({ id: String(entry.id) }));
}
