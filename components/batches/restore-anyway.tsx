'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { BatchItemView } from '@/lib/dashboard/schemas';
import { Button, ConfirmDialog } from '../ui/controls';
import { toast } from '../ui/toaster';
import { describeValues } from './batch-values';

/**
 * An admin's "restore anyway" of a drifted rollback item: the first dialog shows Shopify's value
 * now beside what we pushed and what the rollback restores; the second asks once more, naming
 * the value that will be overwritten.
 */
export function RestoreAnyway({ rollbackId, item, name }: { rollbackId: string; item: BatchItemView; name: string }) {
  const client = useQueryClient();
  const [step, setStep] = useState<0 | 1 | 2>(0);
  const shopifyNow = describeValues(item.entity, item.observed, item.valueNames);
  const restore = useMutation({
    mutationFn: () => dashboardApi.restoreAnyway(rollbackId, [item.id]),
    onSuccess: (res) => {
      toast('Restoring over Shopify’s value', 'info');
      setStep(0);
      void client.invalidateQueries({ queryKey: ['batches'] });
      if (res.batchId) window.location.assign(`/batches/${res.batchId}`);
    },
    onError: (err) => toast(errorMessage(err), 'error'),
  });
  return (
    <>
      <Button variant="secondary" onClick={() => setStep(1)} data-testid="restore-anyway">
        Restore anyway…
      </Button>
      <ConfirmDialog
        open={step === 1}
        title={`Restore ${name} anyway?`}
        confirmLabel="Continue"
        variant="danger"
        onCancel={() => setStep(0)}
        onConfirm={() => setStep(2)}
      >
        <p>Someone changed this in Shopify after our push, so the rollback left it alone.</p>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1" data-testid="restore-values">
          <dt className="font-medium">Shopify now</dt>
          <dd data-testid="restore-shopify-now">{shopifyNow}</dd>
          <dt className="font-medium">We pushed</dt>
          <dd>{describeValues(item.entity, item.before, item.valueNames)}</dd>
          <dt className="font-medium">Restore to</dt>
          <dd>{describeValues(item.entity, item.target, item.valueNames)}</dd>
        </dl>
      </ConfirmDialog>
      <ConfirmDialog
        open={step === 2}
        title="Overwrite Shopify’s current value?"
        confirmLabel="Yes, overwrite it"
        variant="danger"
        busy={restore.isPending}
        onCancel={() => setStep(0)}
        onConfirm={() => restore.mutate()}
      >
        <p data-testid="restore-second-confirmation">
          “{shopifyNow}” in Shopify will be replaced by “{describeValues(item.entity, item.target, item.valueNames)}”. If it changes again
          before the write, it is left alone.
        </p>
      </ConfirmDialog>
    </>
  );
}
