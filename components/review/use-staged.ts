'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useRealtime, useRealtimeEvent } from '../realtime/realtime-provider';

/**
 * Refreshes staged-change lists when the server says they changed, when an operation (a push, a
 * pull) moves, or when a reconnect missed events.
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
  // A push moves changes approved -> queued -> applying -> applied | failed: its operation's events refresh too.
  useRealtimeEvent(
    ['staged_changes_updated', 'sync_status', 'operation_start', 'operation_progress', 'operation_complete', 'error'],
    refresh,
  );
  useEffect(() => onResync(refresh));
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
}
