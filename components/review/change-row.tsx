import { useQuery } from '@tanstack/react-query';
import clsx from 'clsx';
import type { CSSProperties } from 'react';
import { dashboardApi } from '@/lib/dashboard/api';
import type { StagedChangeView } from '@/lib/dashboard/schemas';
import { Badge, KIND_TONE } from '../ui/controls';
import { fieldLine, opBadge, subjectOf } from './change-values';
import { RESTORE_ORIGIN, REVERT_ORIGIN, revertWords } from './decision-words';

/** The rows' checkboxes; null for a role that cannot review (no checkboxes). */
export type RowSelection = { isSelected: (id: string) => boolean; toggle: (id: string) => void } | null;

const STATUS_TONE: Record<string, 'emerald' | 'slate' | 'red' | 'sky' | 'amber'> = {
  approved: 'emerald',
  queued: 'sky',
  applying: 'sky',
  applied: 'emerald',
  failed: 'red',
  drifted: 'amber',
  rejected: 'slate',
};

const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }) : '';

/** What the row changes: its first field old -> new with the delta, and how many more fields. */
function Values({ change }: { change: StagedChangeView }) {
  const badge = opBadge(change);
  // A metafield's value set (or removed) where there was none is still read by its name and value.
  if (badge && change.entity !== 'membership' && change.entity !== 'metafield')
    return <span className="text-slate-600">{change.op === 'delete' ? 'The whole entry' : 'A new entry'}</span>;
  const first = change.fields[0];
  if (!first) return null;
  const line = fieldLine(change, first);
  return (
    <span className="text-slate-600" data-testid="row-values">
      <span className="text-slate-500">{line.label}: </span>
      <span className="tabular-nums">{line.from}</span>
      <span aria-hidden="true">{line.conflict ? ' ≠ ' : ' → '}</span>
      <span className="sr-only">{line.conflict ? ' versus ' : ' to '}</span>
      <span className="font-medium tabular-nums text-slate-900">{line.to}</span>
      {line.delta ? (
        <span className="ml-1 tabular-nums text-slate-500" data-testid="row-delta">
          {line.delta}
        </span>
      ) : null}
      {change.fields.length > 1 ? <span className="text-slate-500"> and {change.fields.length - 1} more</span> : null}
    </span>
  );
}

/** A decided change says by whom and when (and why, for a reject). */
function Decided({ change }: { change: StagedChangeView }) {
  if (!change.decidedBy && !change.decidedAt) return null;
  return (
    <span className="text-slate-500" data-testid="row-decided">
      {' · '}
      {change.status === 'rejected' ? 'rejected' : 'approved'} by {change.decidedBy ?? 'someone'} {when(change.decidedAt)}
      {change.reason ? `: “${change.reason}”` : ''}
    </span>
  );
}

export function ChangeRow({
  change,
  style,
  active,
  onActivate,
  selection,
}: {
  change: StagedChangeView;
  style: CSSProperties;
  active: boolean;
  onActivate: () => void;
  selection: RowSelection;
}) {
  const subject = subjectOf(change);
  const badge = opBadge(change);
  const storeName = useStoreName(change.storeId);
  return (
    <li
      id={`change-${change.id}`}
      aria-current={active ? 'true' : undefined}
      data-testid="review-row"
      data-kind={change.kind}
      data-status={change.status}
      style={style}
      className={clsx(
        'flex w-full items-center gap-2 border-b border-slate-100 px-3 text-sm',
        active ? 'bg-emerald-50 ring-1 ring-inset ring-emerald-300' : 'hover:bg-slate-50',
      )}
    >
      {selection ? (
        <input
          type="checkbox"
          checked={selection.isSelected(change.id)}
          aria-label={`Select ${change.title ?? change.entityLabel ?? 'change'}${subject ? `, ${subject}` : ''}`}
          onChange={() => selection.toggle(change.id)}
        />
      ) : null}
      <button
        type="button"
        onClick={onActivate}
        tabIndex={-1}
        className="min-w-0 flex-1 cursor-pointer self-stretch text-left"
        data-testid="row-open"
      >
        <span className="block truncate">
          <span className="font-medium text-slate-900" data-testid="row-title">
            {change.title ?? String(change.entityLabel ?? change.entity)}
          </span>
          {subject ? (
            <span className="text-slate-600" data-testid="row-subject">
              {' · '}
              {subject}
            </span>
          ) : null}
        </span>
        <span className="block truncate text-xs">
          <Values change={change} />
          <Decided change={change} />
        </span>
      </button>
      <div className="flex shrink-0 flex-col items-end gap-0.5">
        <div className="flex gap-1">
          {storeName ? (
            <span data-testid="row-store" className="max-w-24 truncate sm:max-w-40">
              <Badge tone="slate">{storeName}</Badge>
            </span>
          ) : null}
          {badge ? (
            <span data-testid="op-badge">
              <Badge tone="red">{badge}</Badge>
            </span>
          ) : null}
          {change.origin === RESTORE_ORIGIN ? (
            <span title="Restores Shopify to the master's value after a rejected incoming change">
              <Badge tone="sky">restore</Badge>
            </span>
          ) : null}
          {change.origin === REVERT_ORIGIN ? (
            <span title={`Staged by ${revertWords(change.originAt)}`} data-testid="row-revert-mark">
              <Badge tone="violet">revert</Badge>
            </span>
          ) : null}
          <Badge tone={KIND_TONE[change.kind]}>{change.kind}</Badge>
        </div>
        {change.status !== 'pending' ? (
          <span data-testid="row-status">
            <Badge tone={STATUS_TONE[change.status] ?? 'slate'}>{change.status.replace('_', ' ')}</Badge>
          </span>
        ) : null}
      </div>
    </li>
  );
}

/** The change's store by name, where several stores are connected (the all-stores review tells them apart by it). */
export function useStoreName(storeId: string | undefined): string | null {
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => dashboardApi.listStores(), staleTime: 60_000 });
  const items = stores.data?.items ?? [];
  if (items.length < 2 || !storeId) return null;
  return items.find((s) => s.id === storeId)?.name ?? null;
}
