'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import { browserZone, isoToLocalInput, localInputToIso } from '@/lib/dashboard/schedules';
import { Button } from '../ui/controls';
import { TextField } from '../ui/fields';

/**
 * Approve an outgoing change for a window: pushed as a batch at the start and, when an end is
 * given, reverted as a batch at the end (a sale price for a weekend). Times are entered in the
 * browser's zone, which the labels name.
 */
export function WindowForm({ changeId }: { changeId: string }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const schedule = useMutation({
    mutationFn: () => {
      const endAt = localInputToIso(end);
      return dashboardApi.scheduleWindow(changeId, { startAt: localInputToIso(start) ?? '', ...(endAt ? { endAt } : {}) });
    },
    onSuccess: () => {
      setOpen(false);
      for (const key of ['staged', 'staged-detail', 'schedules', 'products']) void client.invalidateQueries({ queryKey: [key] });
    },
  });
  if (!open) {
    return (
      <Button
        onClick={() => {
          setStart(isoToLocalInput(new Date(Date.now() + 3_600_000)));
          setOpen(true);
        }}
        data-testid="window-open"
      >
        Approve with a start and an end…
      </Button>
    );
  }
  const zone = browserZone();
  return (
    <form
      className="space-y-2 rounded-lg border border-slate-200 bg-slate-50 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        schedule.mutate();
      }}
      data-testid="window-form"
    >
      <p className="text-xs text-slate-600">
        Pushed to Shopify at the start; at the end the value Shopify held before is written back, unless Shopify changed it meanwhile.
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <TextField label={`Start (${zone})`} type="datetime-local" step={1} value={start} onValue={setStart} data-testid="window-start" />
        <TextField label={`End, optional (${zone})`} type="datetime-local" step={1} value={end} onValue={setEnd} data-testid="window-end" />
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={schedule.isPending || !localInputToIso(start)} data-testid="window-submit">
          Approve for this window
        </Button>
        <Button onClick={() => setOpen(false)} disabled={schedule.isPending}>
          Cancel
        </Button>
      </div>
      {schedule.isError ? (
        <p role="alert" className="text-xs text-red-700" data-testid="window-error">
          {errorMessage(schedule.error)}
        </p>
      ) : null}
    </form>
  );
}
