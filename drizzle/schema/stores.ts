import { sql } from 'drizzle-orm';
import { bigint, boolean, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ownerRef, tstz, updatedAt, uuidPk } from './columns';

export interface StoreSettings {
  /** Batches with more products than this go through bulkOperationRunMutation. */
  bulkThreshold?: number;
  /** Minutes between backup polls (incremental pulls). 0 turns the poll off. */
  pollIntervalMinutes?: number;
}

/** The last check of a store's webhook subscriptions (server/ingest/webhooks/subscription-check.ts). */
export interface WebhookCheck {
  checkedAt: string;
  /** Topics that had no subscription to our address when checked (registered again, unless `error`). */
  missing: string[];
  /** Why the check or the re-registration failed; null when it succeeded. */
  error: string | null;
}

export const stores = pgTable('stores', {
  id: uuidPk(),
  shopDomain: text('shop_domain').notNull().unique(),
  name: text('name').notNull(),
  /** Endpoint override (the emulator); null means https://{shopDomain}. */
  adminUrl: text('admin_url'),
  apiVersion: text('api_version').notNull().default('2026-10'),
  accessToken: text('access_token').notNull(),
  webhookSecret: text('webhook_secret'),
  /** Where the store came from: the environment, or connected in Settings. */
  source: text('source').$type<'env' | 'settings' | 'demo'>().notNull().default('settings'),
  active: boolean('active').notNull().default(true),
  settings: jsonb('settings').$type<StoreSettings>().notNull().default(sql`'{}'::jsonb`),
  /** The incremental pull reads products updated after this instant (minus the overlap window). */
  incrementalCursor: tstz('incremental_cursor'),
  lastFullPullAt: tstz('last_full_pull_at'),
  lastPullAt: tstz('last_pull_at'),
  /** Increases with every full pull; entities not seen by the latest one are gone from Shopify. */
  pullGeneration: bigint('pull_generation', { mode: 'number' }).notNull().default(0),
  webhooksRegisteredAt: tstz('webhooks_registered_at'),
  webhookCheck: jsonb('webhook_check').$type<WebhookCheck>(),
  /** Backup-poll health for the health page: consecutive failures, last success, last error. */
  pollFailures: integer('poll_failures').notNull().default(0),
  lastPollAt: tstz('last_poll_at'),
  lastPollSuccessAt: tstz('last_poll_success_at'),
  lastPollError: text('last_poll_error'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
/** The store a row belongs to: the row goes with its store. */
export const storeRef = () => ownerRef('store_id', () => stores.id);
/** As storeRef, for rows that may belong to no store. */
export const optionalStoreRef = () => uuid('store_id').references(() => stores.id, { onDelete: 'cascade' });

export type Store = typeof stores.$inferSelect;
export type NewStore = typeof stores.$inferInsert;

export const locations = pgTable(
  'locations',
  {
    storeId: storeRef(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.id] })],
);
export type Location = typeof locations.$inferSelect;

/**
 * The store's metafield definitions (owner PRODUCT or PRODUCTVARIANT), as the last pull read them:
 * the type and simple validations an edit or a CSV cell is checked against, and the name the review
 * and the CSV columns show. Replaced by every pull that reads them.
 */
export const metafieldDefinitions = pgTable(
  'metafield_definitions',
  {
    storeId: storeRef(),
    ownerType: text('owner_type').$type<'PRODUCT' | 'PRODUCTVARIANT'>().notNull(),
    namespace: text('namespace').notNull(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    validations: jsonb('validations').$type<Array<{ name: string; value: string | null }>>().notNull().default([]),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.ownerType, t.namespace, t.key] })],
);
export type MetafieldDefinitionRow = typeof metafieldDefinitions.$inferSelect;
