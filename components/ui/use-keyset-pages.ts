'use client';

import { type QueryKey, useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

/** Keyset pages of a list (each page's `nextCursor` asks for the next one) and the items loaded so far. */
export function useKeysetPages<Page extends { items: readonly unknown[]; nextCursor?: string | null }>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<Page>,
  options: { staleTime?: number } = {},
) {
  const pages = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page) => last.nextCursor ?? undefined,
    ...options,
  });
  const items = useMemo(() => (pages.data?.pages.flatMap((p) => p.items) ?? []) as Page['items'][number][], [pages.data]);
  return { pages, items };
}
