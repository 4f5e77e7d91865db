'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Download, Upload } from 'lucide-react';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import { PRIORITIES } from '@/lib/sync/model';
import { usePermission } from '../session-context';
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
