'use client';

import { clsx } from 'clsx';
import { diffWords } from 'diff';
import DOMPurify from 'dompurify';
import { useMemo, useState } from 'react';
import { formatValue } from '../ui/controls';

const BLOCK = new Set([
  'P',
  'DIV',
  'BR',
  'LI',
  'UL',
  'OL',
  'TR',
  'TABLE',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'BLOCKQUOTE',
  'PRE',
  'HR',
  'SECTION',
  'ARTICLE',
  'HEADER',
  'FOOTER',
]);

function visibleText(node: Node): string {
  let out = '';
  node.childNodes.forEach((child) => {
    if (child.nodeType === Node.TEXT_NODE) out += (child.textContent ?? '').replace(/\s+/g, ' ');
    else if (child.nodeType === Node.ELEMENT_NODE) {
      const tag = (child as Element).tagName;
      const block = BLOCK.has(tag);
      out += `${block ? '\n' : ''}${tag === 'LI' ? '• ' : ''}${visibleText(child)}${block ? '\n' : ''}`;
    }
  });
  return out;
}

/**
 * A description as the reviewer reads it: the HTML sanitized by DOMPurify (scripts, styles, event
 * handlers and javascript: URLs removed), as its visible text or as its source. Only ever shown as
 * text, never rendered. Outside a browser (server rendering) the value is shown as it is, as text.
 */
export function readableHtml(value: unknown, mode: 'text' | 'html'): string {
  const raw = formatValue(value);
  if (typeof window === 'undefined' || !DOMPurify.isSupported) return raw;
  const options = { FORBID_TAGS: ['style', 'form', 'input', 'button'], FORBID_ATTR: ['style'] };
  if (mode === 'html') return DOMPurify.sanitize(raw, options);
  const body = DOMPurify.sanitize(raw, { ...options, RETURN_DOM: true });
  return visibleText(body)
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A word diff of two long texts. HTML fields show their sanitized visible text, or the sanitized source. */
export function TextDiff({ from, to, html = false }: { from: unknown; to: unknown; html?: boolean }) {
  const [mode, setMode] = useState<'text' | 'html'>('text');
  const parts = useMemo(
    () => (html ? diffWords(readableHtml(from, mode), readableHtml(to, mode)) : diffWords(formatValue(from), formatValue(to))),
    [from, to, html, mode],
  );
  // Parts keyed by where they start in the old and new text: stable and unique within one diff.
  const keyedParts = useMemo(() => {
    let before = 0;
    let after = 0;
    return parts.map((part) => {
      const key = `${before}:${after}`;
      if (!part.added) before += part.value.length;
      if (!part.removed) after += part.value.length;
      return { key, part };
    });
  }, [parts]);
  return (
    <div>
      {html ? (
        <fieldset className="mb-1 flex items-center gap-1 text-xs" aria-label="Show the description as">
          {(
            [
              ['text', 'Text'],
              ['html', 'HTML source'],
            ] as const
          ).map(([value, label]) => (
            <button
              key={value}
              type="button"
              aria-pressed={mode === value}
              data-testid={`diff-mode-${value}`}
              onClick={() => setMode(value)}
              className={
                mode === value
                  ? 'rounded bg-slate-700 px-2 py-0.5 font-medium text-white'
                  : 'rounded bg-slate-100 px-2 py-0.5 text-slate-700 hover:bg-slate-200'
              }
            >
              {label}
            </button>
          ))}
          <span className="ml-2 text-slate-500">sanitized: scripts, styles and event handlers removed</span>
        </fieldset>
      ) : null}
      <pre
        className={clsx(
          'max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2',
          'font-mono text-xs leading-relaxed text-slate-800',
        )}
        data-testid="text-diff"
      >
        {keyedParts.map(({ key, part: p }) => (
          <span
            key={key}
            className={p.added ? 'bg-emerald-100 text-emerald-900' : p.removed ? 'bg-red-100 text-red-900 line-through' : undefined}
          >
            {p.value}
          </span>
        ))}
      </pre>
    </div>
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
    <span
      className={
        d > 0
          ? 'ml-2 rounded bg-emerald-100 px-1 text-xs font-semibold text-emerald-800'
          : 'ml-2 rounded bg-red-100 px-1 text-xs font-semibold text-red-800'
      }
      data-testid="delta"
    >
      {d > 0 ? '+' : ''}
      {money ? d.toFixed(2) : d}
      {pct}
    </span>
  );
}
