'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect } from 'react';
import { api } from '@/lib/api-client';
import type { Health } from '@/lib/dashboard/health';
import { useRealtime } from '../realtime/realtime-provider';

/**
 * Says so when the backend is unreachable or unhealthy. Polls health only while the socket is
 * down (a live socket already proves the server is up).
 */
export function BackendBanner() {
  const { status } = useRealtime();
  const health = useQuery({
    queryKey: ['health'],
    queryFn: () => api<Health>('/api/health'),
    refetchInterval: status === 'connected' ? 60_000 : 5_000,
    retry: false,
  });
  const { refetch } = health;
  // Back online: check at once rather than at the next minute's poll.
  useEffect(() => {
    if (status === 'connected') void refetch();
  }, [status, refetch]);
  if (health.isError) {
    return (
      <div role="alert" className="border-b border-red-200 bg-red-50 px-6 py-2 text-sm text-red-800" data-testid="backend-banner">
        The Catalog Sync Desk server cannot be reached. What you see may be out of date; changes you make now will not be saved. We keep
        retrying.
      </div>
    );
  }
  if (health.data && health.data.status !== 'ok') {
    const { database, queue, sync } = health.data;
    const problems = [
      database.reachable ? null : 'the database does not answer',
      queue.state === 'running' || queue.state === 'disabled' ? null : `the job queue is ${queue.state}`,
      ...(sync
        ? [sync.eventSuccess, sync.pushSuccess, sync.pollingFailures, sync.activity, sync.shopify, sync.webhooks]
            .filter((i) => i.healthy === false)
            .map((i) => i.detail)
        : []),
    ].filter((p): p is string => Boolean(p));
    return (
      <div role="alert" className="border-b border-amber-200 bg-amber-50 px-6 py-2 text-sm text-amber-900" data-testid="backend-banner">
        Sync is {health.data.status}: {problems.length ? problems.join('; ') : 'see the health indicators'}.{' '}
        <Link href="/operations" className="font-medium underline">
          Operations
        </Link>{' '}
        shows the details.
      </div>
    );
  }
  return null;
}
