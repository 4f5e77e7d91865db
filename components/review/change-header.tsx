import type { StagedChangeDetail } from '@/lib/dashboard/schemas';
import { deciderText, OWNERSHIP_DECIDER } from '@/lib/sync/ownership';
import { Badge, KIND_TONE } from '../ui/controls';
import { useStoreName } from './change-row';
import { opBadge, subjectOf } from './change-values';
import { RESTORE_ORIGIN, REVERT_ORIGIN, revertWords } from './decision-words';

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : null);

/** What the change is about, in names (never ids), its status and, once decided, by whom, when and why. */
export function ChangeHeader({ change }: { change: StagedChangeDetail }) {
  const statusTone = change.status === 'pending' ? 'slate' : ['approved', 'applied'].includes(change.status) ? 'emerald' : 'red';
  const badge = opBadge(change);
  const subject = subjectOf(change);
  // With several stores connected, which store's Shopify the decision is about (the all-stores review mixes them).
  const storeName = useStoreName(change.storeId);
  return (
    <header>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={KIND_TONE[change.kind]}>{change.kind}</Badge>
        <Badge>{String(change.entityLabel ?? change.entity)}</Badge>
        {badge ? <Badge tone="red">{badge}</Badge> : null}
        <Badge tone={statusTone}>{change.status.replace('_', ' ')}</Badge>
        {storeName ? (
          <span data-testid="change-store" className="max-w-full truncate">
            <Badge>store: {storeName}</Badge>
          </span>
        ) : null}
        {change.autoRule ? (
          <Badge tone="emerald">
            {change.decidedBy === OWNERSHIP_DECIDER ? 'field ownership' : 'auto'}: {change.autoRule}
          </Badge>
        ) : null}
        {change.origin === RESTORE_ORIGIN ? <Badge tone="sky">restore Shopify</Badge> : null}
        {change.origin === REVERT_ORIGIN ? (
          <span data-testid="revert-mark">
            <Badge tone="violet">{revertWords(change.originAt)}</Badge>
          </span>
        ) : null}
      </div>
      <h2 id="change-title" data-testid="change-title" className="mt-2 break-words text-lg font-semibold text-slate-900">
        {change.title ?? String(change.entityLabel ?? change.entity)}
      </h2>
      <p className="text-xs text-slate-500" data-testid="change-subject">
        {[subject, change.vendor, change.productType].filter(Boolean).join(' · ')}
      </p>
      {change.origin === RESTORE_ORIGIN ? (
        <p className="mt-2 rounded bg-sky-50 p-2 text-sm text-sky-900" data-testid="restore-mark">
          Proposed because an incoming change from Shopify was rejected: approving writes the master's value back to Shopify.
        </p>
      ) : null}
      {change.status !== 'pending' && (change.decidedBy || change.decidedAt) ? (
        <p className="mt-2 text-sm text-slate-700" data-testid="decided-by">
          {change.status === 'rejected' ? 'Rejected' : 'Approved'}
          {change.decidedBy ? ` by ${deciderText(change.decidedBy, change.autoRule)}` : ''}
          {change.decidedAt ? `, ${when(change.decidedAt)}` : ''}
          {change.reason ? <span data-testid="reject-reason-shown">: {change.reason}</span> : null}
        </p>
      ) : null}
    </header>
  );
}
