'use client';

import { useQueryClient } from '@tanstack/react-query';
import { Layers } from 'lucide-react';
import Link from 'next/link';
import { dashboardApi } from '@/lib/dashboard/api';
import { batchName, batchOutcomes } from '@/lib/dashboard/batches';
import { useRealtimeEvent } from '../realtime/realtime-provider';
import { Badge, ErrorState, Skeleton } from '../ui/controls';
import { EmptyState } from '../ui/empty-state';
import { TextField } from '../ui/fields';
import { PageTable } from '../ui/table';
import { useSearch } from '../ui/use-debounced';
import { useKeysetPages } from '../ui/use-keyset-pages';

const OUTCOMES = [
  ['applied', 'Applied'],
  ['failed', 'Failed'],
  ['drifted', 'Drifted'],
  ['rolledBack', 'Rolled back'],
] as const;

export function statusTone(status: string) {
  if (status === 'completed' || status === 'applied') return 'emerald' as const;
  if (status === 'failed' || status === 'dead') return 'red' as const;
  if (status === 'drifted' || status === 'cancelled') return 'amber' as const;
  if (status === 'rolled_back') return 'violet' as const;
  return 'sky' as const;
}

const COLUMNS = [
  'Batch',
  'Status',
  ...OUTCOMES.map(([key, label]) => ({ key, label, className: 'hidden text-right sm:table-cell' })),
  { key: 'by', label: 'By', className: 'hidden md:table-cell' },
];

/** Batch history, newest first, named by what each did, searchable by SKU or product; refreshed as operations finish. */
export function BatchList() {
  const client = useQueryClient();
  const search = useSearch();
  const q = search.q.trim();
  const { pages, items } = useKeysetPages(['batches', q], (cursor) => dashboardApi.listBatches({ q, cursor, limit: 50 }));
  useRealtimeEvent(['operation_complete', 'operation_start'], () => void client.invalidateQueries({ queryKey: ['batches'] }));
  const searchField = (
    <TextField
      label="Search batches by SKU or product"
      className="max-w-md"
      placeholder="SKU, product title or handle"
      data-testid="batch-search"
      {...search.box}
    />
  );
  if (!q && pages.isSuccess && items.length === 0) {
    return (
      <EmptyState title="No batches yet" icon={<Layers className="h-8 w-8" />}>
        Approve changes on the Review page; an admin then pushes them, and each push, adoption or rollback appears here with its outcomes.
      </EmptyState>
    );
  }
  return (
    <div className="space-y-3">
      {searchField}
      {pages.isPending ? (
        <Skeleton rows={6} />
      ) : pages.isError ? (
        <ErrorState error={pages.error} onRetry={() => void pages.refetch()} title="Could not load batches" />
      ) : items.length === 0 ? (
        <p
          className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600"
          data-testid="batch-none"
        >
          No batch touched a product or SKU matching “{q}”.
        </p>
      ) : (
        <PageTable label="Batches" testId="batch-table" columns={COLUMNS} pages={pages}>
          {items.map((b) => (
            <tr
              key={b.id}
              className="border-t border-slate-100"
              data-testid="batch-row"
              data-batch-id={b.id}
              data-kind={b.kind}
              data-status={b.status}
            >
              <td className="px-3 py-2">
                <Link href={`/batches/${b.id}`} className="font-medium text-emerald-800 hover:underline" data-testid="batch-name">
                  {batchName(b)}
                </Link>
                <div className="text-xs text-slate-600 sm:hidden">
                  {OUTCOMES.filter(([k]) => batchOutcomes(b.counts)[k] > 0)
                    .map(([k, label]) => `${label} ${batchOutcomes(b.counts)[k]}`)
                    .join(' · ')}
                </div>
              </td>
              <td className="px-3 py-2">
                <Badge tone={statusTone(b.status)}>{b.status}</Badge>
              </td>
              {OUTCOMES.map(([k]) => (
                <td key={k} className="hidden px-3 py-2 text-right tabular-nums sm:table-cell" data-testid={`batch-count-${k}`}>
                  {batchOutcomes(b.counts)[k]}
                </td>
              ))}
              <td className="hidden truncate px-3 py-2 text-xs text-slate-600 md:table-cell">{b.createdBy}</td>
            </tr>
          ))}
        </PageTable>
      )}
    </div>
  );
}
