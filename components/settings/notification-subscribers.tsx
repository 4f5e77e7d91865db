'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { SubscriberView } from '@/lib/dashboard/schemas';
import { usePermission } from '../session-context';
import { Badge, Button, ConfirmDialog, ErrorState, Skeleton } from '../ui/controls';
import { TextField } from '../ui/fields';
import { Section } from '../ui/section';
import { TableHead } from '../ui/table';
import { toast } from '../ui/toaster';

/**
 * Receivers of a signed POST when a batch completes: admins add one (its signing secret is shown
 * once), send it a test event, see its recent attempts, and delete it.
 */
export function NotificationSubscribers() {
  const settings = usePermission('settings');
  return (
    <Section
      headingId="subscribers-title"
      look="card"
      title="Notifications"
      description={
        'When a batch completes, each address below receives a POST signed with HMAC-SHA256 ' +
        '(header x-catalog-sync-hmac-sha256), retried with backoff when it fails.'
      }
      testId="subscribers"
    >
      {settings.allowed ? <SubscriberList /> : <p className="text-sm text-slate-600">{settings.reason}</p>}
    </Section>
  );
}

function SubscriberList() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['subscribers'], queryFn: () => dashboardApi.listSubscribers() });
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const create = useMutation({
    mutationFn: () => dashboardApi.createSubscriber({ url: url.trim() }),
    onSuccess: (sub) => {
      setUrl('');
      setError(null);
      if (sub.secret) setSecret({ url: sub.url, secret: sub.secret });
      void client.invalidateQueries({ queryKey: ['subscribers'] });
    },
    onError: (err) => setError(errorMessage(err)),
  });
  return (
    <div className="space-y-3">
      {list.isPending ? (
        <Skeleton rows={2} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title="Could not load the notification addresses" />
      ) : list.data.items.length === 0 ? (
        <p className="text-sm text-slate-600">No address receives notifications yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="subscriber-list">
          {list.data.items.map((s) => (
            <Subscriber key={s.id} subscriber={s} />
          ))}
        </ul>
      )}
      {secret ? (
        <div role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="subscriber-secret">
          <p>Added {secret.url}. Its signing secret is shown this once; keep it with the receiver to verify signatures:</p>
          <code className="mt-1 block break-all rounded bg-white px-2 py-1 font-mono text-xs">{secret.secret}</code>
        </div>
      ) : null}
      <form
        className="flex flex-wrap items-end gap-2 border-t border-slate-100 pt-3 text-sm"
        aria-label="Add a notification address"
        onSubmit={(e) => {
          e.preventDefault();
          if (!/^https?:\/\/\S+$/.test(url.trim())) return setError('Give an http(s) address, like https://example.com/hooks/catalog');
          create.mutate();
        }}
      >
        <TextField
          label="Address (URL)"
          className="min-w-0 flex-1"
          type="url"
          value={url}
          onValue={setUrl}
          placeholder="https://example.com/hooks/catalog"
          data-testid="subscriber-url"
        />
        <Button type="submit" variant="primary" disabled={create.isPending} data-testid="subscriber-add">
          Add address
        </Button>
        {error ? (
          <p role="alert" className="w-full text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </form>
    </div>
  );
}

function Subscriber({ subscriber: s }: { subscriber: SubscriberView }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const attempts = useQuery({
    queryKey: ['subscriber-attempts', s.id],
    queryFn: () => dashboardApi.subscriberAttempts(s.id),
    enabled: open,
  });
  const test = useMutation({
    mutationFn: () => dashboardApi.testSubscriber(s.id),
    onSuccess: (a) => {
      toast(
        a.status === 'delivered' ? `Test delivered (HTTP ${a.httpStatus})` : `Test failed: ${a.error ?? 'no answer'}`,
        a.status === 'delivered' ? 'success' : 'error',
      );
      setOpen(true);
      void client.invalidateQueries({ queryKey: ['subscriber-attempts', s.id] });
    },
    onError: (err) => toast(errorMessage(err), 'error'),
  });
  const remove = useMutation({
    mutationFn: () => dashboardApi.deleteSubscriber(s.id),
    onSuccess: () => {
      toast('Address removed', 'info');
      setConfirmDelete(false);
      void client.invalidateQueries({ queryKey: ['subscribers'] });
    },
    onError: (err) => toast(errorMessage(err), 'error'),
  });
  return (
    <li className="py-2 text-sm" data-testid="subscriber" data-subscriber-id={s.id}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="min-w-0 flex-1 break-all font-medium text-slate-900">{s.url}</span>
        <Badge tone={s.active ? 'emerald' : 'slate'}>{s.active ? 'active' : 'paused'}</Badge>
        <Button onClick={() => test.mutate()} disabled={test.isPending} data-testid="subscriber-test">
          Send test
        </Button>
        <Button variant="ghost" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="subscriber-attempts-toggle">
          {open ? 'Hide attempts' : 'Attempts'}
        </Button>
        <Button variant="ghost" onClick={() => setConfirmDelete(true)} aria-label={`Delete ${s.url}`} data-testid="subscriber-delete">
          Delete
        </Button>
      </div>
      {open ? (
        attempts.isPending ? (
          <Skeleton rows={2} />
        ) : attempts.isError ? (
          <ErrorState error={attempts.error} onRetry={() => void attempts.refetch()} />
        ) : attempts.data.items.length === 0 ? (
          <p className="mt-2 text-xs text-slate-600">Nothing sent yet.</p>
        ) : (
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-xs" data-testid="subscriber-attempts">
              <caption className="sr-only">Recent deliveries to {s.url}</caption>
              <TableHead look="compact" columns={['When', 'Event', 'Try', 'Outcome']} />
              <tbody>
                {attempts.data.items.map((a) => (
                  <tr key={String(a.id)} className="border-t border-slate-100" data-testid="subscriber-attempt" data-status={a.status}>
                    <td className="px-2 py-1">{new Date(a.at).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' })}</td>
                    <td className="px-2 py-1">{a.event}</td>
                    <td className="px-2 py-1 tabular-nums">{a.attempt}</td>
                    <td className={a.status === 'delivered' ? 'px-2 py-1 text-emerald-800' : 'px-2 py-1 text-red-700'}>
                      {a.status === 'delivered' ? `delivered (HTTP ${a.httpStatus})` : `failed: ${a.error ?? 'no answer'}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <ConfirmDialog
        open={confirmDelete}
        title="Stop notifying this address?"
        confirmLabel="Delete"
        variant="danger"
        busy={remove.isPending}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => remove.mutate()}
      >
        <p className="break-all">{s.url} will receive nothing more; its delivery history is deleted with it.</p>
      </ConfirmDialog>
    </li>
  );
}
