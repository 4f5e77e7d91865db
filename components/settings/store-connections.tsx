'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, Store, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { api } from '@/lib/api-client';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { SyncMetricsSummary } from '@/lib/dashboard/health';
import type { StoreView } from '@/lib/dashboard/schemas';
import { webhookCheckWords } from '@/lib/dashboard/webhook-words';
import { plural } from '@/lib/words';
import { usePermission } from '../session-context';
import { Badge, Button, ConfirmDialog, ErrorState, Skeleton } from '../ui/controls';
import { Section } from '../ui/section';
import { toast } from '../ui/toaster';
import { StoreConnectForm } from './store-connect-form';

const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : 'never';

/** The connected Shopify stores: whether Shopify answers, the backup poll, and the webhook subscriptions with a re-register action. */
export function StoreConnections() {
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => dashboardApi.listStores() });
  const metrics = useQuery({
    queryKey: ['sync-metrics'],
    queryFn: ({ signal }) => api<SyncMetricsSummary>('/api/sync/metrics', { signal }),
  });
  const settings = usePermission('settings');
  return (
    <Section
      headingId="stores-title"
      look="card"
      title="Connected stores"
      description="Each store is read by pulls, webhooks and a poll every minute; approved changes are pushed to it."
      testId="store-connections"
    >
      {stores.isPending ? (
        <Skeleton rows={2} />
      ) : stores.isError ? (
        <ErrorState error={stores.error} onRetry={() => void stores.refetch()} title="Could not load the stores" />
      ) : stores.data.items.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="no-store">
          No store is connected: set SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN and restart, or run the demo.
        </p>
      ) : (
        <ul className="space-y-3">
          {stores.data.items.map((s) => (
            <StoreCard key={s.id} store={s} health={metrics.data?.health} />
          ))}
        </ul>
      )}
      {stores.data?.secretsKey === 'database' ? (
        <p className="mt-3 text-xs text-amber-900" data-testid="secrets-key-note">
          Tokens and webhook secrets are encrypted with a key kept in this app's database (STORE_SECRETS_KEY is not set): set it to keep the
          key apart from the data.
        </p>
      ) : null}
      {settings.allowed ? (
        <div className="mt-3">
          <StoreConnectForm />
        </div>
      ) : null}
    </Section>
  );
}

