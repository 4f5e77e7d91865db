import type { Virtualizer } from '@tanstack/react-virtual';
import { clsx } from 'clsx';
import type { CSSProperties, RefObject } from 'react';
import type { StagedChangeView } from '@/lib/dashboard/schemas';
import { ChangeRow, type RowSelection } from './change-row';
import { ROW_HEIGHT } from './use-change-pages';

/** A line of the list: a change, or the heading of a product's changes (sorted by product). */
export type ListEntry = { type: 'row'; change: StagedChangeView } | { type: 'group'; key: string; title: string; rows: StagedChangeView[] };

/** The rows as list lines; grouped, each product's rows follow a heading with its count. */
export function listEntries(rows: readonly StagedChangeView[], grouped: boolean): ListEntry[] {
  if (!grouped) return rows.map((change) => ({ type: 'row', change }));
  const out: ListEntry[] = [];
  let group = null as Extract<ListEntry, { type: 'group' }> | null;
  for (const change of rows) {
    const key = change.productKey ?? change.entityKey ?? change.id;
    if (group?.key !== key) {
      group = { type: 'group', key, title: change.title ?? String(change.entityLabel ?? change.entity), rows: [] };
      out.push(group);
    }
    group.rows.push(change);
    out.push({ type: 'row', change });
  }
  return out;
}

/** Lines sit absolutely at their offset in the scrolled height, so only the lines in view are rendered. */
const placed = (start: number): CSSProperties => ({
  position: 'absolute',
  top: 0,
  transform: `translateY(${start}px)`,
  height: ROW_HEIGHT,
});

/**
 * The staged changes as a listbox, virtualized over the loaded pages; the line after the last loaded
 * one says more are loading. Clicking a row (or Enter) opens it in the detail. Arrivals ahead of the
 * rows shown wait behind a button, so nothing moves under the reader.
 */
export function ChangeList({
  listRef,
  virtualizer,
  entries,
  total,
  activeId,
  fresh,
  onShowFresh,
  onActivate,
  onApproveGroup,
  selection,
}: {
  listRef: RefObject<HTMLDivElement | null>;
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  entries: readonly ListEntry[];
  total: number;
  activeId: string | null;
  /** Changes arrived ahead of the rows shown, waiting to be put in. */
  fresh: number;
  onShowFresh: () => void;
  onActivate: (id: string) => void;
  /** Approve a product's pending rows (after a confirmation); null for a role that cannot review. */
  onApproveGroup: ((rows: StagedChangeView[]) => void) | null;
  selection: RowSelection;
}) {
  return (
    <>
      {/* Always in the page, so a screen reader announces arrivals as they come (a region that appears is not announced). */}
      <p className="sr-only" aria-live="polite" data-testid="fresh-announcement">
        {fresh > 0 ? `${fresh} new ${fresh === 1 ? 'change' : 'changes'} arrived` : ''}
      </p>
      {fresh > 0 ? (
        <button
          type="button"
          onClick={onShowFresh}
          className="rounded-md border border-sky-200 bg-sky-50 px-3 py-1.5 text-left text-sm font-medium text-sky-900 hover:bg-sky-100"
          data-testid="fresh-arrivals"
        >
          {fresh} new {fresh === 1 ? 'change' : 'changes'}: show
        </button>
      ) : null}
      <section
        ref={listRef}
        className="h-[calc(100vh-22rem)] min-h-72 overflow-auto rounded-md border border-slate-200 bg-white"
        aria-label={`Staged changes, ${total} matching; j and k move, a approves, r rejects, x selects`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the scrolled list takes focus, for keyboard review and scrolling (WCAG 2.1.1)
        tabIndex={0}
        data-testid="review-list"
      >
        <ul style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const entry = entries[v.index];
            if (!entry) {
              return (
                <li key="loader" style={placed(v.start)} className="w-full px-3 py-3 text-xs text-slate-500">
                  Loading more…
                </li>
              );
            }
            if (entry.type === 'group')
              return <GroupHeading key={`group-${entry.key}`} entry={entry} style={placed(v.start)} onApprove={onApproveGroup} />;
            const change = entry.change;
            return (
              <ChangeRow
                key={change.id}
                change={change}
                style={placed(v.start)}
                active={activeId === change.id}
                onActivate={() => onActivate(change.id)}
                selection={selection}
              />
            );
          })}
        </ul>
      </section>
    </>
  );
}

function GroupHeading({
  entry,
  style,
  onApprove,
}: {
  entry: Extract<ListEntry, { type: 'group' }>;
  style: CSSProperties;
  onApprove: ((rows: StagedChangeView[]) => void) | null;
}) {
  const decidable = entry.rows.filter((c) => c.status === 'pending' && c.kind !== 'conflict').length;
  return (
    <li
      style={style}
      className="flex w-full items-center gap-2 border-b border-slate-200 bg-slate-50 px-3 text-sm"
      data-testid="product-group"
    >
      <span className="min-w-0 flex-1 truncate font-semibold text-slate-800">
        {entry.title}{' '}
        <span className="font-normal text-slate-500">
          ({entry.rows.length} {entry.rows.length === 1 ? 'change' : 'changes'})
        </span>
      </span>
      {onApprove && decidable > 0 ? (
        <button
          type="button"
          className={clsx(
            'shrink-0 rounded border border-emerald-300 bg-white px-2 py-0.5 text-xs',
            'font-medium text-emerald-800 hover:bg-emerald-50',
          )}
          onClick={() => onApprove(entry.rows)}
          data-testid="approve-product"
        >
          Approve all {decidable} for this product
        </button>
      ) : null}
    </li>
  );
}
