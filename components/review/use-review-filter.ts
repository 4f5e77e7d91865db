'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { cleanFilter, type StagedFilter } from '@/lib/dashboard/api';

const SEARCH_PAUSE_MS = 300;

/** The filter a review opens with, and what "Clear filters" goes back to (the kind tab and the sort stay). */
const DEFAULT_FILTER: StagedFilter = { status: 'pending' };

/**
 * The review list's filter: what the tabs and the filter bar set, and the search once typing pauses.
 * `effective` is the filter without empty values, the one sent for the list, the counts and a bulk
 * decision on every change matching; `key` names it, so another filter is another list. `filtered`
 * says a condition beyond the kind tab is set, which `clear` removes (the product one too).
 */
export function useReviewFilter() {
  const [filter, setFilter] = useState<StagedFilter>(DEFAULT_FILTER);
  const [search, setSearch] = useState('');
  // A product's "N pending changes" link opens the review on that product's changes: /review?product=<id>.
  useEffect(() => {
    const productId = new URLSearchParams(window.location.search).get('product');
    if (productId) setFilter((f) => ({ ...f, productId }));
  }, []);
  useEffect(() => {
    const q = search || undefined;
    const t = setTimeout(() => setFilter((f) => (f.q === q ? f : { ...f, q })), SEARCH_PAUSE_MS);
    return () => clearTimeout(t);
  }, [search]);
  const update = useCallback((patch: Partial<StagedFilter>) => {
    // A removed product filter leaves the address too, so a reload does not bring it back.
    if ('productId' in patch && !patch.productId) dropProductParam();
    setFilter((f) => ({ ...f, ...patch }));
  }, []);
  const clear = useCallback(() => {
    dropProductParam();
    setSearch('');
    setFilter((f) => ({ ...DEFAULT_FILTER, kind: f.kind, sort: f.sort }));
  }, []);
  const effective = useMemo(() => cleanFilter(filter), [filter]);
  const filtered = Object.entries(effective).some(([k, v]) =>
    k === 'status' ? v !== DEFAULT_FILTER.status : k !== 'kind' && k !== 'sort',
  );
  return { filter, update, clear, filtered, search, setSearch, effective, key: JSON.stringify(effective) };
}

function dropProductParam() {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('product')) return;
  url.searchParams.delete('product');
  window.history.replaceState(window.history.state, '', url);
}
