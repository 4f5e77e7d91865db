'use client';

import Link from 'next/link';
import { formatWhen } from '@/lib/dashboard/schedules';
import type { ScheduleEntry, ScheduleStep } from '@/lib/dashboard/schemas';
import { Badge, formatValue } from '../ui/controls';

type Tone = 'slate' | 'sky' | 'violet' | 'amber' | 'emerald' | 'red';

/** What a step has come to, in words: waiting, its batch's outcome (drifted said plainly), cancelled or failed with why. */
export function stepState(step: ScheduleStep, done: 'Applied' | 'Reverted' | 'Pushed'): { label: string; tone: Tone; note?: string } {
  if (step.status === 'scheduled') return { label: 'Waiting', tone: 'sky' };
  if (step.status === 'running') return { label: 'Starting', tone: 'sky' };
  if (step.status === 'cancelled') return { label: 'Cancelled', tone: 'slate', note: step.result?.message };
  if (step.status === 'failed') return { label: 'Failed', tone: 'red', note: step.result?.message };
  const batch = step.batch;
  if (!batch || batch.status === 'queued' || batch.status === 'running') return { label: 'Running', tone: 'sky' };
  const counts = batch.counts;
  if ((counts.drifted ?? 0) > 0) {
    return {
      label: 'Drifted',
      tone: 'amber',
      note:
        done === 'Reverted'
          ? 'Shopify no longer held the scheduled value at the end, so it was left as it is; the change is back in review.'
          : 'Shopify had changed since the approval, so nothing was written; the change is back in review.',
    };
  }
  if ((counts.failed ?? 0) + (counts.dead ?? 0) > 0) return { label: 'Failed', tone: 'red', note: 'See the batch for Shopify’s answer.' };
  if (batch.status === 'cancelled') return { label: 'Cancelled', tone: 'slate' };
  return { label: done, tone: 'emerald' };
}

export function StepBadge({ step, done, testId }: { step: ScheduleStep; done: 'Applied' | 'Reverted' | 'Pushed'; testId: string }) {
  const state = stepState(step, done);
  return (
    <span className="inline-flex flex-wrap items-center gap-1" data-testid={testId} data-state={state.label.toLowerCase()}>
      <Badge tone={state.tone}>{state.label}</Badge>
      {step.batch ? (
        <Link href={`/batches/${step.batch.id}`} className="text-xs text-emerald-800 hover:underline">
          batch
        </Link>
      ) : null}
      {state.note ? <span className="text-xs text-slate-600">{state.note}</span> : null}
    </span>
  );
}

/** "Price 19.00 from Fri 12 Dec, 00:00 GMT+1 to Mon 15 Dec, 00:00 GMT+1". */
export function windowSentence(entry: ScheduleEntry): string {
  const values = (entry.change?.fields ?? []).map((f) => `${f.label} ${formatValue(f.to)}`).join(', ') || 'The change';
  const from = formatWhen(entry.runAt);
  return entry.end ? `${values} from ${from} to ${formatWhen(entry.end.runAt)}` : `${values} from ${from}`;
}
