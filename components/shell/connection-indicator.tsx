'use client';

import clsx from 'clsx';
import { useRealtime } from '../realtime/realtime-provider';

const LABELS = {
  connected: 'Live updates on',
  connecting: 'Connecting to live updates',
  disconnected: 'Live updates offline, reconnecting',
} as const;

/** The socket's state: a green dot when live, red when not. */
export function ConnectionIndicator() {
  const { status } = useRealtime();
  return (
    <div
      className="flex items-center gap-2 text-xs text-slate-600"
      role="status"
      aria-live="polite"
      data-testid="connection-indicator"
      data-status={status}
    >
      <span
        aria-hidden
        className={clsx('inline-block h-2.5 w-2.5 rounded-full', {
          'bg-emerald-500 shadow-[0_0_0_3px_rgba(16,185,129,0.2)]': status === 'connected',
          'bg-amber-400': status === 'connecting',
          'bg-red-500 shadow-[0_0_0_3px_rgba(239,68,68,0.2)]': status === 'disconnected',
        })}
      />
      <span className="hidden sm:inline">{LABELS[status]}</span>
    </div>
  );
}
