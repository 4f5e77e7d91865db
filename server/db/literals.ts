import { type SQL, sql } from 'drizzle-orm';

/**
 * Constants of the code (the status lists of lib/sync/model) as SQL literals, for `status in (...)`:
 * the planner sees the values, as when they were written into the statement. Never for input.
 */
export function sqlConstants(values: readonly string[]): SQL {
  return sql.raw(values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', '));
}

/** A LIKE pattern matching `text` anywhere, its metacharacters (and the escape, `\`) taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}
