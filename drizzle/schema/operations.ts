import { sql } from 'drizzle-orm';
import { bigserial, customType, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { OperationKind, OperationStatus } from '../../lib/sync/model';
import { createdAt, tstz, updatedAt, uuidPk } from './columns';
import { stores } from './stores';

/** Every long job (pull, push, rollback, import, webhook processing) runs as an operation. */
export const operations = pgTable(
  'operations',
  {
    id: uuidPk(),
    kind: text('kind').$type<OperationKind>().notNull(),
    status: text('status').$type<OperationStatus>().notNull().default('queued'),
    storeId: uuid('store_id').references(() => stores.id, { onDelete: 'set null' }),
    title: text('title').notNull().default(''),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total'),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    error: text('error'),
    startedBy: text('started_by').notNull(),
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    cancelRequestedAt: tstz('cancel_requested_at'),
    cancelRequestedBy: text('cancel_requested_by'),
    createdAt: createdAt(),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    updatedAt: updatedAt(),
  },
  (t) => [index('operations_created_idx').on(t.createdAt), index('operations_status_idx').on(t.status)],
);
export type Operation = typeof operations.$inferSelect;
export type NewOperation = typeof operations.$inferInsert;

/**
 * Realtime events, persisted with a global sequence number so that a client that reconnects
 * with its last `seq` is sent what it missed.
 */
export const events = pgTable(
  'events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    /** Every room the event was sent to (operation:<id>, store:<id>). */
    rooms: text('rooms').array().notNull(),
    type: text('type').notNull(),
    operationId: uuid('operation_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('events_rooms_idx').using('gin', t.rooms), index('events_created_idx').on(t.createdAt)],
);
export type EventRow = typeof events.$inferSelect;

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: tstz('at').notNull().defaultNow(),
    actorId: text('actor_id').notNull(),
    actorEmail: text('actor_email'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    entityType: text('entity_type'),
    entityId: text('entity_id'),
    storeId: uuid('store_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    requestId: text('request_id'),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_entity_idx').on(t.entityType, t.entityId)],
);
export type AuditEntry = typeof auditLog.$inferSelect;

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** Owned by @socket.io/postgres-adapter: packets too large for NOTIFY travel through it. */
export const socketIoAttachments = pgTable('socket_io_attachments', {
  id: bigserial('id', { mode: 'number' }).unique(),
  createdAt: tstz('created_at').defaultNow(),
  payload: bytea('payload'),
});
