import type { StagedChangeDetail } from '@/lib/dashboard/schemas';
import { deciderText } from '@/lib/sync/ownership';
import { Badge, KIND_TONE } from '../ui/controls';
import { RESTORE_ORIGIN } from './decision-words';
import { fieldLabel } from './field-label';

/** The entity's earlier changes and their decisions: a rejection keeps its reason here, a restore shows where it came from. */
export function ChangeHistory({ change }: { change: StagedChangeDetail }) {
  const history = change.history ?? [];
  if (history.length === 0) return null;
  return (
    <section aria-label="History of this item" className="space-y-2" data-testid="change-history">
      <h3 className="text-sm font-semibold text-slate-800">History of this item</h3>
      <ol className="space-y-1 text-xs">
        {history.map((h) => (
          <li key={h.id} className="flex flex-wrap items-baseline gap-2" data-testid="history-entry" data-status={h.status}>
            <Badge tone={KIND_TONE[h.kind as keyof typeof KIND_TONE] ?? 'slate'}>{h.kind}</Badge>
            <span className="font-medium text-slate-800">{h.status.replace('_', ' ')}</span>
            <span className="text-slate-600">{h.fields.map((f) => fieldLabel(change.entity, f)).join(', ')}</span>
            {h.id === change.originChangeId ? <Badge tone="sky">led to this restore</Badge> : null}
            {h.origin === RESTORE_ORIGIN ? <Badge tone="sky">restore Shopify</Badge> : null}
            {h.decidedBy ? <span className="text-slate-500">by {deciderText(h.decidedBy, h.autoRule)}</span> : null}
            {h.decidedAt ? <time className="text-slate-500">{new Date(h.decidedAt).toLocaleString()}</time> : null}
            {h.reason ? <q className="text-slate-700">{h.reason}</q> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
