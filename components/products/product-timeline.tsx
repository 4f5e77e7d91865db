'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { dashboardApi } from '@/lib/dashboard/api';
import type { HistoryEntry, ProductView } from '@/lib/dashboard/schemas';
import { ENTITY_FIELDS } from '@/lib/sync/fields';
import { hasDelta, specOf } from '../review/field-label';
import { Delta } from '../review/field-values';
import { MetafieldValueView } from '../review/metafield-value';
import { usePermission } from '../session-context';
import { Badge, Button, ErrorState, formatValue, Skeleton } from '../ui/controls';
import { CONTROL, Select } from '../ui/fields';
import { LoadMore } from '../ui/table';
import { useKeysetPages } from '../ui/use-keyset-pages';
import { atWords, RevertDialog } from './revert-dialog';

const KIND_TONE: Record<string, 'emerald' | 'sky' | 'violet'> = { push: 'emerald', adopt: 'sky', rollback: 'violet' };

/** Every field the history can name, once, with its label (lib/sync/fields.ts): the per-field filter's choices. */
const FIELD_OPTIONS: ReadonlyArray<readonly [string, string]> = (() => {
  const seen = new Map<string, string>();
  for (const entity of ['product', 'variant', 'inventory_level', 'media', 'membership'] as const)
    for (const f of ENTITY_FIELDS[entity]) if (!seen.has(f.name) && f.name !== 'src') seen.set(f.name, f.label);
  seen.set('value', 'Metafield values');
  return [...seen.entries()];
})();

/** Entries of one batch, in the list's order: the timeline shows them under one heading. */
function groupByBatch(items: readonly HistoryEntry[]): HistoryEntry[][] {
  const groups: HistoryEntry[][] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last && last[0]!.batchId === item.batchId) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

