import { pgTable, text } from 'drizzle-orm/pg-core';
import type { Role } from '../../lib/auth/permissions';
import { createdAt, tstz, updatedAt } from './columns';

/** People seen by the app: the seeded demo users, and Supabase users on first sign-in. */
export const users = pgTable('users', {
  id: text('id').primaryKey(),
  email: text('email'),
  name: text('name'),
  role: text('role').$type<Role>().notNull(),
  source: text('source').$type<'demo' | 'supabase'>().notNull(),
  lastSeenAt: tstz('last_seen_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
export type User = typeof users.$inferSelect;

/** Secrets the app generates for itself (the demo sign-in key), shared by every process. */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});
