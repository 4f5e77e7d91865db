import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type {
  ChangeKind,
  ChangeOp,
  ChangeOrigin,
  ChangeSource,
  ChangeStatus,
  EntityType,
  FieldDiff,
  FieldValues,
} from '../../lib/sync/model';
import { createdAt, tstz, updatedAt, uuidPk } from './columns';
import { optionalStoreRef, storeRef } from './stores';

/** One entity's difference between master and Shopify, waiting for (or past) a person's decision. */
export const stagedChanges = pgTable(
  'staged_changes',
  {
    id: uuidPk(),
    storeId: storeRef(),
    entity: text('entity').$type<EntityType>().notNull(),
    entityKey: text('entity_key').notNull(),
    productKey: text('product_key'),
    kind: text('kind').$type<ChangeKind>().notNull(),
    op: text('op').$type<ChangeOp>().notNull().default('update'),
    status: text('status').$type<ChangeStatus>().notNull().default('pending'),
    fields: jsonb('fields').$type<FieldDiff[]>().notNull(),
    /** Fields chosen at approval (null: all). */
    approvedFields: jsonb('approved_fields').$type<string[] | null>(),
    /** The values the reviewer decided on, per approved field. */
    target: jsonb('target').$type<FieldValues | null>(),
    source: text('source').$type<ChangeSource>().notNull(),
    /** Denormalized for filters and search: product title, SKUs, vendor, product type. */
    title: text('title'),
    searchText: text('search_text').notNull().default(''),
    vendor: text('vendor'),
    productType: text('product_type'),
    /** Relative size of a numeric change (price, quantity), for auto-approval rules and highlighting. */
    magnitude: jsonb('magnitude').$type<Record<string, number> | null>(),
    decidedBy: text('decided_by'),
    decidedAt: tstz('decided_at'),
    reason: text('reason'),
    autoRule: text('auto_rule'),
    supersededBy: uuid('superseded_by'),
    /** Why the change exists beyond a diff: `restore_shopify` when a rejected incoming change left the master's value to push back. */
    origin: text('origin').$type<ChangeOrigin>(),
    /** The change whose decision staged this one (for a restore: the rejected incoming change). */
    originChangeId: uuid('origin_change_id'),
    /** For a `revert`: the point in time the product was reverted to. */
    originAt: tstz('origin_at'),
    batchId: uuid('batch_id'),
    error: text('error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // At most one pending change per entity and direction: re-staging updates or supersedes it, never duplicates.
    uniqueIndex('staged_changes_one_pending_idx').on(t.storeId, t.entity, t.entityKey, t.kind).where(sql`${t.status} = 'pending'`),
    index('staged_changes_list_idx').on(t.storeId, t.status, t.kind, t.updatedAt, t.id),
    index('staged_changes_entity_idx').on(t.storeId, t.entity, t.entityKey),
    index('staged_changes_product_idx').on(t.storeId, t.productKey),
  ],
);
export type StagedChange = typeof stagedChanges.$inferSelect;
export type NewStagedChange = typeof stagedChanges.$inferInsert;

export interface AutoApprovalCondition {
  /** Only changes of these kinds (default incoming and outgoing; conflicts are never auto-approved). */
  kinds?: ChangeKind[];
  entity?: EntityType;
  /** Every changed field must be one of these. */
  fields?: string[];
  /** Absolute quantity delta at most this (inventory). */
  maxQuantityDelta?: number;
  /** Relative price change at most this percentage. */
  maxPricePercent?: number;
}

export const autoApprovalRules = pgTable('auto_approval_rules', {
  id: uuidPk(),
  storeId: optionalStoreRef(),
  name: text('name').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  condition: jsonb('condition').$type<AutoApprovalCondition>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
export type AutoApprovalRule = typeof autoApprovalRules.$inferSelect;

/** Who decides a field's changes: the master keeps its value, Shopify's edits are adopted, or a person reviews (the default). */
export type FieldOwner = 'master' | 'shopify' | 'review';

/** One field's owner in one store: ownership decides a pending change of that field without a person (server/review/ownership.ts). */
export const fieldOwnershipRules = pgTable(
  'field_ownership_rules',
  {
    id: uuidPk(),
    storeId: storeRef(),
    entity: text('entity').$type<EntityType>().notNull(),
    field: text('field').notNull(),
    owner: text('owner').$type<FieldOwner>().notNull(),
    /** The preset that set this rule (its name in history), or null for a rule set on its own. */
    preset: text('preset'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('field_ownership_rules_field_idx').on(t.storeId, t.entity, t.field)],
);
export type FieldOwnershipRule = typeof fieldOwnershipRules.$inferSelect;
