'use client';

import { diffWords } from 'diff';
import { formatValue } from '../ui/controls';

/** A word diff of two long texts (descriptions are shown as their HTML source, as text, never rendered). */
export function TextDiff({ from, to }: { from: unknown; to: unknown }) {
  const parts = diffWords(formatValue(from), formatValue(to));
  return (
    <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 font-mono text-xs leading-relaxed text-slate-800" data-testid="text-diff">
      {parts.map((p, i) => (
        <span key={i} className={p.added ? 'bg-emerald-100 text-emerald-900' : p.removed ? 'bg-red-100 text-red-900 line-through' : undefined}>
          {p.value}
        </span>
      ))}
    </pre>
  );
}

/** The signed difference of two numeric values, or null when either is not a number. */
export function numericDelta(from: unknown, to: unknown): number | null {
  if (from === null || to === null || from === undefined || to === undefined || from === '' || to === '') return null;
  const a = Number(from);
  const b = Number(to);
  if (!Number.isFinite(a) || !Number.isFinite(b) || a === b) return null;
  return Math.round((b - a) * 100) / 100;
}

export function Delta({ from, to, money }: { from: unknown; to: unknown; money?: boolean }) {
  const d = numericDelta(from, to);
  if (d === null) return null;
  const pct = Number(from) !== 0 ? ` (${d > 0 ? '+' : ''}${Math.round((d / Number(from)) * 1000) / 10}%)` : '';
  return (
    <span className={d > 0 ? 'ml-2 rounded bg-emerald-100 px-1 text-xs font-semibold text-emerald-800' : 'ml-2 rounded bg-red-100 px-1 text-xs font-semibold text-red-800'} data-testid="delta">
      {d > 0 ? '+' : ''}
      {money ? d.toFixed(2) : d}
      {pct}
    </span>
  );
}
