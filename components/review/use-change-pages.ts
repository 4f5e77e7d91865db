'use client';

import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { dashboardApi, type StagedFilter } from '@/lib/dashboard/api';
import { useKeysetPages } from '../ui/use-keyset-pages';

export const PAGE_SIZE = 200;
export const ROW_HEIGHT = 52;
/** The next page is asked for while this many loaded rows are still below the last one shown. */
const ROWS_AHEAD = 20;

/**
 * Keyset pages of staged changes for a filter. The first page carries the total, the counts per
 * kind and the pending creates and deletes; `ready` says the items are this filter's (not still loading).
 */
export function useChangePages(filter: StagedFilter) {
  const { pages, items } = useKeysetPages(
    ['staged', filter],
    (cursor, signal) => dashboardApi.listStaged(filter, { cursor, limit: PAGE_SIZE }, signal),
    { staleTime: 5_000 },
  );
  const first = pages.data?.pages[0];
  return { pages, items, ready: pages.isSuccess, total: first?.total ?? 0, counts: first?.counts, ops: first?.ops };
}

/**
 * The rows rendered through a virtualizer: only the rows in view exist in the page, and the next
 * page loads as the list scrolls near the end of what is loaded.
 */
export function useRowVirtualizer(rowCount: number, pages: UseInfiniteQueryResult<InfiniteData<unknown>>) {
  const listRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: pages.hasNextPage ? rowCount + 1 : rowCount,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const lastShown = virtualizer.getVirtualItems().at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  useEffect(() => {
    if (lastShown >= 0 && lastShown >= rowCount - ROWS_AHEAD && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastShown, rowCount, hasNextPage, isFetchingNextPage, fetchNextPage]);
  return { listRef, virtualizer };
}
