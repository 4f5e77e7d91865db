'use client';

import clsx from 'clsx';
import type { StagedChangeDetail } from '@/lib/dashboard/schemas';
import { humanPushError } from './change-values';
import { rejectWords } from './decision-words';

const STEPS = ['approved', 'queued', 'applying', 'applied'] as const;
const STEP_WORDS: Record<string, string> = {
  approved: 'Approved',
  queued: 'Queued for push',
  applying: 'Writing to Shopify',
  applied: 'In Shopify',
  failed: 'Failed',
};

/**
 * Where an approved outgoing change is in its push (approved -> queued -> applying -> applied, or
 * failed), following the list live; a failed change says why, naming the field Shopify refused,
 * and what its decisions (below, with the others) do: approve again, or reject.
 */
export function PushState({ change }: { change: StagedChangeDetail }) {
  const adopting = change.kind === 'incoming';
  if (adopting || !(STEPS as readonly string[]).concat('failed').includes(change.status)) return null;
  const failed = change.status === 'failed';
  const at = failed ? STEPS.indexOf('applying') : STEPS.indexOf(change.status as (typeof STEPS)[number]);
  return (
    <section aria-label="Push progress" className="space-y-2" data-testid="push-state" data-status={change.status}>
      <ol className="flex flex-wrap items-center gap-1 text-xs">
        {STEPS.map((step, i) => {
          const last = failed && step === 'applied';
          return (
            <li
              key={step}
              aria-current={i === at && !failed ? 'step' : undefined}
              className={clsx(
                'rounded-full px-2 py-0.5',
                last
                  ? 'bg-red-100 font-semibold text-red-800'
                  : i < at || (i === at && !failed)
                    ? 'bg-emerald-100 text-emerald-900'
                    : 'bg-slate-100 text-slate-500',
                i === at && !failed && 'font-semibold ring-1 ring-emerald-400',
              )}
            >
              {last ? STEP_WORDS.failed : STEP_WORDS[step]}
            </li>
          );
        })}
      </ol>
      {failed ? (
        <div role="alert" className="space-y-2 rounded bg-red-50 p-2 text-sm text-red-800" data-testid="push-failed">
          <p data-testid="push-failed-reason">{humanPushError(change.error, change.entity)}</p>
          <p className="text-xs">
            Approving again pushes the same value once more
            {rejectWords(change) ? "; rejecting discards the master's edit and Shopify keeps its value" : ''}. To push another value, edit
            it in the master: that makes a new change to review.
          </p>
        </div>
      ) : null}
    </section>
  );
}
