'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Download, Upload } from 'lucide-react';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import { PRIORITIES } from '@/lib/sync/model';
import { usePermission } from '../session-context';
import { Button } from '../ui/controls';
import { toast } from '../ui/toaster';
import { StoreActivityControl } from './store-activity';

/** Push and pull for admins; other roles see nothing (the reason is stated once). */
export function SyncControls() {
  const client = useQueryClient();
  const operate = usePermission('operate');
  const [priority, setPriority] = useState('');
  const started = (what: string) => () => {
    toast(`${what} started`, 'info');
    void client.invalidateQueries({ queryKey: ['operations'] });
    void client.invalidateQueries({ queryKey: ['batches'] });
  };
  const push = useMutation({ mutationFn: () => dashboardApi.push(priority || undefined), onSuccess: started('Push'), onError: (e) => toast(errorMessage(e), 'error') });
  const pull = useMutation({ mutationFn: (mode: 'full' | 'incremental') => dashboardApi.pull(mode), onSuccess: started('Pull'), onError: (e) => toast(errorMessage(e), 'error') });
  if (!operate.allowed) {
    return (
      <p className="text-sm text-slate-500" data-testid="sync-controls-denied">
        {operate.reason}
      </p>
    );
  }
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="sync-controls">
      <div className="flex items-end gap-2">
        <label className="flex flex-col text-sm">
          <span className="text-xs text-slate-500">Push priority</span>
          <select value={priority} onChange={(e) => setPriority(e.target.value)} className="rounded-md border border-slate-300 bg-white px-2 py-1.5" data-testid="push-priority">
            <option value="">Automatic (per change)</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <Button variant="primary" onClick={() => push.mutate()} disabled={push.isPending} data-testid="push-button">
          <Upload className="h-4 w-4" aria-hidden /> Push approved changes
        </Button>
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
