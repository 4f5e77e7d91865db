'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { Activity, CheckCircle2, CircleDashed, CloudOff, RefreshCw, Radio, Send, Webhook } from 'lucide-react';
import type { ReactNode } from 'react';
import { api, ApiError } from '@/lib/api-client';
import { useRealtimeEvent } from '@/components/realtime/realtime-provider';
import type { HealthIndicator } from '@/server/health';
import type { SyncMetricsSummary } from '@/server/metrics/summary';

const REFRESH_MS = 15_000;

function formatValue(key: string, indicator: HealthIndicator): string {
  if (indicator.value === null) return '—';
  if (key === 'eventSuccess' || key === 'pushSuccess') return `${(indicator.value * 100).toFixed(1)}%`;
  if (key === 'activity') return indicator.value < 1 ? `${Math.round(indicator.value * 60)} s ago` : `${Math.round(indicator.value)} min ago`;
  if (key === 'shopify') return indicator.value === 0 ? 'answering' : `${indicator.value} store(s) down`;
  return String(indicator.value);
}

function Indicator({ id, title, icon, indicator, target }: { id: string; title: string; icon: ReactNode; indicator: HealthIndicator; target: string }) {
  const state = indicator.healthy === null ? 'unknown' : indicator.healthy ? 'healthy' : 'unhealthy';
  return (
    <li
      className={clsx(
        'rounded-lg border bg-white p-4',
        state === 'unhealthy' ? 'border-red-300 bg-red-50' : state === 'healthy' ? 'border-emerald-200' : 'border-slate-200',
      )}
      data-testid={`health-${id}`}
      data-state={state}
    >
      <div className="flex items-center justify-between gap-2">
        <span className="flex items-center gap-2 text-sm font-medium text-slate-700">
          {icon}
          {title}
        </span>
        <span
          className={clsx(
            'rounded-full px-2 py-0.5 text-xs font-semibold',
            state === 'unhealthy' ? 'bg-red-100 text-red-800' : state === 'healthy' ? 'bg-emerald-100 text-emerald-800' : 'bg-slate-100 text-slate-600',
          )}
        >
          {state === 'unknown' ? 'No data' : state === 'healthy' ? 'Healthy' : 'Unhealthy'}
        </span>
      </div>
      <p className="mt-2 text-2xl font-semibold text-slate-900">{formatValue(id, indicator)}</p>
      <p className="mt-1 text-xs text-slate-500">Target: {target}</p>
      <p className="mt-2 text-sm text-slate-600">{indicator.detail}</p>
    </li>
  );
}

/**
 * The seeds' health indicators for the Operations page: event success, push delivery success,
 * polling failures in a row, recent activity, and whether Shopify answers. Refreshes every 15 s
 * and whenever an operation settles.
 */
export function HealthPanel() {
  const queryClient = useQueryClient();
  const { data, error, isPending, isFetching, refetch } = useQuery({
    queryKey: ['sync-metrics'],
    queryFn: ({ signal }) => api<SyncMetricsSummary>('/api/sync/metrics', { signal }),
    refetchInterval: REFRESH_MS,
  });
  useRealtimeEvent(['operation_complete', 'sync_status', 'error'], () => {
    void queryClient.invalidateQueries({ queryKey: ['sync-metrics'] });
  });

  return (
    <section aria-labelledby="health-heading" className="mb-6" data-testid="health-panel" data-status={data?.health.status ?? 'loading'}>
      <div className="mb-3 flex items-center justify-between">
        <h2 id="health-heading" className="flex items-center gap-2 text-base font-semibold text-slate-900">
          {data?.health.status === 'degraded' ? <CloudOff className="h-4 w-4 text-red-600" /> : <CheckCircle2 className="h-4 w-4 text-emerald-600" />}
          Sync health{data ? `: ${data.health.status === 'healthy' ? 'healthy' : 'needs attention'}` : ''}
        </h2>
        <button
          type="button"
          onClick={() => void refetch()}
          className="inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-xs text-slate-700 hover:bg-slate-50"
          disabled={isFetching}
        >
          <RefreshCw className={clsx('h-3 w-3', isFetching && 'animate-spin')} /> Refresh
        </button>
      </div>
      {isPending ? (
        <p className="text-sm text-slate-500">
          <CircleDashed className="mr-1 inline h-4 w-4 animate-spin" /> Loading health…
        </p>
      ) : error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          Health could not be loaded: {error instanceof ApiError ? error.message : 'unexpected error'}. It will be retried.
        </p>
      ) : (
        <>
          <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-5">
            <Indicator id="eventSuccess" title="Event success" icon={<Webhook className="h-4 w-4" />} indicator={data.health.eventSuccess} target="95% or more" />
            <Indicator id="pushSuccess" title="Push delivery" icon={<Send className="h-4 w-4" />} indicator={data.health.pushSuccess} target="90% or more" />
            <Indicator id="pollingFailures" title="Polling failures in a row" icon={<Radio className="h-4 w-4" />} indicator={data.health.pollingFailures} target="fewer than 5" />
            <Indicator id="activity" title="Last activity" icon={<Activity className="h-4 w-4" />} indicator={data.health.activity} target="within 5 minutes" />
            <Indicator id="shopify" title="Shopify" icon={<CloudOff className="h-4 w-4" />} indicator={data.health.shopify} target="answering" />
          </ul>
          <p className="mt-2 text-xs text-slate-500">
            Rates over the last {data.health.windowMinutes} minutes. Queue:{' '}
            {Object.keys(data.queue).length === 0 ? 'empty' : Object.entries(data.queue).map(([k, n]) => `${k} ${n}`).join(', ')}.
          </p>
        </>
      )}
    </section>
  );
}
