'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import { Button } from '../ui/controls';
import { TextField } from '../ui/fields';
import { toast } from '../ui/toaster';

const EMPTY = { name: '', shopDomain: '', adminUrl: '', apiVersion: '2026-10', accessToken: '', webhookSecret: '' };

/**
 * Connects another store (admins): the server runs a shop query with the token before saving and
 * refuses a token that does not answer, or answers for another shop. Token and webhook secret are
 * sent once and never shown again.
 */
export function StoreConnectForm() {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const set = (key: keyof typeof EMPTY) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const connect = useMutation({
    mutationFn: () => dashboardApi.connectStore(form),
    onSuccess: (store) => {
      toast(`Connected ${store.name}: the connection answered. Pull its catalog next`, 'success');
      setForm(EMPTY);
      setOpen(false);
      setError(null);
      void client.invalidateQueries({ queryKey: ['stores'] });
    },
    onError: (err) => setError(errorMessage(err)),
  });
  if (!open)
    return (
      <Button onClick={() => setOpen(true)} data-testid="store-add-open">
        Connect a store
      </Button>
    );
  return (
    <form
      className="grid gap-3 rounded-md border border-slate-200 p-3 text-sm sm:grid-cols-2"
      aria-label="Connect a store"
      data-testid="store-connect-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!form.name.trim() || !form.shopDomain.trim() || !form.accessToken.trim())
          return setError('Give the store a name, its shop domain and an Admin API access token');
        setError(null);
        connect.mutate();
      }}
    >
      <TextField label="Name" value={form.name} onValue={set('name')} placeholder="EU store" data-testid="store-name" />
      <TextField
        label="Shop domain"
        value={form.shopDomain}
        onValue={set('shopDomain')}
        placeholder="my-store.myshopify.com"
        data-testid="store-domain"
      />
      <TextField
        label="Admin API access token"
        type="password"
        autoComplete="off"
        value={form.accessToken}
        onValue={set('accessToken')}
        data-testid="store-token"
      />
      <TextField
        label="Webhook secret (optional)"
        type="password"
        autoComplete="off"
        value={form.webhookSecret}
        onValue={set('webhookSecret')}
        data-testid="store-webhook-secret"
      />
      <TextField label="API version" value={form.apiVersion} onValue={set('apiVersion')} data-testid="store-api-version" />
      <TextField
        label="Admin URL override (optional)"
        type="url"
        value={form.adminUrl}
        onValue={set('adminUrl')}
        placeholder="http://127.0.0.1:4010 (the emulator)"
        data-testid="store-admin-url"
      />
      {error ? (
        <p role="alert" className="text-sm text-red-700 sm:col-span-2" data-testid="store-connect-error">
          {error}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2 sm:col-span-2">
        <Button type="submit" variant="primary" disabled={connect.isPending} data-testid="store-connect">
          {connect.isPending ? 'Testing the connection…' : 'Test and connect'}
        </Button>
        <Button onClick={() => setOpen(false)} disabled={connect.isPending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
