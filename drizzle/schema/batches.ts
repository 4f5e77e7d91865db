import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { BatchItemStatus, BatchKind, BatchStatus, ChangeOp, EntityType, FieldValues, ItemSide, Priority } from '../../lib/sync/model';
import { createdAt, ownerRef, tstz, updatedAt, uuidPk } from './columns';
import { storeRef } from './stores';

export interface BatchCounts {
  total: number;
  applied: number;
  failed: number;
  drifted: number;
  cancelled: number;
  dead: number;
  rolledBack: number;
}

/** A new batch's counts: `total` items, `applied` of them already (an adopt applies all at once), none otherwise settled. */
export const newBatchCounts = (total: number, applied = 0): BatchCounts => ({
  total,
  applied,
  failed: 0,
  drifted: 0,
  cancelled: 0,
  dead: 0,
  rolledBack: 0,
});

/** A set of decided changes applied together: a push, a master update (adopt), or a rollback. */
export const batches = pgTable(
  'batches',
  {
    id: uuidPk(),
    storeId: storeRef(),
    kind: text('kind').$type<BatchKind>().notNull(),
    status: text('status').$type<BatchStatus>().notNull().default('queued'),
    priority: text('priority').$type<Priority>().notNull().default('normal'),
    /** Set when an admin chose the class instead of the per-change default. */
    priorityOverride: text('priority_override').$type<Priority | null>(),
    mode: text('mode').$type<'regular' | 'bulk'>().notNull().default('regular'),
    rollbackOf: uuid('rollback_of'),
    operationId: uuid('operation_id'),
    createdBy: text('created_by').notNull(),
    counts: jsonb('counts')
      .$type<BatchCounts>()
      .notNull()
      .default(sql`'{"total":0,"applied":0,"failed":0,"drifted":0,"cancelled":0,"dead":0,"rolledBack":0}'::jsonb`),
    error: text('error'),
    createdAt: createdAt(),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    updatedAt: updatedAt(),
  },
  (t) => [index('batches_store_created_idx').on(t.storeId, t.createdAt)],
);
export type Batch = typeof batches.$inferSelect;
export type NewBatch = typeof batches.$inferInsert;

/**
 * One entity's write inside a batch. `before` is what the side held when the batch was made
 * (for a push: the remote value the reviewer approved against), `target` what we write,
 * `after` what the side held once the item settled. A rollback item targets the source item's `before`.
 */
export const batchItems = pgTable(
  'batch_items',
  {
    id: uuidPk(),
    batchId: ownerRef('batch_id', () => batches.id),
    storeId: storeRef(),
    stagedChangeId: uuid('staged_change_id'),
    sourceItemId: uuid('source_item_id'),
    side: text('side').$type<ItemSide>().notNull(),
    entity: text('entity').$type<EntityType>().notNull(),
    entityKey: text('entity_key').notNull(),
    productKey: text('product_key'),
    op: text('op').$type<ChangeOp>().notNull().default('update'),
    priority: text('priority').$type<Priority>().notNull().default('normal'),
    before: jsonb('before').$type<FieldValues | null>(),
    target: jsonb('target').$type<FieldValues | null>(),
    after: jsonb('after').$type<FieldValues | null>(),
    /** What Shopify (or the master) held instead of `before` when the item was found drifted. */
    observed: jsonb('observed').$type<FieldValues | null>(),
    status: text('status').$type<BatchItemStatus>().notNull().default('queued'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    /** Derived from the item id; sent as the @idempotent key of inventory writes. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** Index of this item's line in a bulk mutation upload. */
    bulkLine: integer('bulk_line'),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('batch_items_batch_status_idx').on(t.batchId, t.status),
    index('batch_items_store_status_idx').on(t.storeId, t.status),
    uniqueIndex('batch_items_idempotency_idx').on(t.idempotencyKey),
    // A product's history (its timeline and a revert to a point in time) reads its items by product.
    index('batch_items_product_idx').on(t.storeId, t.productKey, t.finishedAt),
  ],
);
export type BatchItem = typeof batchItems.$inferSelect;
export type NewBatchItem = typeof batchItems.$inferInsert;

/** A lease on a store for one kind of work: whoever holds an unexpired one does it, across processes. */
const leaseTable = (name: string) =>
  pgTable(name, {
    storeId: storeRef().primaryKey(),
    holder: text('holder').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    acquiredAt: tstz('acquired_at').notNull().defaultNow(),
  });
/** One process pushes a store at a time. */
export const storeLeases = leaseTable('store_leases');
/** One process pulls (or polls) a store at a time. */
export const pullLeases = leaseTable('pull_leases');
