'use client';

import clsx from 'clsx';
import { ChevronLeft, ClipboardCheck } from 'lucide-react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { usePermission } from '../session-context';
import { Button, ErrorState, Skeleton } from '../ui/controls';
import { EmptyState } from '../ui/empty-state';
import { BulkBar, BulkConfirm } from './bulk-bar';
import { ChangeDetail, type DetailActions } from './change-detail';
import { ChangeList, listEntries } from './change-list';
import { KindTabs } from './kind-tabs';
import { ReviewFilters } from './review-filters';
import { useBulkReview } from './use-bulk-review';
import { useChangePages, useRowVirtualizer } from './use-change-pages';
import { useKeyboardReview } from './use-keyboard-review';
import { useReviewFilter } from './use-review-filter';
import { useStableRows } from './use-stable-rows';
import { useLiveStaged } from './use-staged';

/** The review queue: filters, counts per kind, a virtualized list over keyset pages, keyboard review, bulk decisions. */
export function ReviewQueue() {
  useLiveStaged();
  const review = usePermission('review');
  const operate = usePermission('operate');
  const edit = usePermission('edit');
  // On a phone the list and the detail are separate views: opening a row shows its detail, Back the list.
  const [phoneDetail, setPhoneDetail] = useState(false);
  const filter = useReviewFilter();
  const { pages, items, ready, total, counts, ops } = useChangePages(filter.effective);
  const { rows, fresh, showFresh } = useStableRows(items, filter.key, ready);
  const entries = useMemo(() => listEntries(rows, filter.filter.sort === 'product'), [rows, filter.filter.sort]);
  const { listRef, virtualizer } = useRowVirtualizer(entries.length, pages);
  const bulk = useBulkReview(filter.effective, rows, total, counts, ops);
  const scrollTo = useCallback(
    (id: string) => {
      const index = entries.findIndex((e) => e.type === 'row' && e.change.id === id);
      if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
    },
    [entries, virtualizer],
  );
  const actions = useRef<DetailActions | null>(null);
  const { activeId, setActiveId } = useKeyboardReview({
    rows,
    scrollTo,
    actions,
    paused: Boolean(bulk.target),
    onToggle: bulk.toggle,
  });

  // Another filter is another list: the selection starts over; the open change stays open if the
  // new list has it, else its first row opens (once that list has loaded).
  const [listedFilter, setListedFilter] = useState(filter.key);
  if (filter.key !== listedFilter) {
    setListedFilter(filter.key);
    bulk.clear();
  }
  const [openedFor, setOpenedFor] = useState<string | null>(null);
  if (ready && openedFor !== filter.key) {
    setOpenedFor(filter.key);
    if (!activeId || !rows.some((r) => r.id === activeId)) setActiveId(rows[0]?.id ?? null);
  }

  return (
    <div className="grid min-h-0 grid-cols-1 gap-4 lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)]">
      <section aria-label="Staged changes" className={clsx('min-w-0 flex-col gap-3', phoneDetail ? 'hidden lg:flex' : 'flex')}>
        <KindTabs kind={filter.filter.kind} counts={counts} onSelect={(kind) => filter.update({ kind })} />
        <ReviewFilters
          filter={filter.filter}
          filtered={filter.filtered}
          search={filter.search}
          onSearch={filter.setSearch}
          onChange={filter.update}
          onClear={filter.clear}
        />
        {review.allowed ? <BulkBar bulk={bulk} total={total} /> : null}
        {pages.isPending ? (
          <Skeleton rows={8} />
        ) : pages.isError ? (
          <ErrorState error={pages.error} onRetry={() => void pages.refetch()} title="Could not load staged changes" />
        ) : rows.length === 0 && fresh.length === 0 ? (
          <EmptyState
            title="Nothing matches"
            icon={<ClipboardCheck className="h-8 w-8" />}
            action={filter.filtered ? <Button onClick={filter.clear}>Clear filters</Button> : null}
          >
            {filter.filtered
              ? 'No staged change matches these filters.'
              : filter.effective.kind
                ? 'No staged change of this kind. Pick another kind above.'
                : emptyWords(operate.allowed, edit.allowed)}
          </EmptyState>
        ) : (
          <ChangeList
            listRef={listRef}
            virtualizer={virtualizer}
            entries={entries}
            total={total}
            activeId={activeId}
            fresh={fresh.length}
            onShowFresh={() => {
              showFresh();
              listRef.current?.scrollTo({ top: 0 });
            }}
            onActivate={(id) => {
              setActiveId(id);
              setPhoneDetail(true);
              if (window.matchMedia('(max-width: 1023px)').matches) window.scrollTo({ top: 0 });
            }}
            onApproveGroup={review.allowed ? (group) => bulk.askFor('approve', group) : null}
            selection={review.allowed ? { isSelected: (id) => bulk.allMatching || bulk.selected.has(id), toggle: bulk.toggle } : null}
          />
        )}
        <p className="text-xs text-slate-500">
          Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>a</kbd> approve, <kbd>r</kbd> reject, <kbd>x</kbd> select. Conflicts need a resolution
          in the detail.
        </p>
      </section>
      <section
        aria-label="Change detail"
        className={clsx('min-w-0 rounded-lg border border-slate-200 bg-white p-4', phoneDetail ? 'block' : 'hidden lg:block')}
      >
        <button
          type="button"
          onClick={() => setPhoneDetail(false)}
          className="mb-3 inline-flex items-center gap-1 text-sm font-medium text-emerald-700 lg:hidden"
          data-testid="back-to-list"
        >
          <ChevronLeft className="h-4 w-4" aria-hidden="true" /> Back to the list
        </button>
        {activeId ? (
          <ChangeDetail key={activeId} id={activeId} actions={actions} />
        ) : (
          <p className="text-sm text-slate-500">Choose a change to see it side by side.</p>
        )}
      </section>
      <BulkConfirm bulk={bulk} />
    </div>
  );
}

/** What an empty review suggests, by what the user may do: only an admin runs pulls. */
function emptyWords(canPull: boolean, canEdit: boolean): string {
  if (canPull)
    return 'Nothing waits for review. Run a pull from the Operations page to compare Shopify with the master, or edit a product.';
  if (canEdit)
    return 'Nothing waits for review. Changes appear here when Shopify or the master changes, for example when you edit a product.';
  return 'Nothing waits for review. Changes appear here when Shopify or the master changes.';
}