function StoreCard({ store, health }: { store: StoreView; health?: SyncMetricsSummary['health'] }) {
  const client = useQueryClient();
  const settings = usePermission('settings');
  const reach = health?.shopify.stores.find((r) => r.storeId === store.id);
  const hooks = health?.webhooks.stores.find((w) => w.storeId === store.id);
  const register = useMutation({
    mutationFn: () => dashboardApi.registerWebhooks(store.id),
    onSuccess: (res) => {
      toast(
        res.created.length
          ? `Registered ${plural(res.created.length, 'webhook subscription')}; ${res.existing.length} already there`
          : `All ${plural(res.existing.length, 'webhook subscription')} were already registered`,
        'success',
      );
      void client.invalidateQueries({ queryKey: ['stores'] });
      void client.invalidateQueries({ queryKey: ['sync-metrics'] });
    },
    onError: (err) => toast(errorMessage(err), 'error'),
  });
  const [confirmRemove, setConfirmRemove] = useState(false);
  const remove = useMutation({
    mutationFn: () => dashboardApi.removeStore(store.id),
    onSuccess: () => {
      toast(`${store.name} removed; its history is kept`, 'info');
      setConfirmRemove(false);
      void client.invalidateQueries({ queryKey: ['stores'] });
    },
    onError: (err) => toast(errorMessage(err), 'error'),
  });
  // A store just connected has no catalog in the desk yet: its first full pull is offered here.
  const operate = usePermission('operate');
  const pull = useMutation({
    mutationFn: () => dashboardApi.pull('full', store.id),
    onSuccess: () => {
      toast(`Full pull of ${store.name} started; follow it in Operations`, 'info');
      void client.invalidateQueries({ queryKey: ['operations'] });
    },
    onError: (err) => toast(errorMessage(err), 'error'),
  });
  const reachable = reach ? reach.reachable : null;
  const pollFailing = (store.health?.pollFailures ?? 0) > 0;
  // The same words as the health panel's webhook indicator (lib/dashboard/webhook-words).
  const hooksCheck = webhookCheckWords(hooks);
  return (
    <li className="rounded-md border border-slate-200 p-3" data-testid="store-card" data-store-id={store.id}>
      <div className="flex flex-wrap items-center gap-2">
        <Store className="h-4 w-4 text-slate-600" aria-hidden />
        <span className="font-medium text-slate-900">{store.name}</span>
        <span className="break-all text-xs text-slate-600">{store.shopDomain}</span>
        {store.apiVersion ? <Badge>API {store.apiVersion}</Badge> : null}
      </div>
      <dl className="mt-3 grid gap-3 text-sm sm:grid-cols-3">
        <Fact label="Shopify" ok={reachable} testId="store-reachability">
          {reachable === null ? 'Not contacted yet' : reachable ? 'Answering' : `Not answering: ${reach?.lastError ?? 'no reply'}`}
        </Fact>
        <Fact label="Backup poll" ok={store.health?.lastPollAt ? !pollFailing : null} testId="store-poll">
          {store.health?.lastPollAt
            ? pollFailing
              ? `${plural(store.health.pollFailures, 'failure')} in a row: ${store.health.lastPollError ?? ''}`
              : `Last read ${when(store.health.lastPollSuccessAt)}`
            : store.lastPullAt
              ? 'Not polled yet'
              : 'Starts after the first pull'}
        </Fact>
        <Fact label="Webhooks" ok={hooksCheck.ok ?? (store.webhooksRegisteredAt ? true : null)} testId="store-webhooks">
          {store.webhooksRegisteredAt ? `Registered ${when(store.webhooksRegisteredAt)}. ` : hooks?.checkedAt ? null : 'Not registered. '}
          <span data-testid="store-webhooks-check">{hooksCheck.text}</span>
          {store.hasWebhookSecret ? null : (
            <span className="block text-xs text-amber-900">No webhook secret: deliveries cannot be verified</span>
          )}
        </Fact>
      </dl>
      {settings.allowed ? (
        <div className="mt-3 flex flex-wrap gap-2">
          {operate.allowed && !store.lastPullAt ? (
            <Button
              variant="primary"
              onClick={() => pull.mutate()}
              disabled={pull.isPending || pull.isSuccess}
              data-testid="store-first-pull"
            >
              {pull.isSuccess ? 'Pulling its catalog…' : 'Pull its catalog (first full pull)'}
            </Button>
          ) : null}
          <Button onClick={() => register.mutate()} disabled={register.isPending} data-testid="register-webhooks">
            {store.webhooksRegisteredAt ? 'Re-register webhooks' : 'Register webhooks'}
          </Button>
          {store.source === 'env' ? null : (
            <Button onClick={() => setConfirmRemove(true)} data-testid="store-remove">
              Remove store
            </Button>
          )}
        </div>
      ) : null}
      <ConfirmDialog
        open={confirmRemove}
        title={`Remove ${store.name}?`}
        confirmLabel="Remove store"
        variant="danger"
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => setConfirmRemove(false)}
      >
        It is no longer pulled, polled or pushed to, and its webhooks are refused. Its changes and batches are kept; connecting it again
        brings them back.
      </ConfirmDialog>
    </li>
  );
}

function Fact({ label, ok, testId, children }: { label: string; ok: boolean | null; testId: string; children: React.ReactNode }) {
  return (
    <div data-testid={testId} data-ok={ok === null ? 'unknown' : String(ok)}>
      <dt className="flex items-center gap-1 text-xs font-medium text-slate-600">
        {ok === true ? <CheckCircle2 className="h-3.5 w-3.5 text-emerald-600" aria-hidden /> : null}
        {ok === false ? <TriangleAlert className="h-3.5 w-3.5 text-amber-600" aria-hidden /> : null}
        {label}
      </dt>
      <dd className="text-slate-800">{children}</dd>
    </div>
  );
}
