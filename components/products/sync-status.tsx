import { AlertTriangle, CheckCircle2, CircleDashed, Clock, XCircle } from 'lucide-react';

const STATUS = {
  not_synced: {
    icon: CircleDashed,
    className: 'text-slate-400',
    label: 'Not synced',
    tip: 'Exists on one side only, or has never been compared with Shopify',
  },
  pending: { icon: Clock, className: 'text-amber-500', label: 'Pending', tip: 'Has staged changes waiting for review or a push' },
  synced: { icon: CheckCircle2, className: 'text-emerald-600', label: 'Synced', tip: 'The master and Shopify agree' },
  error: { icon: XCircle, className: 'text-red-600', label: 'Error', tip: 'The last push of a change failed; see its batch' },
  conflict: {
    icon: AlertTriangle,
    className: 'text-orange-600',
    label: 'Conflict',
    tip: 'Both the master and Shopify changed; resolve it on the Review page',
  },
} as const;

/** The sync status icon with a tooltip (title) and a text label for screen readers. */
export function SyncStatusIcon({ status }: { status: keyof typeof STATUS }) {
  const s = STATUS[status] ?? STATUS.not_synced;
  const Icon = s.icon;
  return (
    <span className="inline-flex items-center gap-1" title={`${s.label}: ${s.tip}`} data-testid="sync-status" data-status={status}>
      <Icon className={`h-4 w-4 ${s.className}`} aria-hidden />
      <span className="sr-only">{s.label}</span>
    </span>
  );
}

export const SYNC_STATUS_OPTIONS = Object.entries(STATUS).map(([value, s]) => [value, s.label] as const);