/** One side of a field's change, formatted as the review formats it: money with its delta, metafields by type, images. */
function Value({ entry, field, side }: { entry: HistoryEntry; field: HistoryEntry['fields'][number]; side: 'before' | 'after' }) {
  const value = field[side];
  const other = field[side === 'after' ? 'before' : 'after'];
  if (entry.entity === 'metafield') return <MetafieldValueView value={value} other={other} />;
  if (field.name === 'src' && typeof value === 'string' && /^https?:\/\//.test(value))
    // biome-ignore lint/performance/noImgElement: a thumbnail of an image hosted elsewhere, shown as it is.
    return <img src={value} alt="" className="inline-block h-10 w-10 rounded border border-slate-200 object-cover" />;
  const text = field.display?.[side] ?? formatValue(value);
  return (
    <span className={side === 'after' ? 'font-medium text-slate-900' : 'text-slate-600'}>
      <span className="break-words">{text.length > 120 ? `${text.slice(0, 119)}…` : text}</span>
      {side === 'after' && hasDelta(entry.entity, field.name) ? (
        <Delta from={other} to={value} money={specOf(entry.entity, field.name)?.type === 'money'} />
      ) : null}
    </span>
  );
}

function who(entry: HistoryEntry): string {
  if (entry.autoRule) return `rule “${entry.autoRule}”`;
  const decided = entry.decidedBy && entry.decidedBy !== entry.actor ? `, approved by ${entry.decidedBy}` : '';
  return `${entry.actor ?? 'someone'}${decided}`;
}

/** The datetime-local value of an instant, in the browser's time zone, to the second. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(
    date.getSeconds(),
  )}`;
}

/**
 * The product's timeline: every push, adoption and rollback that landed on it or its rows, grouped
 * by batch, newest first, each field's value before and after; narrowed to one field on demand. A
 * merchandiser reverts the product (or the chosen field) to just before or after a batch, or to any
 * time, after a preview of what that stages.
 */
export function ProductTimeline({ product }: { product: ProductView }) {
  const [field, setField] = useState('');
  const [revertAt, setRevertAt] = useState<string | null>(null);
  const [picked, setPicked] = useState(() => localInput(new Date()));
  const edit = usePermission('edit');
  const { pages, items } = useKeysetPages(['products', 'history', product.id, field], (cursor, signal) =>
    dashboardApi.productHistory(product.id, { field, cursor, limit: 50 }, signal),
  );
  const groups = useMemo(() => groupByBatch(items), [items]);
  const fieldLabel = FIELD_OPTIONS.find(([name]) => name === field)?.[1];
  const pickedIso = picked && !Number.isNaN(new Date(picked).getTime()) ? new Date(picked).toISOString() : null;
  return (
    <div className="space-y-3" data-testid="product-timeline">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
          Field
          <Select
            options={FIELD_OPTIONS}
            empty="All fields"
            value={field}
            onValue={setField}
            aria-label="Show the history of one field"
            data-testid="history-field"
          />
        </label>
        {edit.allowed ? (
          <div className="flex flex-wrap items-end gap-2">
            <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
              Revert to a time
              <input
                type="datetime-local"
                step={1}
                value={picked}
                max={localInput(new Date())}
                onChange={(e) => setPicked(e.target.value)}
                className={CONTROL}
                data-testid="revert-time"
              />
            </label>
            <Button disabled={!pickedIso} onClick={() => pickedIso && setRevertAt(pickedIso)} data-testid="revert-to-time">
              {field ? `Revert ${fieldLabel} to this time` : 'Revert to this time'}
            </Button>
          </div>
        ) : null}
      </div>
      {pages.isPending ? (
        <Skeleton rows={3} />
      ) : pages.isError ? (
        <ErrorState error={pages.error} onRetry={() => void pages.refetch()} title="Could not load the history" />
      ) : groups.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="history-empty">
          {field
            ? `No ${fieldLabel ?? field} change of this product has been applied yet.`
            : 'No change of this product has been applied yet.'}
        </p>
      ) : (
        <ol className="space-y-3">
          {groups.map((group) => {
            const head = group[0]!;
            const first = group.reduce((t, e) => Math.min(t, Date.parse(e.at)), Number.POSITIVE_INFINITY);
            const last = group.reduce((t, e) => Math.max(t, Date.parse(e.at)), 0);
            return (
              <li
                key={`${head.batchId}-${head.id}`}
                className="rounded-lg border border-slate-200 bg-white"
                data-testid="history-group"
                data-batch-id={head.batchId}
              >
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-100 px-3 py-2 text-sm">
                  <Badge tone={KIND_TONE[head.batchKind] ?? 'slate'}>{head.what}</Badge>
                  {head.origin === 'revert' ? <Badge tone="violet">revert to {atWords(head.originAt ?? head.at)}</Badge> : null}
                  <time dateTime={head.at} className="text-xs text-slate-600">
                    {atWords(head.at)}
                  </time>
                  <span className="text-xs text-slate-600">by {who(head)}</span>
                  <Link href={`/batches/${head.batchId}`} className="text-xs text-emerald-800 hover:underline">
                    its batch
                  </Link>
                  {edit.allowed ? (
                    <span className="flex gap-1 sm:ml-auto">
                      <Button onClick={() => setRevertAt(new Date(first - 1).toISOString())} data-testid="revert-before">
                        Revert to before
                      </Button>
                      <Button onClick={() => setRevertAt(new Date(last + 1).toISOString())} data-testid="revert-after">
                        to after
                      </Button>
                    </span>
                  ) : null}
                </div>
                <ul className="divide-y divide-slate-100">
                  {group.map((entry) => (
                    <li key={entry.id} className="px-3 py-2 text-sm" data-testid="history-entry" data-entity={entry.entity}>
                      <div className="text-xs font-medium text-slate-700">
                        {entry.entityLabel}
                        {entry.op !== 'update' ? (
                          <span className="ml-1 text-slate-500">({entry.op === 'create' ? 'added' : 'removed'})</span>
                        ) : null}
                      </div>
                      <dl className="mt-1 space-y-1">
                        {entry.fields.map((f) => (
                          <div
                            key={f.name}
                            className="grid grid-cols-[7rem_1fr] gap-2 sm:grid-cols-[10rem_1fr]"
                            data-testid="history-field-row"
                          >
                            <dt className="text-xs text-slate-600">{f.label}</dt>
                            <dd className="flex min-w-0 flex-wrap items-center gap-x-2 text-xs">
                              <Value entry={entry} field={f} side="before" />
                              <span aria-hidden="true" className="text-slate-400">
                                →
                              </span>
                              <span className="sr-only">became</span>
                              <Value entry={entry} field={f} side="after" />
                            </dd>
                          </div>
                        ))}
                      </dl>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ol>
      )}
      <LoadMore pages={pages} />
      {revertAt ? (
        <RevertDialog
          productId={product.id}
          at={revertAt}
          field={field || undefined}
          fieldLabel={fieldLabel}
          onClose={() => setRevertAt(null)}
        />
      ) : null}
    </div>
  );
}
