import { type AnyPgColumn, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Timestamps are always with time zone; `createdAt`/`updatedAt` default to now(). */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const createdAt = () => tstz('created_at').notNull().defaultNow();
export const updatedAt = () => tstz('updated_at').notNull().defaultNow();

/** A random uuid primary key named id. */
export const uuidPk = () => uuid('id').primaryKey().defaultRandom();

/** A uuid column naming the row this one belongs to: required, and deleted with its owner. */
export const ownerRef = (name: string, owner: () => AnyPgColumn) => uuid(name).notNull().references(owner, { onDelete: 'cascade' });
