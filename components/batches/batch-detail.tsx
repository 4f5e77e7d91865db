'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import { batchName, batchOutcomes } from '@/lib/dashboard/batches';
import { batchCreatorText } from '@/lib/sync/ownership';
import { plural } from '@/lib/words';
import { OperationPanel } from '../operations/operation-panel';
import { useRealtimeEvent } from '../realtime/realtime-provider';
import { usePermission } from '../session-context';
import { Badge, Button, ConfirmDialog, ErrorState, Skeleton } from '../ui/controls';
import { PageHeader } from '../ui/page-header';
import { LoadMore, TableCard } from '../ui/table';
import { toast } from '../ui/toaster';
import { useIdSet } from '../ui/use-id-set';
import { useKeysetPages } from '../ui/use-keyset-pages';
import { BatchCounts } from './batch-counts';
import { BatchItemsTable } from './batch-items';
import { statusTone } from './batch-list';
import { RollbackPreviewList } from './rollback-preview';

/** Items per page of a batch's item list. */
const ITEMS_PAGE = 200;

/** One batch: its outcome per item with Shopify's error text, the failed-items CSV and a previewed rollback. */
export function BatchDetailView({ id }: { id: string }) {
  const client = useQueryClient();
  const rollbackPerm = usePermission('rollback');
  const [outcome, setOutcome] = useState('');
  // Items come a keyset page at a time (the first page carries the batch and its counts): every item can be reached.
  const { pages: batch, items } = useKeysetPages(['batch', id, outcome], (cursor) =>
    dashboardApi.getBatch(id, { status: outcome, cursor, limit: ITEMS_PAGE }),
  );
  const header = batch.data?.pages[0];
  const operation = useQuery({
    queryKey: ['operation', header?.operationId],
    queryFn: () => dashboardApi.getOperation(header!.operationId!),
    enabled: Boolean(header?.operationId),
  });
  const { ids: chosen, set: choose, replace: replaceChosen } = useIdSet();
  const [previewOpen, setPreviewOpen] = useState(false);
  // The counts, the progress bar and the rows all come from the batch's items: refetched as they settle.
  useRealtimeEvent(['operation_complete', 'operation_progress'], (m) => {
    if (m.data.operation_id && m.data.operation_id === header?.operationId) void client.invalidateQueries({ queryKey: ['batch', id] });
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
      replaceChosen(new Set());
      void client.invalidateQueries({ queryKey: ['batches'] });
      void client.invalidateQueries({ queryKey: ['operations'] });
      if (res.batchId) window.location.assign(`/batches/${res.batchId}`);
    },
    onError: (err) => toast(errorMessage(err), 'error'),
  });

  if (batch.isPending) return <Skeleton rows={6} />;
  if (batch.isError || !header)
    return <ErrorState error={batch.error} onRetry={() => void batch.refetch()} title="Could not load this batch" />;
  const b = header;
  const outcomes = batchOutcomes(b.counts);
  const canRollback = rollbackPerm.allowed && b.kind !== 'rollback' && outcomes.applied > 0;
  return (
    <div className="space-y-4" data-testid="batch-detail" data-status={b.status}>
      <PageHeader
        title={batchName(b)}
        description={
          <Link href="/batches" className="text-emerald-800 hover:underline">
            ← All batches
          </Link>
        }
      />
      <div className="flex flex-wrap items-center gap-3">
        <Badge tone={statusTone(b.status)}>{b.status}</Badge>
        {b.priority ? <span className="text-sm text-slate-600">priority {b.priority}</span> : null}
        {b.createdBy ? (
          <span className="text-sm text-slate-600" data-testid="batch-created-by">
            by {batchCreatorText(b.createdBy)}
          </span>
        ) : null}
        {b.rollbackOf ? (
          <Link className="text-sm text-emerald-800 hover:underline" href={`/batches/${b.rollbackOf}`}>
            {b.rollbackOfBatch
              ? `Rolls back ${batchName({
                  kind: b.rollbackOfBatch.kind,
                  counts: { total: b.rollbackOfBatch.total },
                  createdAt: b.rollbackOfBatch.createdAt,
                })}`
              : 'The batch it rolls back'}
          </Link>
        ) : null}
        <div className="ml-auto flex flex-wrap gap-2">
          {outcomes.failed > 0 ? (
            <a
              className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
              href={dashboardApi.failedCsvUrl(b.id)}
              download
            >
              Export failed items (CSV)
            </a>
          ) : null}
          {rollbackPerm.allowed && b.kind !== 'rollback' ? (
            <Button
              variant="danger"
              disabled={!canRollback}
              onClick={() => setPreviewOpen(true)}
              data-testid="rollback-button"
              title={canRollback ? undefined : 'Nothing applied in this batch can be rolled back'}
            >
              {chosen.size ? `Roll back ${plural(chosen.size, 'chosen item')}` : 'Roll back batch'}
            </Button>
          ) : null}
        </div>
      </div>
      <BatchCounts outcomes={outcomes} value={outcome} onValue={setOutcome} />
      {operation.data ? (
        <OperationPanel operation={operation.data} settled={{ done: outcomes.total - outcomes.waiting, total: outcomes.total }} />
      ) : null}
      <TableCard label="Items of the batch">
        <BatchItemsTable
          batch={b}
          items={items}
          chosen={chosen}
          choose={rollbackPerm.allowed && b.kind !== 'rollback' ? choose : undefined}
        />
        {items.length === 0 ? (
          <p className="p-4 text-sm text-slate-600">{outcome ? 'No item has this outcome.' : 'This batch has no items.'}</p>
        ) : null}
        <LoadMore pages={batch} />
      </TableCard>
      <ConfirmDialog
        open={previewOpen}
        title={itemIds ? `Roll back ${plural(itemIds.length, 'item')}?` : 'Roll back this batch?'}
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
          <RollbackPreviewList preview={preview.data} />
        )}
      </ConfirmDialog>
    </div>
  );
}
