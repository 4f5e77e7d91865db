'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ApiError } from '@/lib/api-client';
import type { Principal } from '@/lib/auth/permissions';
import { SessionRefresh } from './auth/session-refresh';
import { RealtimeProvider } from './realtime/realtime-provider';
import { SessionProvider, type StoreSummary } from './session-context';

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        // Client errors will not change on retry; an unreachable server might.
        retry: (count, err) => (err instanceof ApiError && !err.unreachable ? false : count < 3),
      },
      mutations: { retry: false },
    },
  });
}

export function Providers({
  children,
  principal,
  stores,
  demoMode,
  supabase,
}: {
  children: ReactNode;
  principal: Principal;
  stores: StoreSummary[];
  demoMode: boolean;
  /** The Supabase project of a Supabase session, whose token is refreshed in the browser. */
  supabase?: { url: string; anonKey: string };
}) {
  const [queryClient] = useState(makeQueryClient);
  const [rooms] = useState(() => ['global', ...stores.map((s) => `store:${s.id}`)]);
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider value={{ principal, stores, demoMode }}>
        {supabase ? <SessionRefresh url={supabase.url} anonKey={supabase.anonKey} /> : null}
        <RealtimeProvider rooms={rooms}>{children}</RealtimeProvider>
      </SessionProvider>
    </QueryClientProvider>
  );
}
