'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import clsx from 'clsx';
import { useEffect, useRef, useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { OperationSummary } from '@/lib/dashboard/schemas';
import { type ProgressData, rooms } from '@/lib/realtime/events';
import { plural } from '@/lib/words';
import { useRealtime, useRealtimeEvent } from '../realtime/realtime-provider';
import { usePermission } from '../session-context';
import { Badge, Button } from '../ui/controls';
import { toast } from '../ui/toaster';

interface LogLine {
  seq: number;
  level: string;
  message: string;
  at: string;
}

export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

const COUNT_ORDER = [
  'total',
  'productsRead',
  'rowsRead',
  'staged',
  'staged_incoming',
  'staged_outgoing',
  'staged_conflict',
  'superseded',
  'applied',
  'failed',
  'drifted',
  'dead',
  'rolledBack',
  'cancelled',
  'errors',
];
/** Counts read in a fixed order, the ones that matter first; unknown ones after, as they came. */
const countOrder = (key: string) => (COUNT_ORDER.includes(key) ? COUNT_ORDER.indexOf(key) : COUNT_ORDER.length);

function pathOf(meta: unknown): string | null {
  const path = meta && typeof meta === 'object' ? (meta as { path?: unknown }).path : undefined;
  return path === 'bulk' || path === 'regular' ? path : null;
}

/**
 * One operation's live state: the server's row, then every socket event of its room (replayed
 * from the start on mount, so a reload shows the same bar and log lines). `settled` (a batch's
 * page gives its items' counts) drives the bar instead, and the operation's own counts are not
 * repeated: the page then shows one set of numbers.
 */
export function OperationPanel({ operation, settled }: { operation: OperationSummary; settled?: { done: number; total: number } }) {
  const client = useQueryClient();
  const operate = usePermission('operate');
  const { subscribe } = useRealtime();
  // The path is in the operation's meta from the start: a panel mounted after the push ended (its
  // live events already seen through the store's room) still names it.
  const metaPath = pathOf(operation.meta);
  const [progress, setProgress] = useState<ProgressData>({
    done: operation.progress.done,
    total: operation.progress.total ?? null,
    path: metaPath,
  });
  const [status, setStatus] = useState(operation.status);
  const [lines, setLines] = useState<LogLine[]>([]);

  useEffect(() => subscribe([rooms.operation(operation.id)], { lastSeq: 0 }), [operation.id, subscribe]);
  // A refetched operation moves the panel forward, never back behind what live events already showed.
  useEffect(() => {
    setStatus(operation.status);
    setProgress((p) =>
      operation.progress.done >= p.done ? { ...p, done: operation.progress.done, total: operation.progress.total ?? null } : p,
    );
  }, [operation.status, operation.progress.done, operation.progress.total]);

  // Events can come twice over (the tab's recent ones, then the room's replay) and out of order:
  // progress and status only move forward by seq.
  const stateSeq = useRef(0);
  useRealtimeEvent(
    ['operation_progress', 'operation_log', 'operation_complete', 'operation_start', 'error'],
    (m) => {
      if (m.data.operation_id !== operation.id) return;
      if (m.data.seq >= stateSeq.current) {
        stateSeq.current = m.data.seq;
        if (m.data.progress) setProgress((p) => ({ ...p, ...m.data.progress }));
        if (m.data.status) setStatus(m.data.status);
      }
      if (m.type === 'operation_log' || m.type === 'error' || m.type === 'operation_complete') {
        const line = {
          seq: m.data.seq,
          level: m.type === 'error' ? 'error' : (m.data.level ?? 'info'),
          message: m.data.message ?? m.type,
          at: m.data.timestamp,
        };
        setLines((all) => (all.some((l) => l.seq === line.seq) ? all : [...all, line].sort((a, b) => a.seq - b.seq).slice(-200)));
      }
      if (m.type === 'operation_complete') void client.invalidateQueries({ queryKey: ['operations'] });
    },
    { recent: true },
  );

  const cancel = useMutation({
    mutationFn: () => dashboardApi.cancelOperation(operation.id),
    onSuccess: () => toast('Cancel requested', 'info'),
    onError: (err) => toast(errorMessage(err), 'error'),
  });

  const done = settled?.done ?? progress.done;
  const total = settled?.total ?? progress.total ?? null;
  const pct = total ? Math.min(100, Math.round((done / total) * 100)) : status === 'completed' ? 100 : 0;
  const running = status === 'running' || status === 'queued';
  const errors = lines.filter((l) => l.level === 'error');
  return (
    <article
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid="operation-panel"
      data-operation-id={operation.id}
      data-status={status}
      aria-label={`${operation.kind} operation`}
    >
      <header className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-2">
          <h3 className="font-semibold text-slate-900 first-letter:uppercase">{operation.title ?? operation.kind}</h3>
          <Badge tone={status === 'completed' ? 'emerald' : status === 'failed' ? 'red' : running ? 'sky' : 'slate'}>{status}</Badge>
          {(progress.path ?? metaPath) ? (
            <span className="text-xs text-slate-600" data-testid="operation-path">
              {(progress.path ?? metaPath) === 'bulk' ? 'Bulk operation' : 'Regular writes'}
            </span>
          ) : null}
        </div>
        <div className="flex items-center gap-3 text-xs text-slate-500">
          <span>{operation.startedBy ? `by ${operation.startedBy}` : null}</span>
          <span>{operation.createdAt ? new Date(operation.createdAt).toLocaleString() : null}</span>
          {running && operate.allowed ? (
            <Button variant="ghost" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
              Cancel
            </Button>
          ) : null}
        </div>
      </header>
      <div className="mt-3">
        <div
          className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          aria-label={`${operation.kind} progress`}
          data-testid="operation-progress"
        >
          <div
            className={clsx('h-full transition-all', status === 'failed' ? 'bg-red-500' : 'bg-emerald-500')}
            style={{ width: `${pct}%` }}
          />
        </div>
        <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-xs text-slate-600 sm:grid-cols-4">
          <div>
            <dt className="inline">Done: </dt>
            <dd className="inline tabular-nums" data-testid="operation-percent">
              {done.toLocaleString()}
              {total !== null ? ` / ${total.toLocaleString()}` : ''} ({pct}%)
            </dd>
          </div>
          <div>
            <dt className="inline">Rate: </dt>
            <dd className="inline tabular-nums">{progress.rate ? `${progress.rate.toFixed(1)}/s` : '—'}</dd>
          </div>
          <div>
            <dt className="inline">ETA: </dt>
            <dd className="inline tabular-nums">{running ? formatEta(progress.etaSeconds) : '—'}</dd>
          </div>
          <div className="truncate">
            <dt className="inline">Now: </dt>
            <dd className="inline">{running ? (progress.current ?? '—') : '—'}</dd>
          </div>
        </dl>
      </div>
      {!settled && operation.counts && Object.keys(operation.counts).length ? (
        <p className="mt-2 text-xs text-slate-600">
          {Object.entries(operation.counts)
            .sort(([a], [b]) => countOrder(a) - countOrder(b))
            .map(
              ([k, v]) =>
                `${k
                  .replace(/_/g, ' ')
                  .replace(/([a-z])([A-Z])/g, '$1 $2')
                  .toLowerCase()}: ${typeof v === 'number' ? v.toLocaleString() : v}`,
            )
            .join(' · ')}
        </p>
      ) : null}
      {typeof operation.error === 'string' || errors.length ? (
        <p role="alert" className="mt-2 rounded bg-red-50 p-2 text-xs text-red-800">
          {typeof operation.error === 'string' ? operation.error : errors[errors.length - 1]?.message}
        </p>
      ) : null}
      {lines.length ? (
        <details className="mt-2" open={running}>
          <summary className="cursor-pointer text-xs font-medium text-slate-600">Log ({plural(lines.length, 'line')})</summary>
          <ol
            className="mt-1 max-h-48 overflow-auto rounded bg-slate-950 p-2 font-mono text-[11px] leading-5 text-slate-200"
            aria-label="Log lines"
          >
            {lines.map((l) => (
              <li key={l.seq} className={l.level === 'error' ? 'text-red-300' : l.level === 'warn' ? 'text-amber-300' : undefined}>
                <time className="text-slate-500">{new Date(l.at).toLocaleTimeString()}</time> {l.message}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </article>
  );
}

/** Recent operations, each with its live panel; new ones appear when they start. */
export function OperationList({ kind, limit = 10 }: { kind?: string; limit?: number }) {
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['operations', kind ?? 'all', limit], queryFn: () => dashboardApi.listOperations({ kind, limit }) });
  useRealtimeEvent(['operation_start', 'operation_complete'], () => void client.invalidateQueries({ queryKey: ['operations'] }));
  if (list.isPending)
    return <div role="status" className="h-24 animate-pulse rounded-lg bg-slate-200/70" aria-busy="true" aria-label="Loading operations" />;
  if (list.isError)
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
        {errorMessage(list.error)}{' '}
        <Button className="ml-2" onClick={() => void list.refetch()}>
          Retry
        </Button>
      </div>
    );
  if (list.data.items.length === 0) {
    return (
      <p
        className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600"
        data-testid="empty-state"
      >
        No operations have run yet. An admin can start a pull to compare Shopify with the master, then push approved changes.
      </p>
    );
  }
  return (
    <div className="space-y-3">
      {list.data.items.map((op) => (
        <OperationPanel key={op.id} operation={op} />
      ))}
    </div>
  );
}
