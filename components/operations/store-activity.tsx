'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Store } from 'lucide-react';
import { api } from '@/lib/api-client';
import { errorMessage } from '@/lib/dashboard/api';
import { usePermission, useSession } from '../session-context';
import { toast } from '../ui/toaster';

const RATES = [0, 6, 30, 120, 600] as const;

interface Activity {
  perMinute?: number;
  edits?: number;
}

/**
 * Demo only (admin): a merchant editing the store in the emulator at a chosen rate (titles,
 * prices, inventory, memberships, an occasional delete), so incoming changes and conflicts arrive
 * by webhook without scripting anything. Hidden outside demo mode and for real stores.
 */
export function StoreActivityControl() {
  const { demoMode, stores } = useSession();
  const settings = usePermission('settings');
  const client = useQueryClient();
  // Without a store there is no activity to ask about (the server would answer not_found:store).
  const enabled = demoMode && settings.allowed && stores.length > 0;
  const status = useQuery({
    queryKey: ['store-activity'],
    queryFn: () => api<Activity>('/api/demo/store-activity'),
    enabled,
    retry: false,
    refetchInterval: (q) => ((q.state.data?.perMinute ?? 0) > 0 ? 5_000 : false),
  });
  const set = useMutation({
    mutationFn: (perMinute: number) => api<Activity>('/api/demo/store-activity', { method: 'POST', body: { perMinute } }),
    onSuccess: (a) => {
      toast(a.perMinute ? `A merchant now edits the store ${a.perMinute} times a minute` : 'Store activity stopped', 'info');
      void client.invalidateQueries({ queryKey: ['store-activity'] });
    },
    onError: (e) => toast(errorMessage(e), 'error'),
  });
  // Not a demo, not an admin, no store, or the store is real Shopify (the control answers 409): nothing to show.
  if (!enabled || status.isError || !status.data) return null;
  const rate = status.data.perMinute ?? 0;
  return (
    <label className="flex flex-col text-sm" data-testid="store-activity">
      <span className="flex items-center gap-1 text-xs text-slate-500">
        <Store className="h-3 w-3" aria-hidden /> Store activity (demo)
        {rate > 0 && status.data.edits !== undefined ? `: ${status.data.edits.toLocaleString()} edits so far` : ''}
      </span>
      <select
        value={RATES.includes(rate as (typeof RATES)[number]) ? rate : ''}
        disabled={set.isPending}
        onChange={(e) => set.mutate(Number(e.target.value))}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5"
        aria-label="Merchant edits in the demo store per minute"
        data-testid="store-activity-rate"
      >
        {!RATES.includes(rate as (typeof RATES)[number]) ? <option value="">{rate} a minute</option> : null}
        {RATES.map((r) => (
          <option key={r} value={r}>
            {r === 0 ? 'Off: no merchant edits' : `A merchant edits ${r} times a minute`}
          </option>
        ))}
      </select>
    </label>
  );
}
