'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CalendarClock } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import { browserZone, formatWhen, isoToLocalInput, localInputToIso } from '@/lib/dashboard/schedules';
import type { ScheduleEntry } from '@/lib/dashboard/schemas';
import { useRealtimeEvent } from '../realtime/realtime-provider';
import { usePermission } from '../session-context';
import { Button, ErrorState, Skeleton } from '../ui/controls';
import { EmptyState } from '../ui/empty-state';
import { TextField } from '../ui/fields';
import { StepBadge, windowSentence } from './schedule-state';

/** Schedules as the Upcoming page and the product page read them, refreshed while any is waiting. */
export function useSchedules(productId?: string) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ['schedules', productId ?? null],
    queryFn: () => dashboardApi.listSchedules(productId ? { productId } : {}),
    refetchInterval: (q) => (q.state.data?.items.some(isLive) ? 1000 : false),
  });
  useRealtimeEvent(['operation_complete', 'operation_start'], () => void client.invalidateQueries({ queryKey: ['schedules'] }));
  return query;
}

const isLive = (e: ScheduleEntry) =>
  [e, e.end].some(
    (s) => s && (s.status === 'scheduled' || s.status === 'running' || s.batch?.status === 'queued' || s.batch?.status === 'running'),
  );

/** Waiting pushes and change windows, soonest first, then what ran this week; each waiting one can be cancelled. */
export function UpcomingList() {
  const schedules = useSchedules();
  const operate = usePermission('operate');
  return (
    <div className="space-y-4">
      <p className="text-xs text-slate-600" data-testid="upcoming-zone">
        Times are in your browser’s zone, {browserZone()}.
      </p>
      {operate.allowed ? <SchedulePushForm /> : null}
      {schedules.isPending ? (
        <Skeleton rows={4} />
      ) : schedules.isError ? (
        <ErrorState error={schedules.error} onRetry={() => void schedules.refetch()} title="Could not load schedules" />
      ) : schedules.data.items.length === 0 ? (
        <EmptyState title="Nothing scheduled" icon={<CalendarClock className="h-8 w-8" />}>
          Give an outgoing change a start and an end on the Review page (a sale price for a weekend), or schedule a push here.
        </EmptyState>
      ) : (
        <ul className="space-y-2" data-testid="upcoming-list">
          {schedules.data.items.map((e) => (
            <UpcomingItem key={e.id} entry={e} />
          ))}
        </ul>
      )}
    </div>
  );
}

function UpcomingItem({ entry }: { entry: ScheduleEntry }) {
  const review = usePermission('review');
  const operate = usePermission('operate');
  const cancellable = entry.kind === 'push' ? operate.allowed : review.allowed;
  const waiting = entry.status === 'scheduled' ? entry : entry.end?.status === 'scheduled' ? entry.end : null;
  return (
    <li
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-sm"
      data-testid="upcoming-item"
      data-kind={entry.kind}
      data-change-id={entry.change?.id}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0 space-y-0.5">
          {entry.kind === 'push' ? (
            <p className="font-medium text-slate-900">Push of the approved changes at {formatWhen(entry.runAt)}</p>
          ) : (
            <>
              <p className="font-medium break-words text-slate-900" data-testid="upcoming-window">
                {windowSentence(entry)}
              </p>
              {entry.change?.productId ? (
                <Link href={`/products/${encodeURIComponent(entry.change.productId)}`} className="text-emerald-800 hover:underline">
                  {entry.change.title ?? 'Product'}
                </Link>
              ) : null}
            </>
          )}
          <p className="text-xs text-slate-600">Scheduled by {entry.createdBy}</p>
        </div>
        {waiting && cancellable ? <CancelButton id={waiting.id} label={waiting === entry ? 'Cancel' : 'Cancel the end'} /> : null}
      </div>
      <dl className="grid grid-cols-1 gap-1 sm:grid-cols-2">
        <div className="flex flex-wrap items-center gap-1">
          <dt className="text-xs text-slate-600">{entry.kind === 'push' ? 'Push' : 'Start'}:</dt>
          <dd>
            <StepBadge step={entry} done={entry.kind === 'push' ? 'Pushed' : 'Applied'} testId="upcoming-start" />
          </dd>
        </div>
        {entry.end ? (
          <div className="flex flex-wrap items-center gap-1">
            <dt className="text-xs text-slate-600">End:</dt>
            <dd>
              <StepBadge step={entry.end} done="Reverted" testId="upcoming-end" />
            </dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}

function CancelButton({ id, label }: { id: string; label: string }) {
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => dashboardApi.cancelSchedule(id),
    onSettled: () => void client.invalidateQueries({ queryKey: ['schedules'] }),
  });
  return (
    <div className="flex flex-col items-end gap-1">
      <Button onClick={() => cancel.mutate()} disabled={cancel.isPending} data-testid="cancel-schedule">
        {label}
      </Button>
      {cancel.isError ? (
        <span role="alert" className="text-xs text-red-700">
          {errorMessage(cancel.error)}
        </span>
      ) : null}
    </div>
  );
}

function SchedulePushForm() {
  const client = useQueryClient();
  const [at, setAt] = useState(() => isoToLocalInput(new Date(Date.now() + 3_600_000)));
  const schedule = useMutation({
    mutationFn: () => dashboardApi.schedulePush(localInputToIso(at) ?? ''),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['schedules'] }),
  });
  return (
    <form
      className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-3"
      onSubmit={(e) => {
        e.preventDefault();
        schedule.mutate();
      }}
      data-testid="schedule-push-form"
    >
      <TextField label={`Push the approved changes at (${browserZone()})`} type="datetime-local" step={1} value={at} onValue={setAt} />
      <Button type="submit" variant="primary" disabled={schedule.isPending || !localInputToIso(at)}>
        Schedule push
      </Button>
      {schedule.isError ? (
        <p role="alert" className="w-full text-xs text-red-700">
          {errorMessage(schedule.error)}
        </p>
      ) : null}
    </form>
  );
}
