'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { dashboardApi } from '@/lib/dashboard/api';
import type { RevertResult } from '@/lib/dashboard/schemas';
import { plural } from '@/lib/words';
import { shortValue } from '../review/change-values';
import { ConfirmDialog, ErrorState, Skeleton } from '../ui/controls';
import { toast } from '../ui/toaster';
import { pendingHref } from './product-page';

/** A point in time as people read it, to the second. */
export const atWords = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

/** Fields that differ, in the order of the plan: "Variant Red / S: Price 12.00 → 10.00". */
function PlanList({ plan }: { plan: RevertResult }) {
  const fields = plan.planned.flatMap((e) => e.fields.map((f) => ({ entry: e, field: f })));
  return (
    <div className="space-y-3">
      {fields.length === 0 ? (
        <p data-testid="revert-nothing">Nothing differs from how the product was then: there is nothing to stage.</p>
      ) : (
        <>
          <p data-testid="revert-count">
            {plural(fields.length, 'field')} will be staged {fields.length === 1 ? 'as an outgoing change' : 'as outgoing changes'} for
            review. Nothing is written to Shopify until someone approves and pushes.
          </p>
          <ul className="max-h-56 space-y-1 overflow-auto rounded bg-slate-50 p-2 text-xs" data-testid="revert-plan">
            {fields.map(({ entry, field }) => (
              <li key={`${entry.entity}|${entry.entityKey}|${field.name}`} className="break-words">
                <span className="font-medium text-slate-900">{entry.label}</span>: {field.label}{' '}
                <span className="text-slate-500">{shortValue(field.current, field.name)}</span> →{' '}
                <span className="font-medium text-slate-900">{shortValue(field.target, field.name)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.notReverted.length ? (
        <div data-testid="revert-skipped">
          <p className="font-medium">Left as they are:</p>
          <ul className="list-disc pl-5 text-xs">
            {plan.notReverted.map((s) => (
              <li key={`${s.entity}|${s.entityKey}`}>
                {s.label}: {s.reason.replace('T', atWords(plan.at))}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

/**
 * Confirms a revert of the product (or one field) to a point in time: first a preview (a dry run
 * says how many fields would be staged), then the revert itself, then a link to the review of them.
 */
export function RevertDialog({
  productId,
  at,
  field,
  fieldLabel,
  onClose,
}: {
  productId: string;
  at: string;
  field?: string;
  fieldLabel?: string;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const fields = field ? [field] : undefined;
  const preview = useQuery({
    queryKey: ['products', 'revert-preview', productId, at, field ?? ''],
    queryFn: () => dashboardApi.revertProduct(productId, { at, fields, dryRun: true }),
    gcTime: 0,
  });
  const revert = useMutation({
    mutationFn: () => dashboardApi.revertProduct(productId, { at, fields }),
    onSuccess: (result) => {
      toast(result.message, result.changeIds.length ? 'success' : 'info');
      void queryClient.invalidateQueries({ queryKey: ['products'] });
      void queryClient.invalidateQueries({ queryKey: ['staged'] });
    },
    onError: (err) => toast(err instanceof Error ? err.message : 'The revert failed', 'error'),
  });
  const done = revert.data;
  const nothing = preview.data ? preview.data.planned.length === 0 : true;
  return (
    <ConfirmDialog
      open
      title={`Revert ${field ? `${fieldLabel ?? field} of ` : ''}this product to ${atWords(at)}`}
      confirmLabel={done ? 'Close' : 'Stage the revert'}
      onConfirm={() => (done ? onClose() : revert.mutate())}
      onCancel={onClose}
      busy={revert.isPending}
      confirmDisabled={!done && (preview.isPending || nothing)}
    >
      {done ? (
        <div className="space-y-2" data-testid="revert-done">
          <p>{done.message}.</p>
          {done.changeIds.length ? (
            <Link href={pendingHref(productId)} className="font-medium text-emerald-800 underline" data-testid="revert-review-link">
              Review the staged {done.changeIds.length === 1 ? 'change' : 'changes'}
            </Link>
          ) : null}
        </div>
      ) : preview.isPending ? (
        <Skeleton rows={2} />
      ) : preview.isError ? (
        <ErrorState error={preview.error} onRetry={() => void preview.refetch()} title="Could not work out the revert" />
      ) : (
        <PlanList plan={preview.data} />
      )}
    </ConfirmDialog>
  );
}
