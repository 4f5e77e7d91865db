'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import clsx from 'clsx';
import { ClipboardCheck } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { cleanFilter, dashboardApi, errorMessage, type StagedFilter } from '@/lib/dashboard/api';
import type { StagedChangeView } from '@/lib/dashboard/schemas';
import { ENTITY_LABELS, fieldsOf } from '@/lib/sync/fields';
import { ENTITY_TYPES } from '@/lib/sync/model';
import { usePermission } from '../session-context';
import { Badge, Button, ConfirmDialog, ErrorState, KIND_TONE, Skeleton } from '../ui/controls';
import { EmptyState } from '../ui/empty-state';
import { toast } from '../ui/toaster';
import { ChangeDetail } from './change-detail';
import { useLiveStaged, useStagedPages } from './use-staged';

const ROW_HEIGHT = 52;
const KINDS = [
  ['', 'All'],
  ['incoming', 'Incoming'],
  ['outgoing', 'Outgoing'],
  ['conflict', 'Conflicts'],
] as const;
const STATUSES = ['pending', 'approved', 'rejected', 'queued', 'applied', 'failed', 'drifted', 'rolled_back'] as const;
const ALL_FIELDS = [...new Map(ENTITY_TYPES.flatMap((e) => fieldsOf(e).map((f) => [f.name, f.label] as const))).entries()];

type BulkTarget = { action: 'approve' | 'reject'; ids?: string[]; count: number };

