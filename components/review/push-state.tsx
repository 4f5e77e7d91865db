'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import clsx from 'clsx';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { StagedChangeDetail } from '@/lib/dashboard/schemas';
import { usePermission } from '../session-context';
import { Button } from '../ui/controls';
import { toast } from '../ui/toaster';
import { humanPushError } from './change-values';

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
 * failed), following the list live; a failed change says why and can be pushed again.
 */
export function PushState({ change }: { change: StagedChangeDetail }) {
  const review = usePermission('review');
  const client = useQueryClient();
  const retry = useMutation({
    mutationFn: () => dashboardApi.retry(change.id),
    onSuccess: () => {
      toast('Approved again: the next push writes it', 'success');
      void client.invalidateQueries({ queryKey: ['staged'] });
      void client.invalidateQueries({ queryKey: ['staged-detail', change.id] });
    },
    onError: (err) => toast(errorMessage(err), 'error'),
  });
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
          <p>{humanPushError(change.error)}</p>
          {review.allowed ? (
            <Button onClick={() => retry.mutate()} disabled={retry.isPending} data-testid="retry-button">
              Approve again for the next push
            </Button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
