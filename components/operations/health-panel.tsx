'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { clsx } from 'clsx';
import { Activity, CheckCircle2, CircleDashed, Cloud, CloudOff, Radio, RefreshCw, Send, Webhook } from 'lucide-react';
import type { ReactNode } from 'react';
import { useRealtimeEvent } from '@/components/realtime/realtime-provider';
import { ApiError, api } from '@/lib/api-client';
import type { HealthIndicator, RefusedShop, SyncMetricsSummary } from '@/lib/dashboard/health';
import { plural } from '@/lib/words';

const REFRESH_MS = 15_000;

/** The indicators in the order shown, each with the target it is measured against. */
const INDICATORS = [
  { id: 'eventSuccess', title: 'Event success', Icon: Webhook, target: '95% or more' },
  { id: 'pushSuccess', title: 'Push delivery', Icon: Send, target: '90% or more' },
  { id: 'pollingFailures', title: 'Polling failures in a row', Icon: Radio, target: 'fewer than 5' },
  { id: 'activity', title: 'Last activity', Icon: Activity, target: 'within 5 minutes' },
  { id: 'shopify', title: 'Shopify', Icon: Cloud, IconDown: CloudOff, target: 'answering' },
  { id: 'webhooks', title: 'Webhook subscriptions', Icon: Webhook, target: 'all registered' },
] as const;

function formatValue(key: string, indicator: HealthIndicator): string {
  if (indicator.value === null) return '—';
  if (key === 'eventSuccess' || key === 'pushSuccess') return `${(indicator.value * 100).toFixed(1)}%`;
  if (key === 'activity')
    return indicator.value < 1 ? `${Math.round(indicator.value * 60)} s ago` : `${Math.round(indicator.value)} min ago`;
  if (key === 'shopify') return indicator.value === 0 ? 'answering' : `${plural(indicator.value, 'store')} down`;
  if (key === 'webhooks') return indicator.value === 0 ? 'all registered' : `${plural(indicator.value, 'store')} failing`;
  return String(indicator.value);
}

function Indicator({
  id,
  title,
  icon,
  indicator,
  target,
}: {
  id: string;
  title: string;
  icon: ReactNode;
  indicator: HealthIndicator;
  target: string;
}) {
  const state = indicator.healthy === null ? 'unknown' : indicator.healthy ? 'healthy' : 'unhealthy';
  // Deliveries refused for a shop no store has: a store set up for another shop hears nothing, so say so.
  const refused = 'refusedUnknownShop' in indicator ? (indicator.refusedUnknownShop as RefusedShop[]).length : 0;
  return (
    <li
      className={clsx(
        'min-w-0 rounded-lg border bg-white p-4',
        state === 'unhealthy'
          ? 'border-red-300 bg-red-50'
          : refused
            ? 'border-amber-300 bg-amber-50'
            : state === 'healthy'
              ? 'border-emerald-200'
              : 'border-slate-200',
      )}
      data-testid={`health-${id}`}
      data-state={state}
      data-refused={refused || undefined}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="flex items-center gap-2 text-sm font-medium text-slate-700">
          {icon}
          {title}
        </span>
        <span
          className={clsx(
            'rounded-full px-2 py-0.5 text-xs font-semibold',
            state === 'unhealthy'
              ? 'bg-red-100 text-red-800'
              : state === 'healthy'
                ? 'bg-emerald-100 text-emerald-800'
                : 'bg-slate-100 text-slate-600',
          )}
        >
          {state === 'unknown' ? 'No data' : state === 'healthy' ? 'Healthy' : 'Unhealthy'}
        </span>
      </div>
      <p className="mt-2 text-2xl font-semibold text-slate-900">{formatValue(id, indicator)}</p>
      <p className="mt-1 text-xs text-slate-500">Target: {target}</p>
      <p className={clsx('mt-2 text-sm [overflow-wrap:anywhere]', refused ? 'text-amber-900' : 'text-slate-600')}>{indicator.detail}</p>
    </li>
  );
}

/**
 * The seeds' health indicators for the Operations page: event success, push delivery success,
 * polling failures in a row, recent activity, whether Shopify answers, and whether each store's
 * webhook subscriptions were found (or registered again) at the last check. Refreshes every 15 s
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
          {data?.health.status === 'degraded' ? (
            <CloudOff className="h-4 w-4 text-red-600" />
          ) : (
            <CheckCircle2 className="h-4 w-4 text-emerald-600" />
          )}
          Sync health{data ? `: ${data.health.status === 'healthy' ? 'healthy' : 'needs attention'}` : ''}
        </h2>
        <button
          type="button"
          onClick={() => void refetch()}
          className={clsx(
            'inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-2',
            'py-1 text-xs text-slate-700 hover:bg-slate-50',
          )}
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
          <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-6">
            {INDICATORS.map((shown) => {
              const indicator = data.health[shown.id];
              // A crossed-out cloud only when Shopify does not answer.
              const Icon = 'IconDown' in shown && indicator.healthy === false ? shown.IconDown : shown.Icon;
              return (
                <Indicator
                  key={shown.id}
                  id={shown.id}
                  title={shown.title}
                  icon={<Icon className="h-4 w-4" aria-hidden />}
                  indicator={indicator}
                  target={shown.target}
                />
              );
            })}
          </ul>
          <p className="mt-2 text-xs text-slate-500">
            Rates over the last {data.health.windowMinutes} minutes. Queue:{' '}
            {Object.keys(data.queue).length === 0
              ? 'empty'
              : Object.entries(data.queue)
                  .map(([k, n]) => `${k} ${n}`)
                  .join(', ')}
            .
          </p>
        </>
      )}
    </section>
  );
}
