'use client';

import { useQuery } from '@tanstack/react-query';
import { dashboardApi } from '@/lib/dashboard/api';
import type { PushSummary } from '@/lib/dashboard/schemas';
import { Badge, ConfirmDialog, ErrorState, Skeleton } from '../ui/controls';
import { formatEta } from './operation-panel';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * The confirmation before a push: what goes to which store, how urgent, and how long it should
 * take (the push's own cost model, with the store's Shopify budget as it is now). Nothing is
 * written until the admin confirms.
 */
export function PushConfirmDialog({
  open,
  priority,
  busy,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  /** The admin's override of the priority class, if any. */
  priority: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const summary = useQuery({
    queryKey: ['push-summary'],
    queryFn: () => dashboardApi.pushSummary(),
    enabled: open,
    staleTime: 0,
    gcTime: 0,
  });
  const data = summary.data;
  const nothing = data !== undefined && data.writes === 0;
  return (
    <ConfirmDialog
      open={open}
      title={data ? `Push ${plural(data.writes, 'change')} to ${data.store.name}?` : 'Push approved changes?'}
      confirmLabel={data && !nothing ? `Push ${plural(data.writes, 'change')}` : 'Push'}
      busy={busy}
      confirmDisabled={!data || nothing}
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      {summary.isPending ? (
        <Skeleton rows={3} />
      ) : summary.isError ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} title="Could not summarize the push" />
      ) : (
        <PushSummaryView summary={summary.data} priority={priority} />
      )}
    </ConfirmDialog>
  );
}

function PushSummaryView({ summary, priority }: { summary: PushSummary; priority: string }) {
  if (summary.writes === 0) {
    return (
      <p data-testid="push-summary-empty">
        {summary.changes
          ? `Shopify already holds all ${plural(summary.changes, 'approved change')}: there is nothing to write.`
          : 'There are no approved changes to push. Approve changes in Review first.'}
      </p>
    );
  }
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2" data-testid="push-summary">
      <dt className="text-slate-500">Store</dt>
      <dd data-testid="push-summary-store">
        {summary.store.name} <span className="text-slate-500">({summary.store.shopDomain})</span>
      </dd>
      <dt className="text-slate-500">Changes</dt>
      <dd data-testid="push-summary-changes">
        {plural(summary.writes, 'change')} on {plural(summary.products, 'product')}
        {summary.changes > summary.writes ? (
          <span className="block text-xs text-slate-500">
            {plural(summary.changes - summary.writes, 'approved change')} Shopify already holds: marked applied, not written
          </span>
        ) : null}
      </dd>
      <dt className="text-slate-500">Priorities</dt>
      <dd className="flex flex-wrap gap-1" data-testid="push-summary-priorities">
        {summary.priorities.map((p) => (
          <Badge key={p.priority} tone={p.priority === 'critical' ? 'red' : p.priority === 'high' ? 'amber' : 'slate'}>
            {p.priority}: {p.count.toLocaleString()}
          </Badge>
        ))}
        <span className="w-full text-xs text-slate-500">
          {priority ? `Pushed as ${priority} (your choice)` : `Pushed as ${summary.priority}`}
        </span>
      </dd>
      <dt className="text-slate-500">Estimated time</dt>
      <dd data-testid="push-summary-eta">
        about {formatEta(Math.max(1, summary.etaSeconds))}
        <span className="block text-xs text-slate-500">
          {summary.path === 'bulk'
            ? 'As one Shopify bulk operation (faster than one write per product for this many)'
            : 'One write per product, within the store’s Shopify rate limit'}
        </span>
      </dd>
    </dl>
  );
}
