'use client';

import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Layers } from 'lucide-react';
import Link from 'next/link';
import { dashboardApi } from '@/lib/dashboard/api';
import { useRealtimeEvent } from '../realtime/realtime-provider';
import { Badge, Button, ErrorState, Skeleton } from '../ui/controls';
import { EmptyState } from '../ui/empty-state';

const OUTCOMES = [
  ['applied', 'Applied', 'emerald'],
  ['failed', 'Failed', 'red'],
  ['drifted', 'Drifted', 'amber'],
  ['rolled_back', 'Rolled back', 'violet'],
] as const;

/** A batch's count for an outcome; the server may key it snake_case or camelCase. */
export function outcomeCount(counts: Record<string, number> | null | undefined, key: string): number {
  const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  return counts?.[key] ?? counts?.[camel] ?? 0;
}

export function statusTone(status: string) {
  if (status === 'completed' || status === 'applied') return 'emerald' as const;
  if (status === 'failed' || status === 'dead') return 'red' as const;
  if (status === 'drifted' || status === 'cancelled') return 'amber' as const;
  if (status === 'rolled_back') return 'violet' as const;
  return 'sky' as const;
}

/** Batch history, newest first, with outcome counts; refreshed as operations finish. */
export function BatchList() {
  const client = useQueryClient();
  const pages = useInfiniteQuery({
    queryKey: ['batches'],
    queryFn: ({ pageParam }) => dashboardApi.listBatches({ cursor: pageParam, limit: 50 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  useRealtimeEvent(['operation_complete', 'operation_start'], () => void client.invalidateQueries({ queryKey: ['batches'] }));
  if (pages.isPending) return <Skeleton rows={6} />;
  if (pages.isError) return <ErrorState error={pages.error} onRetry={() => void pages.refetch()} title="Could not load batches" />;
  const items = pages.data.pages.flatMap((p) => p.items);
  if (items.length === 0) {
    return (
      <EmptyState title="No batches yet" icon={<Layers className="h-8 w-8" />}>
        Approve changes on the Review page; an admin then pushes them, and each push, adoption or rollback appears here with its outcomes.
      </EmptyState>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="batch-table">
        <caption className="sr-only">Batches</caption>
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2">Batch</th>
            <th scope="col" className="px-3 py-2">Kind</th>
            <th scope="col" className="px-3 py-2">Status</th>
            {OUTCOMES.map(([k, label]) => (
              <th key={k} scope="col" className="px-3 py-2 text-right">
                {label}
              </th>
            ))}
            <th scope="col" className="px-3 py-2">By</th>
            <th scope="col" className="px-3 py-2">Created</th>
          </tr>
        </thead>
        <tbody>
          {items.map((b) => (
            <tr key={b.id} className="border-t border-slate-100" data-testid="batch-row" data-batch-id={b.id} data-kind={b.kind} data-status={b.status}>
              <td className="px-3 py-2 font-mono text-xs">
                <Link href={`/batches/${b.id}`} className="text-emerald-700 hover:underline">
                  {b.id.slice(0, 8)}
                </Link>
              </td>
              <td className="px-3 py-2">
                {b.kind}
                {b.rollbackOf ? <span className="ml-1 text-xs text-slate-500">of {b.rollbackOf.slice(0, 8)}</span> : null}
              </td>
              <td className="px-3 py-2">
                <Badge tone={statusTone(b.status)}>{b.status}</Badge>
              </td>
              {OUTCOMES.map(([k]) => (
                <td key={k} className="px-3 py-2 text-right tabular-nums" data-testid={`batch-count-${k}`}>
                  {outcomeCount(b.counts, k)}
                </td>
              ))}
              <td className="truncate px-3 py-2 text-xs text-slate-600">{b.createdBy}</td>
              <td className="px-3 py-2 text-xs text-slate-600">{b.createdAt ? new Date(b.createdAt).toLocaleString() : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pages.hasNextPage ? (
        <div className="border-t border-slate-100 p-2 text-center">
          <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
            Load more
          </Button>
        </div>
      ) : null}
    </div>
  );
}
