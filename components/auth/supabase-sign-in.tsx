'use client';

import { clsx } from 'clsx';
import { type FormEvent, type InputHTMLAttributes, useMemo, useState } from 'react';
import { browserSupabase } from './supabase-client';
import { useStartSession } from './use-start-session';

/** Email and password through Supabase Auth; the access token becomes our session cookie. */
export function SupabaseSignIn({ url, anonKey }: { url: string; anonKey: string }) {
  const startSession = useStartSession();
  const supabase = useMemo(() => browserSupabase(url, anonKey), [url, anonKey]);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const { data, error: authError } = await supabase.auth.signInWithPassword({ email, password });
    if (authError || !data.session) {
      setError(authError?.message ?? 'Sign-in failed');
      setPending(false);
      return;
    }
    const failure = await startSession({ accessToken: data.session.access_token });
    if (failure) {
      setError(failure);
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-labelledby="supabase-heading">
      <h2 id="supabase-heading" className="text-sm font-medium text-slate-700">
        Sign in with your account
      </h2>
      <CredentialField label="Email" type="email" autoComplete="email" value={email} onValue={setEmail} />
      <CredentialField label="Password" type="password" autoComplete="current-password" value={password} onValue={setPassword} />
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-800 disabled:opacity-60"
      >
        {pending ? 'Signing in...' : 'Sign in'}
      </button>
      <p className="text-xs text-slate-500">
        Your role (merchandiser, admin or support) is set by an administrator in Supabase as app_metadata.role.
      </p>
    </form>
  );
}

function CredentialField({
  label,
  onValue,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'className'> & { label: string; onValue: (value: string) => void }) {
  return (
    <label className="block text-sm">
      <span className="text-slate-700">{label}</span>
      <input
        required
        {...input}
        onChange={(e) => onValue(e.target.value)}
        className={clsx(
          'mt-1 w-full rounded-md border border-slate-300 px-3 py-2',
          'focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500',
        )}
      />
    </label>
  );
}
