'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import { useRealtimeEvent } from '../realtime/realtime-provider';
import { usePermission } from '../session-context';
import { Badge, Button, ConfirmDialog, ErrorState, formatValue, Skeleton } from '../ui/controls';
import { toast } from '../ui/toaster';
import { OperationPanel } from '../operations/operation-panel';
import { statusTone } from './batch-list';

/** One batch: its outcome per item with Shopify's error text, the failed-items CSV and a previewed rollback. */
export function BatchDetailView({ id }: { id: string }) {
  const client = useQueryClient();
  const rollbackPerm = usePermission('rollback');
  const batch = useQuery({ queryKey: ['batch', id], queryFn: () => dashboardApi.getBatch(id) });
  const operation = useQuery({
    queryKey: ['operation', batch.data?.operationId],
    queryFn: () => dashboardApi.getOperation(batch.data!.operationId!),
    enabled: Boolean(batch.data?.operationId),
  });
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [previewOpen, setPreviewOpen] = useState(false);
  useRealtimeEvent(['operation_complete', 'operation_progress'], (m) => {
    if (m.data.operation_id && m.data.operation_id === batch.data?.operationId && m.type === 'operation_complete') void client.invalidateQueries({ queryKey: ['batch', id] });
  });
  const itemIds = chosen.size ? [...chosen] : undefined;
  const preview = useQuery({
    queryKey: ['rollback-preview', id, itemIds?.join(',') ?? 'all'],
    queryFn: () => dashboardApi.rollbackPreview(id, itemIds),
    enabled: previewOpen,
    staleTime: 0,
  });
  const rollback = useMutation({
    mutationFn: () => dashboardApi.rollback(id, itemIds),
    onSuccess: (res) => {
      toast('Rollback started', 'info');
      setPreviewOpen(false);
      setChosen(new Set());
      void client.invalidateQueries({ queryKey: ['batches'] });
      void client.invalidateQueries({ queryKey: ['operations'] });
      if (res.batchId) window.location.assign(`/batches/${res.batchId}`);
    },
    onError: (err) => toast(errorMessage(err), 'error'),
  });

  if (batch.isPending) return <Skeleton rows={6} />;
  if (batch.isError) return <ErrorState error={batch.error} onRetry={() => void batch.refetch()} title="Could not load this batch" />;
  const b = batch.data;
  const failed = b.counts?.failed ?? b.items.filter((i) => i.status === 'failed').length;
  const canRollback = rollbackPerm.allowed && b.kind !== 'rollback' && b.items.some((i) => i.status === 'applied');
  return (
    <div className="space-y-4" data-testid="batch-detail" data-status={b.status}>
      <div className="flex flex-wrap items-center gap-3">
        <Badge>{b.kind}</Badge>
        <Badge tone={statusTone(b.status)}>{b.status}</Badge>
        {b.priority ? <span className="text-sm text-slate-600">priority {b.priority}</span> : null}
        {b.rollbackOf ? (
          <Link className="text-sm text-emerald-700 hover:underline" href={`/batches/${b.rollbackOf}`}>
            rollback of {b.rollbackOf.slice(0, 8)}
          </Link>
        ) : null}
        <span className="text-sm text-slate-600" data-testid="batch-counts">
          {Object.entries(b.counts ?? {})
            .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v}`)
            .join(' · ')}
        </span>
        <div className="ml-auto flex gap-2">
          {failed > 0 ? (
            <a className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50" href={dashboardApi.failedCsvUrl(b.id)} download>
              Export failed items (CSV)
            </a>
          ) : null}
          {rollbackPerm.allowed && b.kind !== 'rollback' ? (
            <Button variant="danger" disabled={!canRollback} onClick={() => setPreviewOpen(true)} data-testid="rollback-button" title={canRollback ? undefined : 'Nothing applied in this batch can be rolled back'}>
              {chosen.size ? `Roll back ${chosen.size} chosen item${chosen.size === 1 ? '' : 's'}` : 'Roll back batch'}
            </Button>
          ) : null}
        </div>
      </div>
      {operation.data ? <OperationPanel operation={operation.data} /> : null}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm" data-testid="batch-items">
          <caption className="sr-only">Items of the batch and their outcomes</caption>
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              {rollbackPerm.allowed ? <th scope="col" className="w-8 px-3 py-2"><span className="sr-only">Choose</span></th> : null}
              <th scope="col" className="px-3 py-2">Item</th>
              <th scope="col" className="px-3 py-2">Outcome</th>
              <th scope="col" className="px-3 py-2">Before</th>
              <th scope="col" className="px-3 py-2">After</th>
              <th scope="col" className="px-3 py-2">Shopify said</th>
            </tr>
          </thead>
          <tbody>
            {b.items.map((item) => (
              <tr key={item.id} className="border-t border-slate-100 align-top" data-testid="batch-item" data-status={item.status}>
                {rollbackPerm.allowed ? (
                  <td className="px-3 py-2">
                    <input
                      type="checkbox"
                      aria-label={`Choose ${item.entityLabel ?? item.id} for rollback`}
                      disabled={item.status !== 'applied'}
                      checked={chosen.has(item.id)}
                      onChange={(e) => {
                        const next = new Set(chosen);
                        if (e.target.checked) next.add(item.id);
                        else next.delete(item.id);
                        setChosen(next);
                      }}
                    />
                  </td>
                ) : null}
                <td className="max-w-64 px-3 py-2">
                  <div className="truncate font-medium text-slate-900">{item.productTitle ?? item.entityId}</div>
                  <div className="truncate text-xs text-slate-500">{item.entityLabel}</div>
                </td>
                <td className="px-3 py-2">
                  <Badge tone={statusTone(item.status)}>{item.status.replace('_', ' ')}</Badge>
                </td>
                <td className="max-w-48 break-words px-3 py-2 text-xs text-slate-600">{summarize(item.before)}</td>
                <td className="max-w-48 break-words px-3 py-2 text-xs text-slate-800">{summarize(item.after ?? item.target)}</td>
                <td className="max-w-64 break-words px-3 py-2 text-xs text-red-700">{item.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {b.items.length === 0 ? <p className="p-4 text-sm text-slate-500">This batch has no items.</p> : null}
      </div>
      <ConfirmDialog
        open={previewOpen}
        title={itemIds ? `Roll back ${itemIds.length} item${itemIds.length === 1 ? '' : 's'}?` : 'Roll back this batch?'}
        confirmLabel={preview.data ? `Restore ${preview.data.restore.length}` : 'Roll back'}
        variant="danger"
        busy={rollback.isPending || preview.isPending}
        onCancel={() => setPreviewOpen(false)}
        onConfirm={() => rollback.mutate()}
      >
        {preview.isPending ? (
          <Skeleton rows={3} />
        ) : preview.isError ? (
          <ErrorState error={preview.error} onRetry={() => void preview.refetch()} title="Could not preview the rollback" />
        ) : (
          <div className="space-y-3" data-testid="rollback-preview">
            <p>
              <strong>{preview.data.restore.length}</strong> will be restored to what they were before the batch; <strong>{preview.data.skipped.length}</strong> will be skipped.
            </p>
            {preview.data.restore.length ? (
              <ul className="max-h-40 list-disc overflow-auto pl-5 text-xs">
                {preview.data.restore.map((r) => (
                  <li key={r.itemId}>
                    {r.entity} {r.entityId}: {summarize(r.from)} → {summarize(r.to)}
                  </li>
                ))}
              </ul>
            ) : null}
            {preview.data.skipped.length ? (
              <div>
                <p className="font-medium text-amber-900">Skipped</p>
                <ul className="max-h-40 list-disc overflow-auto pl-5 text-xs" data-testid="rollback-skipped">
                  {preview.data.skipped.map((r) => (
                    <li key={r.itemId}>
                      {r.entity} {r.entityId}: {r.reason}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
        )}
      </ConfirmDialog>
    </div>
  );
}

function summarize(doc: unknown): string {
  if (!doc || typeof doc !== 'object') return formatValue(doc);
  return Object.entries(doc as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${formatValue(v).slice(0, 80)}`)
    .join('; ');
}
