import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../server/db/client';
import { queryRows } from '../../server/db/rows';

/**
 * The stored state a refused request (or any GET) must leave as it found it, compared by content:
 * per table the row count and the sum of a 64-bit hash of every row's text. The sum needs no sort
 * and no string of the whole table, so it stays cheap as the tables grow over a run; any change to
 * any column of any row (with or without updated_at) changes it, but for a 2^-64 chance.
 *
 * Two parts, because background work an earlier accepted request started (a pull, a push, an
 * import: `busy` while an operation is queued or running) legitimately writes some tables:
 * - `rest`, compared after every refused request: the tables only requests write, whole, and the
 *   stable columns of stores and webhook deliveries; plus the counts of the tables background work
 *   writes (no refused request may add or remove a row there, busy or not);
 * - `background`, compared when nothing was running before or after: those tables whole.
 *
 * Left out, each for a reason:
 * - stores.webhook_check and stores.updated_at: the webhook subscription check writes them on its own
 *   timer (at start and every WEBHOOK_CHECK_MINUTES), which no operation marks as busy;
 * - events: the realtime feed, appended by background work; what it reports lives in the tables above;
 * - pull_leases, store_leases: renewed by the workers on timers;
 * - socket_io_attachments: owned by the Socket.IO adapter;
 * - audit_log is checked apart: a refused write is audited with its outcome, so after a refused request
 *   no added row may say `ok`, and (nothing running) at most one row is added; rewritten or removed
 *   rows show in the hash of the rows a route's run started with, compared at its end (`auditHash`).
 */
export interface SideEffects {
  rest: string;
  background: string;
  busy: boolean;
  /** audit_log: the highest id (rows removed show in `auditHash`, once per route). */
  audit: { max: number };
  /** Against the snapshot given to `sideEffects` (none: against an empty log). */
  auditSince: AuditSince;
}

/** The rows the audit log gained since an earlier snapshot. */
export interface AuditSince {
  added: number;
  /** Rows added since that record a successful outcome: a refused request may only record its refusal. */
  addedOk: number;
}

/**
 * Tables only requests write, compared whole after every refused request (notification attempts are
 * written by the notifier once a batch finishes, but the fuzz cannot save a subscriber it could reach:
 * no generated URL resolves to a public address).
 */
const REQUEST_TABLES = ['auto_approval_rules', 'notification_subscribers', 'notification_attempts', 'users', 'app_secrets', 'rate_limits'];
/** Tables background work writes, compared whole when nothing runs (their row counts always). */
const BACKGROUND_TABLES = ['operations', 'batches', 'batch_items', 'staged_changes', 'catalog_entities', 'imports', 'locations'];
/**
 * Columns of these two that background work writes: left out of `rest`, compared with `background`
 * (stores.webhook_check and stores.updated_at with neither: see above).
 */
const STORE_UNCOMPARED = ['webhook_check', 'updated_at'];
const STORE_BACKGROUND = [...STORE_UNCOMPARED, 'incremental_cursor', 'last_full_pull_at', 'last_pull_at', 'pull_generation'];
const DELIVERY_BACKGROUND = ['status', 'error', 'processed_at'];

const rowHash = (row: SQL) => sql`coalesce(sum(hashtextextended(${row}, 0)), 0)::text`;
const minus = (columns: string[]) =>
  sql.join(
    columns.map((c) => sql`- ${c}::text`),
    sql` `,
  );
const hashWithout = (columns: string[]) => rowHash(columns.length ? sql`(to_jsonb(t) ${minus(columns)})::text` : sql`t::text`);
/**
 * One scan per table: `count:hash`, the hash of every row but the `background` columns; with `rest`,
 * a third part hashes the rows without those columns.
 */
const table = (name: string, leftOut: { background?: string[]; rest?: string[] } = {}) =>
  sql`(select count(*) || ':' || ${hashWithout(leftOut.background ?? [])}${
    leftOut.rest ? sql` || ':' || ${hashWithout(leftOut.rest)}` : sql``
  } from ${sql.identifier(name)} t)`;

const query = (since: number) =>
  sql`select ${sql.join(
    [
      ...[...REQUEST_TABLES, ...BACKGROUND_TABLES].map((t) => sql`${table(t)} as ${sql.identifier(t)}`),
      sql`${table('stores', { background: STORE_UNCOMPARED, rest: STORE_BACKGROUND })} as stores`,
      sql`${table('webhook_deliveries', { rest: DELIVERY_BACKGROUND })} as webhook_deliveries`,
      sql`(select count(*) from operations where status in ('queued', 'running'))::int as busy`,
      sql`(select count(*)::int || ':' || count(*) filter (where details->>'outcome' = 'ok')::int || ':' || coalesce(max(id), ${since})
           from audit_log where id > ${since}) as audit`,
    ],
    sql`, `,
  )}`;

/** The snapshot now; `previous` is the one to compare the audit log with. */
export async function sideEffects(db: Db, previous?: SideEffects): Promise<SideEffects> {
  const [row] = await queryRows<Record<string, string | number>>(db, query(previous?.audit.max ?? 0));
  const rest: Record<string, unknown> = {};
  const background: Record<string, unknown> = {};
  for (const t of REQUEST_TABLES) rest[t] = row![t];
  for (const t of BACKGROUND_TABLES) {
    rest[t] = String(row![t]).split(':')[0];
    background[t] = row![t];
  }
  for (const t of ['stores', 'webhook_deliveries']) {
    const [rows, all, stable] = String(row![t]).split(':');
    rest[t] = `${rows}:${stable}`;
    background[t] = `${rows}:${all}`;
  }
  const [added, addedOk, max] = String(row!.audit).split(':').map(Number);
  return {
    rest: JSON.stringify(rest),
    background: JSON.stringify(background),
    busy: Number(row!.busy) > 0,
    audit: { max: max! },
    auditSince: { added: added!, addedOk: addedOk! },
  };
}

/**
 * The hash of the audit rows up to `max`. The log only grows, whatever a request does, so this is
 * compared once per fuzzed route (start and end) instead of per request: it reads the whole log.
 */
export async function auditHash(db: Db, max: number): Promise<string> {
  const [row] = await queryRows<{ hash: string }>(db, sql`select ${rowHash(sql`t::text`)} as hash from audit_log t where id <= ${max}`);
  return String(row!.hash);
}
