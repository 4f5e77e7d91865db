'use client';

import clsx from 'clsx';
import type { BatchOutcomes } from '@/lib/dashboard/batches';

/** Outcome filters: the item status each shows and its count. */
export const OUTCOME_FILTERS = [
  ['', 'All', 'total'],
  ['applied', 'Applied', 'applied'],
  ['failed', 'Failed', 'failed'],
  ['drifted', 'Drifted', 'drifted'],
  ['rolled_back', 'Rolled back', 'rolledBack'],
  ['dead', 'Gave up', 'dead'],
  ['cancelled', 'Cancelled', 'cancelled'],
] as const satisfies ReadonlyArray<readonly [string, string, keyof BatchOutcomes]>;

/**
 * A batch's outcomes, counted from its items (the same numbers as the list's columns and the
 * progress bar), each a filter of the rows below. Outcomes no item has are left out, except All.
 */
export function BatchCounts({ outcomes, value, onValue }: { outcomes: BatchOutcomes; value: string; onValue: (status: string) => void }) {
  return (
    <fieldset className="flex flex-wrap gap-2" data-testid="batch-counts">
      <legend className="sr-only">Show items by outcome</legend>
      {OUTCOME_FILTERS.filter(([status, , key]) => status === '' || outcomes[key] > 0 || value === status).map(([status, label, key]) => (
        <button
          key={key}
          type="button"
          aria-pressed={value === status}
          onClick={() => onValue(status)}
          data-testid={`batch-outcome-${key}`}
          data-count={outcomes[key]}
          className={clsx(
            'rounded-full px-3 py-1 text-sm ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-emerald-600',
            value === status ? 'bg-slate-900 text-white ring-slate-900' : 'bg-white text-slate-800 ring-slate-300 hover:bg-slate-50',
          )}
        >
          {label} <span className="tabular-nums">{outcomes[key].toLocaleString('en-US')}</span>
        </button>
      ))}
      {outcomes.waiting ? (
        <span className="rounded-full bg-sky-50 px-3 py-1 text-sm text-sky-900" data-testid="batch-outcome-waiting">
          Waiting <span className="tabular-nums">{outcomes.waiting.toLocaleString('en-US')}</span>
        </span>
      ) : null}
    </fieldset>
  );
}
