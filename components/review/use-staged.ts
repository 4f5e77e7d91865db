'use client';

import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { dashboardApi, type StagedFilter } from '@/lib/dashboard/api';
import { useRealtime, useRealtimeEvent } from '../realtime/realtime-provider';

export const PAGE_SIZE = 200;

/** Keyset pages of staged changes for a filter; the first page carries total and counts. */
export function useStagedPages(filter: StagedFilter) {
  return useInfiniteQuery({
    queryKey: ['staged', filter],
    queryFn: ({ pageParam, signal }) => dashboardApi.listStaged(filter, { cursor: pageParam, limit: PAGE_SIZE }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 5_000,
  });
}

/**
 * Refreshes staged-change lists when the server says they changed (or a reconnect missed events).
 * Bursts of events are coalesced into one refetch per half second.
 */
export function useLiveStaged(): void {
  const client = useQueryClient();
  const { onResync } = useRealtime();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refresh = () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void client.invalidateQueries({ queryKey: ['staged'] });
      void client.invalidateQueries({ queryKey: ['staged-detail'] });
      void client.invalidateQueries({ queryKey: ['products'] });
    }, 500);
  };
  useRealtimeEvent(['staged_changes_updated', 'sync_status'], refresh);
  useEffect(() => onResync(refresh));
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
}
