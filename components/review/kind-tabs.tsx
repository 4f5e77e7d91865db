import type { StagedList } from '@/lib/dashboard/schemas';
import { Tab, TabList } from '../ui/tabs';

const KINDS = [
  ['', 'All'],
  ['incoming', 'Incoming'],
  ['outgoing', 'Outgoing'],
  ['conflict', 'Conflicts'],
] as const;

/** A tab per kind of change with the number matching the other filters; '…' until the counts arrive. */
export function KindTabs({
  kind,
  counts,
  onSelect,
}: {
  kind: string | undefined;
  counts: StagedList['counts'];
  onSelect: (kind: string | undefined) => void;
}) {
  return (
    <TabList label="Kind of change">
      {KINDS.map(([value, label]) => {
        const n = value ? counts?.[value] : counts ? counts.incoming + counts.outgoing + counts.conflict : undefined;
        const id = value || 'all';
        return (
          <Tab key={id} selected={(kind ?? '') === value} data-testid={`kind-tab-${id}`} onClick={() => onSelect(value || undefined)}>
            {label}{' '}
            <span className="ml-1 tabular-nums opacity-75" data-testid={`count-${id}`}>
              {n ?? '…'}
            </span>
          </Tab>
        );
      })}
    </TabList>
  );
}
