'use client';

import { ArrowDown, ArrowUp } from 'lucide-react';
import type { ProductOption } from '@/lib/sync/options';
import { Button } from '../ui/controls';
import { CONTROL } from '../ui/fields';

const move = <T,>(list: readonly T[], from: number, to: number): T[] => {
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item!);
  return out;
};

/**
 * A product's options and their values: each renamed in place and moved up or down. Adding or
 * removing options and values is not an edit of the options (variants are made or deleted for that).
 */
export function OptionsEditor({
  options,
  disabled,
  onChange,
}: {
  options: readonly ProductOption[];
  disabled: boolean;
  onChange: (options: ProductOption[]) => void;
}) {
  if (options.length === 0) return <p className="text-sm text-slate-600">This product has no options (one variant).</p>;
  const setOption = (i: number, option: ProductOption) => onChange(options.map((o, j) => (j === i ? option : o)));
  return (
    <ol className="space-y-3" data-testid="options-editor">
      {options.map((o, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: an option is its place here; names change as they are typed
        <li key={i} className="min-w-0 rounded border border-slate-200 p-3" data-testid="option-edit">
          <div className="flex flex-wrap items-end gap-2">
            <label className="flex min-w-0 flex-1 flex-col">
              <span className="text-xs text-slate-500">Option {i + 1} name</span>
              <input
                className={CONTROL}
                value={o.name}
                disabled={disabled}
                onChange={(e) => setOption(i, { ...o, name: e.target.value })}
                data-testid="option-name"
              />
            </label>
            <MoveButtons
              what={`option ${o.name}`}
              index={i}
              count={options.length}
              disabled={disabled}
              onMove={(to) => onChange(move(options, i, to))}
            />
          </div>
          <ol className="mt-2 space-y-1 pl-3">
            {o.values.map((v, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a value is its place here; names change as they are typed
              <li key={j} className="flex items-center gap-2">
                <input
                  aria-label={`${o.name || `Option ${i + 1}`} value ${j + 1}`}
                  className={`${CONTROL} min-w-0 flex-1`}
                  value={v}
                  disabled={disabled}
                  onChange={(e) => setOption(i, { ...o, values: o.values.map((x, k) => (k === j ? e.target.value : x)) })}
                  data-testid="option-value"
                />
                <MoveButtons
                  what={`value ${v}`}
                  index={j}
                  count={o.values.length}
                  disabled={disabled}
                  onMove={(to) => setOption(i, { ...o, values: move(o.values, j, to) })}
                />
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}

function MoveButtons({
  what,
  index,
  count,
  disabled,
  onMove,
}: {
  what: string;
  index: number;
  count: number;
  disabled: boolean;
  onMove: (to: number) => void;
}) {
  return (
    <span className="flex shrink-0 gap-1">
      <Button aria-label={`Move ${what} up`} disabled={disabled || index === 0} onClick={() => onMove(index - 1)}>
        <ArrowUp className="h-4 w-4" aria-hidden />
      </Button>
      <Button aria-label={`Move ${what} down`} disabled={disabled || index === count - 1} onClick={() => onMove(index + 1)}>
        <ArrowDown className="h-4 w-4" aria-hidden />
      </Button>
    </span>
  );
}
