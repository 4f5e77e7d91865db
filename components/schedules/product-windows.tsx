'use client';

import Link from 'next/link';
import { StepBadge, windowSentence } from './schedule-state';
import { useSchedules } from './upcoming-list';

/** A product's change windows ("Price 19.00 from Fri 00:00 to Mon 00:00"), with where each stands; nothing when it has none. */
export function ProductWindows({ productId }: { productId: string }) {
  const schedules = useSchedules(productId);
  const windows = schedules.data?.items.filter((e) => e.kind === 'window') ?? [];
  if (windows.length === 0) return null;
  return (
    <section aria-labelledby="windows-heading" className="space-y-2" data-testid="product-windows">
      <h2 id="windows-heading" className="text-sm font-semibold text-slate-900">
        Scheduled changes
      </h2>
      <ul className="space-y-1 rounded-lg border border-slate-200 bg-white p-3 text-sm">
        {windows.map((w) => (
          <li key={w.id} className="flex flex-wrap items-center gap-2" data-testid="product-window">
            <span className="break-words text-slate-900">{windowSentence(w)}</span>
            <StepBadge step={w} done="Applied" testId="product-window-start" />
            {w.end ? <StepBadge step={w.end} done="Reverted" testId="product-window-end" /> : null}
          </li>
        ))}
      </ul>
      <Link href="/upcoming" className="text-xs text-emerald-800 hover:underline">
        All upcoming changes
      </Link>
    </section>
  );
}
