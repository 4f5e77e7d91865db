import { type SQL, sql } from 'drizzle-orm';
import {
  BATCH_ITEM_STATUSES,
  CHANGE_STATUSES,
  OPERATION_STATUSES,
  PRODUCT_SYNC_STATUSES,
  WEBHOOK_DELIVERY_STATUSES,
} from '../../lib/sync/model';

/**
 * Constants of the code (the status lists of lib/sync/model) as SQL literals, for `status in (...)`:
 * the planner sees the values, as when they were written into the statement. Never for input.
 */
export function sqlConstants(values: readonly string[]): SQL {
  return sql.raw(values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', '));
}

/**
 * Each constant of one vocabulary of lib/sync/model as its SQL literal, by name: `${CHANGE_STATUS.pending}`
 * in a statement reads `'pending'`, and a misspelled name fails to compile.
 */
function sqlVocabulary<const V extends readonly string[]>(values: V): Readonly<Record<V[number], SQL>> {
  return Object.freeze(Object.fromEntries(values.map((v) => [v, sqlConstants([v])])) as Record<V[number], SQL>);
}

/** The status vocabularies statements compare with or write, by name. */
export const CHANGE_STATUS = sqlVocabulary(CHANGE_STATUSES);
export const ITEM_STATUS = sqlVocabulary(BATCH_ITEM_STATUSES);
export const OPERATION_STATUS = sqlVocabulary(OPERATION_STATUSES);
export const DELIVERY_STATUS = sqlVocabulary(WEBHOOK_DELIVERY_STATUSES);
export const PRODUCT_SYNC_STATUS = sqlVocabulary(PRODUCT_SYNC_STATUSES);

/** A LIKE pattern matching `text` anywhere, its metacharacters (and the escape, `\`) taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}
