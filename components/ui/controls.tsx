'use client';

import clsx from 'clsx';
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { errorMessage } from '@/lib/dashboard/api';
import { formatOptions, isOptionList } from '@/lib/sync/options';

const VARIANTS = {
  primary: 'bg-emerald-700 text-white hover:bg-emerald-800 disabled:bg-emerald-300',
  danger: 'bg-red-600 text-white hover:bg-red-700 disabled:bg-red-300',
  secondary: 'bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-400',
  ghost: 'text-slate-700 hover:bg-slate-100 disabled:text-slate-400',
} as const;

export function Button({
  variant = 'secondary',
  className,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof VARIANTS }) {
  return (
    <button
      type="button"
      {...props}
      className={clsx(
        'inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm',
        'font-medium outline-none transition focus-visible:ring-2',
        'focus-visible:ring-emerald-500 focus-visible:ring-offset-1',
        'disabled:cursor-not-allowed',
        VARIANTS[variant],
        className,
      )}
    />
  );
}

/** A block of grey bars shown while a list loads. */
export function Skeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div role="status" className="space-y-2" aria-busy="true" aria-label="Loading" data-testid="skeleton">
      {Array.from({ length: rows }, (_, n) => `bar-${n}`).map((bar) => (
        <div key={bar} className="h-9 animate-pulse rounded bg-slate-200/70" />
      ))}
    </div>
  );
}

/** The server's message and a retry button. */
export function ErrorState({ error, onRetry, title = 'Could not load this' }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800" data-testid="error-state">
      <p className="font-medium">{title}</p>
      <p className="mt-1">{errorMessage(error)}</p>
      {onRetry ? (
        <Button className="mt-3" onClick={onRetry}>
          Retry
        </Button>
      ) : null}
    </div>
  );
}

export function Badge({
  children,
  tone = 'slate',
}: {
  children: ReactNode;
  tone?: 'slate' | 'sky' | 'violet' | 'amber' | 'emerald' | 'red';
}) {
  const tones = {
    slate: 'bg-slate-100 text-slate-700',
    sky: 'bg-sky-100 text-sky-800',
    violet: 'bg-violet-100 text-violet-800',
    amber: 'bg-amber-100 text-amber-900',
    emerald: 'bg-emerald-100 text-emerald-800',
    red: 'bg-red-100 text-red-800',
  } as const;
  return <span className={clsx('inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium', tones[tone])}>{children}</span>;
}

export const KIND_TONE = { incoming: 'sky', outgoing: 'violet', conflict: 'amber' } as const;

/** A modal confirmation: the browser's own dialog element keeps focus inside and closes on Escape. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  confirmDisabled,
  variant = 'primary',
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  /** Nothing to confirm (yet): the confirm button stays disabled, Cancel works. */
  confirmDisabled?: boolean;
  variant?: 'primary' | 'danger';
}) {
  if (!open) return null;
  return (
    <div className="fixed inset-0 z-40 flex items-center justify-center bg-slate-900/40 p-4">
      <div
        role="dialog"
        onKeyDown={(e) => e.key === 'Escape' && onCancel()}
        aria-modal="true"
        aria-labelledby="confirm-title"
        className="max-h-[85vh] w-full max-w-xl overflow-auto rounded-lg bg-white p-5 shadow-xl"
      >
        <h2 id="confirm-title" className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        <div className="mt-3 text-sm text-slate-700">{children}</div>
        <div className="mt-5 flex justify-end gap-2">
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button variant={variant} onClick={onConfirm} disabled={busy || confirmDisabled} autoFocus data-testid="confirm-button">
            {busy ? 'Working…' : confirmLabel}
          </Button>
        </div>
      </div>
    </div>
  );
}

/** Renders any field value as text: HTML stays text, never markup. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (isOptionList(value)) return formatOptions(value);
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
