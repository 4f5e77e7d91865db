import { z } from 'zod';
import { CHANGE_KINDS, CHANGE_SOURCES, CHANGE_STATUSES, ENTITY_TYPES } from './model';

/**
 * The one filter of staged changes. GET /api/sync/staged reads it from the query string (with its
 * tab counts), bulk approve/reject read it from `{filter}`, and the dashboard's "select all
 * matching" sends the very object it listed with; server/staging/plans.ts turns it into SQL, once.
 * Values are strings (lists comma-separated) so the same object travels as a query string and as
 * JSON; an empty value sets no condition; no status means pending. Unknown keys are refused: a
 * misspelt filter must not widen a bulk decision.
 */

const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(500)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)))
    .optional();

/** An exact value; empty means no condition. */
const exact = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => s || undefined)
    .optional();

/** A size at least this large; empty means no condition. */
const atLeast = z
  .string()
  .max(20)
  .regex(/^(\d{1,9}(\.\d{1,4})?)?$/, 'Give a number, like 20 or 2.5')
  .transform((s) => (s ? Number(s) : undefined))
  .optional();

/** The list's orders: newest first, by product (rows of one product together), largest change first. */
export const STAGED_SORTS = ['time', 'product', 'size'] as const;
export type StagedSort = (typeof STAGED_SORTS)[number];

export const stagedFilterSchema = z.strictObject({
  storeId: z.uuid().optional(),
  status: list(CHANGE_STATUSES),
  kind: list(CHANGE_KINDS),
  entity: list(ENTITY_TYPES),
  source: list(CHANGE_SOURCES),
  /** Changes touching this field. */
  field: exact(100),
  vendor: exact(255),
  productType: exact(255),
  /** Text searched in title, handle, SKU, barcode, vendor, type and key: literally, case-insensitive. */
  q: z
    .string()
    .trim()
    .max(200)
    .transform((s) => s || undefined)
    .optional(),
  /** The product's id (uuid) or Shopify GID: the changes of the product and of its rows. */
  productId: exact(300),
  /** Price changes of at least this many percent (the larger of price and compare-at price). */
  minPricePercent: atLeast,
  /** Stock changes of at least this many units, up or down. */
  minQuantity: atLeast,
  /** The order of the list, and of a bulk decision's changes; empty is `time`. */
  sort: z
    .union([z.enum(STAGED_SORTS), z.literal('')])
    .transform((s) => s || undefined)
    .optional(),
});

/** What a client sends (strings). */
export type StagedFilterInput = z.input<typeof stagedFilterSchema>;
/** What the server reads (lists parsed). */
export type StagedFilter = z.output<typeof stagedFilterSchema>;
