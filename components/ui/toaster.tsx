'use client';

import clsx from 'clsx';
import { X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useRealtimeEvent } from '../realtime/realtime-provider';

export interface Toast {
  id: number;
  tone: 'success' | 'error' | 'info';
  message: string;
}

type ToastListener = (toast: Toast) => void;
const listeners = new Set<ToastListener>();
let nextId = 1;

/** Shows a notice in the corner for a few seconds (errors stay until closed). */
export function toast(message: string, tone: Toast['tone'] = 'info'): void {
  const t = { id: nextId++, tone, message };
  for (const l of listeners) l(t);
}

/** The corner notices, plus one for every operation that completes or fails. */
export function Toaster() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    const listener: ToastListener = (t) => {
      setToasts((all) => [...all.slice(-4), t]);
      if (t.tone !== 'error') setTimeout(() => setToasts((all) => all.filter((x) => x.id !== t.id)), 6000);
    };
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  useRealtimeEvent(['operation_complete'], (m) => {
    const kind = m.data.kind ?? 'operation';
    const ok = m.data.status === 'completed';
    const detail = m.data.message ? `: ${m.data.message}` : '';
    toast(
      `${kind[0]!.toUpperCase()}${kind.slice(1)} ${m.data.status ?? 'finished'}${detail}`,
      ok ? 'success' : m.data.status === 'cancelled' ? 'info' : 'error',
    );
  });
  return (
    <section
      className="pointer-events-none fixed bottom-4 right-4 z-50 flex w-96 max-w-[calc(100vw-2rem)] flex-col gap-2"
      aria-label="Notifications"
      aria-live="polite"
    >
      {toasts.map((t) => (
        <div
          key={t.id}
          role={t.tone === 'error' ? 'alert' : 'status'}
          data-testid="toast"
          className={clsx(
            'pointer-events-auto flex items-start justify-between gap-3 rounded-md px-4 py-3 text-sm shadow-lg ring-1',
            t.tone === 'success' && 'bg-emerald-50 text-emerald-900 ring-emerald-200',
            t.tone === 'error' && 'bg-red-50 text-red-900 ring-red-200',
            t.tone === 'info' && 'bg-white text-slate-800 ring-slate-200',
          )}
        >
          <span className="break-words">{t.message}</span>
          <button
            type="button"
            aria-label="Dismiss notification"
            className="rounded p-0.5 hover:bg-black/5"
            onClick={() => setToasts((all) => all.filter((x) => x.id !== t.id))}
          >
            <X className="h-4 w-4" aria-hidden />
          </button>
        </div>
      ))}
    </section>
  );
}