/** The review queue: filters, counts per kind, a virtualized list over keyset pages, keyboard review, bulk decisions. */
export function ReviewQueue() {
  useLiveStaged();
  const client = useQueryClient();
  const review = usePermission('review');
  const [filter, setFilter] = useState<StagedFilter>({ status: 'pending' });
  const [search, setSearch] = useState('');
  const [activeIndex, setActiveIndex] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [bulk, setBulk] = useState<BulkTarget | null>(null);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const t = setTimeout(() => setFilter((f) => (f.q === (search || undefined) ? f : { ...f, q: search || undefined })), 300);
    return () => clearTimeout(t);
  }, [search]);
  const effective = useMemo(() => cleanFilter(filter), [filter]);
  const pages = useStagedPages(effective);
  const items = useMemo(() => pages.data?.pages.flatMap((p) => p.items) ?? [], [pages.data]);
  const first = pages.data?.pages[0];
  const total = first?.total ?? 0;
  const counts = first?.counts;
  const active: StagedChangeView | undefined = items[Math.min(activeIndex, Math.max(items.length - 1, 0))];

  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
    setActiveIndex(0);
  }, [JSON.stringify(effective)]); // eslint-disable-line react-hooks/exhaustive-deps

  const virtualizer = useVirtualizer({
    count: pages.hasNextPage ? items.length + 1 : items.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastVirtual = virtualItems[virtualItems.length - 1];
  useEffect(() => {
    if (lastVirtual && lastVirtual.index >= items.length - 20 && pages.hasNextPage && !pages.isFetchingNextPage) void pages.fetchNextPage();
  }, [lastVirtual?.index, items.length, pages.hasNextPage, pages.isFetchingNextPage]); // eslint-disable-line react-hooks/exhaustive-deps

  const decide = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'approve' | 'reject' }) => (action === 'approve' ? dashboardApi.approve(id) : dashboardApi.reject(id)),
    onSuccess: (_d, v) => {
      toast(v.action === 'approve' ? 'Change approved' : 'Change rejected', 'success');
      void client.invalidateQueries({ queryKey: ['staged'] });
    },
    onError: (err) => toast(errorMessage(err), 'error'),
  });
  const bulkMutation = useMutation({
    mutationFn: (target: BulkTarget) => dashboardApi.bulk(target.action, target.ids ? { ids: target.ids } : { filter: effective }),
    onSuccess: (res, target) => {
      toast(`${res.count} change${res.count === 1 ? '' : 's'} ${target.action === 'approve' ? 'approved' : 'rejected'}`, 'success');
      setBulk(null);
      setSelected(new Set());
      setAllMatching(false);
      void client.invalidateQueries({ queryKey: ['staged'] });
    },
    onError: (err) => {
      setBulk(null);
      toast(errorMessage(err), 'error');
    },
  });

  const move = useCallback(
    (delta: number) => {
      setActiveIndex((i) => {
        const next = Math.max(0, Math.min(items.length - 1, i + delta));
        virtualizer.scrollToIndex(next, { align: 'auto' });
        return next;
      });
    },
    [items.length, virtualizer],
  );
  const toggle = useCallback((id: string) => {
    setAllMatching(false);
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement;
      if (e.metaKey || e.ctrlKey || e.altKey || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable) return;
      if (bulk) return;
      if (e.key === 'j') move(1);
      else if (e.key === 'k') move(-1);
      else if (e.key === 'x' && active) toggle(active.id);
      else if ((e.key === 'a' || e.key === 'r') && active && review.allowed && active.status === 'pending' && active.kind !== 'conflict') {
        decide.mutate({ id: active.id, action: e.key === 'a' ? 'approve' : 'reject' });
      } else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, bulk, decide, move, review.allowed, toggle]);

  const set = (patch: Partial<StagedFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const selectionCount = allMatching ? total : selected.size;
  const allLoadedSelected = items.length > 0 && items.every((c) => selected.has(c.id));

  return (
    <div className="grid min-h-0 gap-4 lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)]">
      <section aria-label="Staged changes" className="flex min-w-0 flex-col gap-3">
        <div role="tablist" aria-label="Kind of change" className="flex flex-wrap gap-1">
          {KINDS.map(([kind, label]) => {
            const n = kind ? counts?.[kind] : counts ? counts.incoming + counts.outgoing + counts.conflict : undefined;
            const selectedTab = (filter.kind ?? '') === kind;
            return (
              <button
                key={kind || 'all'}
                role="tab"
                type="button"
                aria-selected={selectedTab}
                data-testid={`kind-tab-${kind || 'all'}`}
                onClick={() => set({ kind: kind || undefined })}
                className={clsx(
                  'rounded-md px-3 py-1.5 text-sm font-medium outline-none focus-visible:ring-2 focus-visible:ring-emerald-500',
                  selectedTab ? 'bg-slate-900 text-white' : 'bg-white text-slate-700 ring-1 ring-inset ring-slate-200 hover:bg-slate-50',
                )}
              >
                {label} <span className="ml-1 tabular-nums opacity-75" data-testid={`count-${kind || 'all'}`}>{n ?? '…'}</span>
              </button>
            );
          })}
        </div>
        <div className="grid grid-cols-2 gap-2 text-sm xl:grid-cols-3">
          <label className="col-span-2 flex flex-col xl:col-span-3">
            <span className="sr-only">Search</span>
            <input type="search" placeholder="Search title, SKU, vendor…" value={search} onChange={(e) => setSearch(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1.5" data-testid="review-search" />
          </label>
          <FilterSelect label="Status" value={filter.status ?? ''} onChange={(v) => set({ status: v })} options={STATUSES.map((s) => [s, s.replace('_', ' ')])} />
          <FilterSelect label="Entity" value={filter.entity ?? ''} onChange={(v) => set({ entity: v })} options={ENTITY_TYPES.map((e) => [e, ENTITY_LABELS[e]])} />
          <FilterSelect label="Field" value={filter.field ?? ''} onChange={(v) => set({ field: v })} options={ALL_FIELDS} />
          <label className="flex flex-col">
            <span className="text-xs text-slate-500">Vendor</span>
            <input value={filter.vendor ?? ''} onChange={(e) => set({ vendor: e.target.value || undefined })} className="rounded-md border border-slate-300 px-2 py-1" />
          </label>
          <label className="flex flex-col">
            <span className="text-xs text-slate-500">Product type</span>
            <input value={filter.productType ?? ''} onChange={(e) => set({ productType: e.target.value || undefined })} className="rounded-md border border-slate-300 px-2 py-1" />
          </label>
        </div>

        {review.allowed ? (
          <div className="flex flex-wrap items-center gap-2 rounded-md bg-slate-100 px-3 py-2 text-sm" data-testid="bulk-bar">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={allLoadedSelected || allMatching}
                aria-label="Select all loaded changes"
                onChange={(e) => {
                  setAllMatching(false);
                  setSelected(e.target.checked ? new Set(items.map((c) => c.id)) : new Set());
                }}
              />
              <span className="tabular-nums" data-testid="selection-count">{selectionCount} selected</span>
            </label>
            {total > 0 && !allMatching ? (
              <button type="button" className="text-emerald-700 underline-offset-2 hover:underline" onClick={() => setAllMatching(true)} data-testid="select-all-matching">
                Select all {total.toLocaleString()} matching
              </button>
            ) : null}
            <div className="ml-auto flex gap-2">
              <Button variant="primary" disabled={selectionCount === 0} onClick={() => setBulk({ action: 'approve', ids: allMatching ? undefined : [...selected], count: selectionCount })} data-testid="bulk-approve">
                Approve
              </Button>
              <Button variant="danger" disabled={selectionCount === 0} onClick={() => setBulk({ action: 'reject', ids: allMatching ? undefined : [...selected], count: selectionCount })} data-testid="bulk-reject">
                Reject
              </Button>
            </div>
          </div>
        ) : null}

        {pages.isPending ? (
          <Skeleton rows={8} />
        ) : pages.isError ? (
          <ErrorState error={pages.error} onRetry={() => void pages.refetch()} title="Could not load staged changes" />
        ) : items.length === 0 ? (
          <EmptyState title="Nothing matches" icon={<ClipboardCheck className="h-8 w-8" />}>
            {Object.keys(effective).length > 1
              ? 'No staged change matches these filters. Clear a filter or pick another kind.'
              : 'Nothing waits for review. Run a pull from the Operations page to compare Shopify with the master, or edit a product.'}
          </EmptyState>
        ) : (
          <div
            ref={listRef}
            className="h-[calc(100vh-22rem)] min-h-72 overflow-auto rounded-md border border-slate-200 bg-white"
            role="listbox"
            aria-label={`Staged changes, ${total} matching; j and k move, a approves, r rejects, x selects`}
            aria-activedescendant={active ? `change-${active.id}` : undefined}
            tabIndex={0}
            data-testid="review-list"
          >
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualItems.map((v) => {
                const change = items[v.index];
                if (!change) {
                  return (
                    <div key="loader" style={{ position: 'absolute', top: 0, transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }} className="w-full px-3 py-3 text-xs text-slate-500">
                      Loading more…
                    </div>
                  );
                }
                const isActive = active?.id === change.id;
                return (
                  <div
                    key={change.id}
                    id={`change-${change.id}`}
                    role="option"
                    aria-selected={isActive}
                    data-testid="review-row"
                    data-kind={change.kind}
                    onClick={() => setActiveIndex(v.index)}
                    style={{ position: 'absolute', top: 0, transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                    className={clsx('flex w-full cursor-pointer items-center gap-2 border-b border-slate-100 px-3 text-sm', isActive ? 'bg-emerald-50 ring-1 ring-inset ring-emerald-300' : 'hover:bg-slate-50')}
                  >
                    {review.allowed ? (
                      <input
                        type="checkbox"
                        checked={allMatching || selected.has(change.id)}
                        aria-label={`Select ${change.title ?? change.entityKey}`}
                        onClick={(e) => e.stopPropagation()}
                        onChange={() => toggle(change.id)}
                      />
                    ) : null}
                    <div className="min-w-0 flex-1">
                      <div className="truncate font-medium text-slate-900" data-testid="row-title">{change.title ?? change.entityKey}</div>
                      <div className="truncate text-xs text-slate-500">
                        {String(change.entityLabel ?? change.entity)} · {change.fields.map((f) => f.name).join(', ')}
                      </div>
                    </div>
                    <Badge tone={KIND_TONE[change.kind]}>{change.kind}</Badge>
                    {change.status !== 'pending' ? <Badge tone={change.status === 'approved' ? 'emerald' : 'slate'}>{change.status}</Badge> : null}
                  </div>
                );
              })}
            </div>
          </div>
        )}
        <p className="text-xs text-slate-500">
          Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>a</kbd> approve, <kbd>r</kbd> reject, <kbd>x</kbd> select. Conflicts need a resolution in the detail.
        </p>
      </section>
      <section aria-label="Change detail" className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
        {active ? <ChangeDetail id={active.id} /> : <p className="text-sm text-slate-500">Choose a change to see it side by side.</p>}
      </section>
      <ConfirmDialog
        open={Boolean(bulk)}
        title={bulk ? `${bulk.action === 'approve' ? 'Approve' : 'Reject'} ${bulk.count.toLocaleString()} change${bulk.count === 1 ? '' : 's'}?` : ''}
        confirmLabel={bulk ? `${bulk.action === 'approve' ? 'Approve' : 'Reject'} ${bulk.count.toLocaleString()}` : ''}
        variant={bulk?.action === 'reject' ? 'danger' : 'primary'}
        busy={bulkMutation.isPending}
        onCancel={() => setBulk(null)}
        onConfirm={() => bulk && bulkMutation.mutate(bulk)}
      >
        {bulk?.ids
          ? `The ${bulk.count} selected changes will be ${bulk.action === 'approve' ? 'approved' : 'rejected'}.`
          : `Every change matching the current filter (${bulk?.count.toLocaleString()} now) will be ${bulk?.action === 'approve' ? 'approved' : 'rejected'}. Conflicts matching it are left for a resolution.`}
      </ConfirmDialog>
    </div>
  );
}

function FilterSelect({ label, value, onChange, options }: { label: string; value: string; onChange: (v: string | undefined) => void; options: readonly (readonly [string, string])[] }) {
  return (
    <label className="flex flex-col">
      <span className="text-xs text-slate-500">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value || undefined)} className="rounded-md border border-slate-300 bg-white px-2 py-1">
        <option value="">Any</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}
