'use client';

import { clsx } from 'clsx';
import { useState } from 'react';
import { useStartSession } from './use-start-session';

interface DemoUser {
  id: string;
  name: string;
  email: string;
  role: string;
  blurb: string;
}

export function DemoSignIn({ users }: { users: DemoUser[] }) {
  const startSession = useStartSession();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function signIn(id: string) {
    setPending(id);
    setError(null);
    const failure = await startSession({ demoUser: id });
    if (failure) {
      setError(failure);
      setPending(null);
    }
  }

  return (
    <section aria-labelledby="demo-heading">
      <div className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200" data-testid="demo-mode-notice">
        <strong className="font-semibold">Demo mode.</strong> No Supabase project is configured, so you sign in as one of three seeded
        users. Tokens are signed with a key generated on this machine.
      </div>
      <h2 id="demo-heading" className="mb-3 text-sm font-medium text-slate-700">
        Choose a user
      </h2>
      <ul className="space-y-2">
        {users.map((u) => (
          <li key={u.id}>
            <button
              type="button"
              onClick={() => signIn(u.id)}
              disabled={pending !== null}
              data-testid={`demo-user-${u.role}`}
              className={clsx(
                'w-full rounded-lg border border-slate-200 px-4 py-3 text-left transition',
                'hover:border-emerald-400 hover:bg-emerald-50/40 focus-visible:outline-2',
                'focus-visible:outline-emerald-500 disabled:opacity-60',
              )}
            >
              <div className="flex items-center justify-between">
                <span className="font-medium text-slate-900">{u.name}</span>
                <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{u.role}</span>
              </div>
              <div className="mt-0.5 text-xs text-slate-500">{u.email}</div>
              <div className="mt-1 text-sm text-slate-600">{pending === u.id ? 'Signing in...' : u.blurb}</div>
            </button>
          </li>
        ))}
      </ul>
      {error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </section>
  );
}
