import { and, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { AppError } from '../../lib/errors';

/**
 * Keyset pagination over (sort key, id), for every list of the API: one opaque cursor, one WHERE,
 * one ORDER BY, one "fetch limit + 1, keep limit" step. A timestamp key travels as Postgres prints
 * it, microseconds included: a JavaScript Date keeps milliseconds only, and a cursor cut to the
 * millisecond skips (or repeats) the rows that share it.
 */

export interface KeysetSpec {
  /** The sort key (a column or expression); absent when the id alone orders the list. */
  key?: { column: SQLWrapper; type: 'timestamptz' | 'text' | 'numeric' };
  /** The unique tie-breaker. */
  id: { column: SQLWrapper; type: 'uuid' | 'bigint' };
  direction: 'asc' | 'desc';
}

/** Where a page ended: its last row's sort key (as Postgres text) and id. */
export interface KeysetPosition {
  key?: string;
  id: string;
}

/** The cursor parameter of a list's query schema. */
export const cursorParam = z.string().min(1).max(2000).optional();

/** A list's page parameters, spread into its query schema: the cursor of the page before and a page size. */
export const pageParams = (max = 200, fallback = 50) => ({
  cursor: cursorParam,
  limit: z.coerce.number().int().min(1).max(max).default(fallback),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BIGINT = /^[1-9][0-9]{0,17}$/;
const NUMERIC = /^-?\d{1,18}(\.\d{1,20})?$/;
/** timestamptz as Postgres prints it (DateStyle ISO): `2026-03-01 10:00:00.123456+00`. */
const PG_TIMESTAMPTZ = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](?:0\d|1[0-5])(?::[0-5]\d){0,2}$/;

function isTimestamp(text: string): boolean {
  const m = PG_TIMESTAMPTZ.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d));
  // Checked here, not left to Postgres: a date it refuses would be a 500, not a 400.
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

function invalidCursor(): AppError {
  return new AppError('validation:cursor', 'The cursor is not valid; start from the first page');
}

export function encodeCursor(position: KeysetPosition): string {
  const value = position.key === undefined ? [position.id] : [position.key, position.id];
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(spec: KeysetSpec, cursor: string): KeysetPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parts = spec.key ? 2 : 1;
  if (!Array.isArray(value) || value.length !== parts || !value.every((v) => typeof v === 'string')) throw invalidCursor();
  const id = value[parts - 1] as string;
  if (!(spec.id.type === 'uuid' ? UUID : BIGINT).test(id)) throw invalidCursor();
  if (!spec.key) return { id };
  const key = value[0] as string;
  if (spec.key.type === 'timestamptz' && !isTimestamp(key)) throw invalidCursor();
  if (spec.key.type === 'numeric' && !NUMERIC.test(key)) throw invalidCursor();
  return { key, id };
}

const typed = (value: string, type: string) => sql`${value}::${sql.raw(type)}`;

/** The pagination of one list, built once per spec. */
export function keyset(spec: KeysetSpec) {
  const dir = sql.raw(spec.direction);
  const columns = spec.key ? sql`${spec.key.column}, ${spec.id.column}` : sql`${spec.id.column}`;
  const orderBy = spec.key ? sql`${spec.key.column} ${dir}, ${spec.id.column} ${dir}` : sql`${spec.id.column} ${dir}`;
  /** Rows past the cursor's position; undefined for the first page. */
  const after = (cursor: string | undefined): SQL | undefined => {
    if (!cursor) return undefined;
    const at = decodeCursor(spec, cursor);
    const id = typed(at.id, spec.id.type);
    const position = spec.key ? sql`${typed(at.key!, spec.key.type)}, ${id}` : id;
    return sql`(${columns}) ${sql.raw(spec.direction === 'desc' ? '<' : '>')} (${position})`;
  };
  return {
    /** Select it with the rows: the sort key as Postgres text, the next cursor's key. */
    cursorKey: sql<string>`${spec.key?.column ?? spec.id.column}::text`,
    orderBy,
    after,
    /** For raw SQL: fetch one row more than the page holds (see `page`). */
    fetchLimit: (limit: number) => limit + 1,
    page,
    /** One page of a drizzle select (`.$dynamic()`): the conditions, the cursor's, the order and the limit. */
    async select<Q extends PgSelect>(
      query: Q,
      where: ReadonlyArray<SQL | undefined>,
      params: { cursor?: string; limit: number },
      position: (row: Awaited<Q>[number]) => KeysetPosition,
    ): Promise<{ items: Awaited<Q>[number][]; nextCursor: string | null }> {
      const rows: Awaited<Q>[number][] = await query
        .where(and(...where, after(params.cursor)))
        .orderBy(orderBy)
        .limit(params.limit + 1);
      return page(rows, params.limit, position);
    },
  };
}

/** Rows are fetched with `limit + 1`: the extra one says whether a next page exists. */
function page<T>(rows: T[], limit: number, position: (row: T) => KeysetPosition): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(position(last)) : null };
}
export type Keyset = ReturnType<typeof keyset>;
