import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from './client';

/**
 * Raw SQL through drizzle answers differently per driver (postgres.js: an array; PGlite: {rows}).
 * Every raw query goes through here so callers always get plain rows.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export async function queryOne<T extends Record<string, unknown>>(db: Executor, query: SQL): Promise<T | undefined> {
  const rows = await queryRows<T>(db, query);
  return rows[0];
}

/** Number of rows a raw UPDATE/DELETE touched, for both drivers. */
export async function execCount(db: Executor, query: SQL): Promise<number> {
  const result = (await db.execute(query)) as unknown as { count?: number; affectedRows?: number };
  return Number(result.count ?? result.affectedRows ?? 0);
}

/**
 * A value as node-postgres would bind it: undefined is NULL (drizzle would drop the placeholder),
 * a plain object is JSON text (pg-boss passes job data for jsonb columns).
 */
function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return JSON.stringify(value);
  }
  return value;
}

/**
 * Turns `text` with $1..$n placeholders and its values into a drizzle SQL object, so that code
 * written for node-postgres style (pg-boss) can run inside a drizzle transaction of either driver.
 */
export function positionalSql(text: string, values: readonly unknown[] = []): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      if (parts[i]) chunks.push(sql.raw(parts[i]!));
    } else {
      chunks.push(sql`${bindable(values[Number(parts[i]) - 1])}`);
    }
  }
  return sql.join(chunks, sql.raw(''));
}

/** A text[] literal: binds as one parameter on both drivers. */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
