import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Executor } from './client';

/**
 * COPY FROM for both drivers, inside the caller's transaction (or on the pool): postgres.js
 * streams `copy ... from stdin` (sql`...`.writable()), PGlite reads the same text from a blob
 * (`copy ... from '/dev/blob'`). Rows are encoded in COPY's text format here, so a large batch is
 * one statement with no bind parameters and no JSON-in-JSON parsing on the server.
 */

export type CopyValue = string | number | boolean | null | undefined;

/** A value in COPY text format: \N for null, backslash escapes for the characters COPY reads. */
export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'string' ? value : String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, escapeChar) : text;
}

const escapeChar = (c: string) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r');

export const copyLine = (values: readonly CopyValue[]) => `${values.map(copyField).join('\t')}\n`;

/** The driver's own client behind a drizzle executor (the transaction's connection inside one). */
function rawClient(db: Executor): unknown {
  return (db as unknown as { session?: { client?: unknown } }).session?.client;
}

interface PostgresJsLike {
  unsafe(query: string): { writable(): Promise<Writable> };
}
interface PgliteLike {
  query(query: string, params?: unknown[], options?: { blob?: Blob }): Promise<unknown>;
}

const CHUNK_CHARS = 256 * 1024;

/**
 * Copies `lines` (each a copyLine) into `table (columns)`. `table` and `columns` are identifiers
 * from our code, never input.
 */
export async function copyInto(db: Executor, table: string, columns: readonly string[], lines: Iterable<string>): Promise<void> {
  const statement = `copy ${table} (${columns.join(', ')}) from`;
  const client = rawClient(db);
  if (client && typeof (client as PostgresJsLike).unsafe === 'function') {
    const writable = await (client as PostgresJsLike).unsafe(`${statement} stdin`).writable();
    await pipeline(chunked(lines), writable);
    return;
  }
  if (client && typeof (client as PgliteLike).query === 'function') {
    const parts: string[] = [];
    for (const chunk of chunked(lines)) parts.push(chunk);
    await (client as PgliteLike).query(`${statement} '/dev/blob'`, [], { blob: new Blob(parts) });
    return;
  }
  throw new Error('COPY needs a postgres.js or PGlite client');
}

/** Lines joined into chunks of about CHUNK_CHARS: fewer, larger writes to the socket. */
function* chunked(lines: Iterable<string>): Generator<string> {
  let buffer = '';
  for (const line of lines) {
    buffer += line;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
