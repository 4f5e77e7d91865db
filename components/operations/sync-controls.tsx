'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Download, Upload } from 'lucide-react';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import { PRIORITIES } from '@/lib/sync/model';
import { usePermission } from '../session-context';
import { ALL_STORES, STORE_STORAGE_KEY } from '../shell/store-switcher';
import { Button } from '../ui/controls';
import { SelectField } from '../ui/fields';
import { toast } from '../ui/toaster';
import { PushConfirmDialog } from './push-confirm';
import { StoreActivityControl } from './store-activity';

const PRIORITY_OPTIONS = PRIORITIES.map((p) => [p, p] as const);

/** Push and pull for admins; other roles see nothing (the reason is stated once). */
export function SyncControls() {
  const client = useQueryClient();
  const operate = usePermission('operate');
  const [priority, setPriority] = useState('');
  const [confirming, setConfirming] = useState(false);
  const started = (what: string) => () => {
    toast(`${what} started`, 'info');
    void client.invalidateQueries({ queryKey: ['operations'] });
    void client.invalidateQueries({ queryKey: ['batches'] });
  };
  const push = useMutation({
    mutationFn: () => dashboardApi.push(priority || undefined),
    onSuccess: () => {
      setConfirming(false);
      started('Push')();
    },
    onError: (e) => toast(errorMessage(e), 'error'),
  });
  const pull = useMutation({
    mutationFn: (mode: 'full' | 'incremental') => dashboardApi.pull(mode),
    onSuccess: started('Pull'),
    onError: (e) => toast(errorMessage(e), 'error'),
  });
  if (!operate.allowed) {
    return (
      <p className="text-sm text-slate-500" data-testid="sync-controls-denied">
        {operate.reason}
      </p>
    );
  }
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="sync-controls">
      <ActingStore />
      <div className="flex items-end gap-2">
        <SelectField
          label="Push priority"
          className="text-sm"
          empty="Automatic (per change)"
          value={priority}
          onValue={setPriority}
          options={PRIORITY_OPTIONS}
          data-testid="push-priority"
        />
        <Button variant="primary" onClick={() => setConfirming(true)} disabled={push.isPending} data-testid="push-button">
          <Upload className="h-4 w-4" aria-hidden /> Push approved changes
        </Button>
        <PushConfirmDialog
          open={confirming}
          priority={priority}
          busy={push.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() => push.mutate()}
        />
      </div>
      <div className="flex gap-2">
        <Button onClick={() => pull.mutate('incremental')} disabled={pull.isPending} data-testid="pull-incremental">
          <Download className="h-4 w-4" aria-hidden /> Pull changes
        </Button>
        <Button onClick={() => pull.mutate('full')} disabled={pull.isPending} data-testid="pull-full">
          Full pull
        </Button>
      </div>
      <StoreActivityControl />
    </div>
  );
}

/**
 * With several stores connected, which one pull and push act on: the store chosen in the switcher;
 * with "All stores" chosen, the first store (what the API does when a request names none), said so.
 */
function ActingStore() {
  const params = useSearchParams();
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => dashboardApi.listStores(), staleTime: 60_000 });
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => setChosen(params.get('store') ?? window.localStorage.getItem(STORE_STORAGE_KEY)), [params]);
  const items = stores.data?.items ?? [];
  if (items.length < 2) return null;
  const store = items.find((s) => s.id === chosen) ?? items[0]!;
  return (
    <p className="w-full text-sm text-slate-600" data-testid="acting-store">
      {chosen === ALL_STORES
        ? `All stores is chosen: pull and push act on one store at a time, here ${store.name}. Choose another store in the switcher for it.`
        : `Pull and push act on ${store.name}.`}
    </p>
  );
}
