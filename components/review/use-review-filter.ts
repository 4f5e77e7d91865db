'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { cleanFilter, type StagedFilter } from '@/lib/dashboard/api';

const SEARCH_PAUSE_MS = 300;

/**
 * The review list's filter: what the tabs and the filter bar set, and the search once typing pauses.
 * `effective` is the filter without empty values, the one sent for the list, the counts and a bulk
 * decision on every change matching; `key` names it, so another filter is another list.
 */
export function useReviewFilter() {
  const [filter, setFilter] = useState<StagedFilter>({ status: 'pending' });
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
  const update = useCallback((patch: Partial<StagedFilter>) => setFilter((f) => ({ ...f, ...patch })), []);
  const effective = useMemo(() => cleanFilter(filter), [filter]);
  return { filter, update, search, setSearch, effective, key: JSON.stringify(effective) };
}
