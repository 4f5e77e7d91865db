'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import { toast } from '../ui/toaster';
import type { ApproveBody } from './use-decision-draft';

/**
 * Approve, reject (with an optional reason), take back the approval of one change, or approve again
 * a change whose push failed; a refusal is shown by `onError`.
 */
export function useDecide(id: string, onError: (message: string) => void) {
  const client = useQueryClient();
  const done = (message: string) => () => {
    toast(message, 'success');
    void client.invalidateQueries({ queryKey: ['staged'] });
    void client.invalidateQueries({ queryKey: ['staged-detail', id] });
  };
  const fail = (err: unknown) => onError(errorMessage(err));
  const approve = useMutation({
    mutationFn: (body: ApproveBody) => dashboardApi.approve(id, body),
    onSuccess: done('Change approved'),
    onError: fail,
  });
  const reject = useMutation({
    mutationFn: (reason?: string) => dashboardApi.reject(id, reason),
    onSuccess: done('Change rejected'),
    onError: fail,
  });
  const unapprove = useMutation({ mutationFn: () => dashboardApi.unapprove(id), onSuccess: done('Approval taken back'), onError: fail });
  const retry = useMutation({
    mutationFn: () => dashboardApi.retry(id),
    onSuccess: done('Approved again: the next push writes it'),
    onError: fail,
  });
  return {
    approve: approve.mutate,
    reject: (reason?: string) => reject.mutate(reason),
    unapprove: () => unapprove.mutate(),
    retry: () => retry.mutate(),
    busy: approve.isPending || reject.isPending || unapprove.isPending || retry.isPending,
  };
}
