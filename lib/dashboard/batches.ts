import { plural } from '../words';

/** What a batch is called: by what it did, how much, and when ("Push - 368 changes - 10:25"). */
export interface NamedBatch {
  kind: string;
  createdAt?: string | null;
  counts?: Record<string, number> | null;
  /** The batch a rollback undid; without `createdAt` its name has no time. */
  rollbackOfBatch?: { kind: string; total: number; createdAt?: string | null } | null;
}

const KIND_WORDS: Record<string, string> = { push: 'Push', adopt: 'Adopt', rollback: 'Rollback' };

/** The time of day for today's batches, the date too for older ones, in the reader's time zone. */
export function batchTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  if (at.toDateString() === now.toDateString()) return time;
  const sameYear = at.getFullYear() === now.getFullYear();
  const date = at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
  return `${date} ${time}`;
}

function ownName(kind: string, total: number | undefined, createdAt: string | null | undefined, now: Date): string {
  const parts = [KIND_WORDS[kind] ?? kind];
  if (total !== undefined) parts.push(plural(total, 'change'));
  if (createdAt) parts.push(batchTime(createdAt, now));
  return parts.join(' - ');
}

/**
 * "Push - 368 changes - 10:25", "Adopt - 7 changes - 10:31"; a rollback by its own size and time,
 * then the batch it undid: "Rollback - 2 changes - 10:40 (of Push - 368 changes - 10:25)", so two
 * rollbacks of one batch are told apart. Without a time (an operation's title, made on the server
 * and shown beside its own time) the time is left out.
 */
export function batchName(b: NamedBatch, now = new Date()): string {
  const own = ownName(b.kind, b.counts?.total, b.createdAt, now);
  if (b.kind !== 'rollback' || !b.rollbackOfBatch) return own;
  const source = b.rollbackOfBatch;
  return `${own} (of ${ownName(source.kind, source.total, source.createdAt, now)})`;
}

/** Where a batch's items stand, each item counted once: its list columns, its detail's filters and progress bar read these. */
export interface BatchOutcomes {
  total: number;
  /** Applied and still in place (rolled back ones are counted as rolled back, not here). */
  applied: number;
  failed: number;
  drifted: number;
  rolledBack: number;
  dead: number;
  cancelled: number;
  /** Not settled yet (queued or being written). */
  waiting: number;
}

/** The API's counts (applied includes what was rolled back since) as outcomes that add up to the total. */
export function batchOutcomes(counts: Record<string, number> | null | undefined): BatchOutcomes {
  const c = (key: string) => counts?.[key] ?? 0;
  const rolledBack = c('rolledBack') || c('rolled_back');
  const out = {
    total: c('total'),
    applied: Math.max(0, c('applied') - rolledBack),
    failed: c('failed'),
    drifted: c('drifted'),
    rolledBack,
    dead: c('dead'),
    cancelled: c('cancelled'),
  };
  const settled = out.applied + out.failed + out.drifted + out.rolledBack + out.dead + out.cancelled;
  return { ...out, waiting: Math.max(0, out.total - settled) };
}
