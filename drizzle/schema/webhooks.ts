import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { WebhookDeliveryStatus } from '../../lib/sync/model';
import { createdAt, ownerRef, tstz, updatedAt, uuidPk } from './columns';
import { optionalStoreRef, storeRef } from './stores';

/** Shopify webhook deliveries received; the unique event id makes a redelivery a no-op. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuidPk(),
    storeId: optionalStoreRef(),
    shopDomain: text('shop_domain').notNull(),
    topic: text('topic').notNull(),
    eventId: text('event_id').notNull(),
    webhookId: text('webhook_id'),
    apiVersion: text('api_version'),
    triggeredAt: tstz('triggered_at'),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    status: text('status').$type<WebhookDeliveryStatus>().notNull().default('accepted'),
    duplicates: integer('duplicates').notNull().default(0),
    payload: jsonb('payload').$type<unknown>(),
    error: text('error'),
    processedAt: tstz('processed_at'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_idx').on(t.shopDomain, t.eventId),
    index('webhook_deliveries_received_idx').on(t.receivedAt),
  ],
);
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/**
 * Rate-limit counters shared by every process (rate-limiter-flexible's Drizzle store): points spent
 * by a key until `expire`. Webhook requests that fail verification spend them, per client address.
 */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  points: integer('points').notNull().default(0),
  expire: tstz('expire'),
});

/** Outbound notifications: URLs that want to hear when a batch completes. */
export const notificationSubscribers = pgTable('notification_subscribers', {
  id: uuidPk(),
  storeId: optionalStoreRef(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  events: jsonb('events').$type<string[]>().notNull().default(sql`'["batch.completed"]'::jsonb`),
  active: boolean('active').notNull().default(true),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
export type NotificationSubscriber = typeof notificationSubscribers.$inferSelect;

/** Every attempt to deliver an outbound notification, successful or not. */
export const notificationAttempts = pgTable(
  'notification_attempts',
  {
    id: uuidPk(),
    subscriberId: ownerRef('subscriber_id', () => notificationSubscribers.id),
    deliveryId: uuid('delivery_id').notNull(),
    event: text('event').notNull(),
    attempt: integer('attempt').notNull(),
    status: text('status').$type<'delivered' | 'failed'>().notNull(),
    httpStatus: integer('http_status'),
    error: text('error'),
    durationMs: integer('duration_ms'),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [index('notification_attempts_delivery_idx').on(t.deliveryId)],
);

/** CSV imports: the uploaded file's mapping, counts and per-row errors. */
export const imports = pgTable('imports', {
  id: uuidPk(),
  storeId: storeRef(),
  filename: text('filename').notNull(),
  status: text('status').$type<'previewed' | 'running' | 'completed' | 'failed'>().notNull(),
  keyColumn: text('key_column'),
  mapping: jsonb('mapping').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
  counts: jsonb('counts').$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
  rowErrors: jsonb('row_errors').$type<Array<{ row: number; column: string | null; reason: string }>>().notNull().default(sql`'[]'::jsonb`),
  operationId: uuid('operation_id'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
export type ImportRow = typeof imports.$inferSelect;
