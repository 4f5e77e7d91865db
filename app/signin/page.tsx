import { RefreshCcw } from 'lucide-react';
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { DemoSignIn } from '@/components/auth/demo-sign-in';
import { SupabaseSignIn } from '@/components/auth/supabase-sign-in';
import { DEMO_USERS } from '@/server/auth/demo-users';
import { currentPrincipal } from '@/server/auth/page-session';
import { getRuntime } from '@/server/registry';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage() {
  if (await currentPrincipal()) redirect('/review');
  const { config } = getRuntime();
  return (
    <div className="flex min-h-screen items-center justify-center bg-slate-100 p-6">
      <div className="w-full max-w-lg rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <div className="mb-6 flex items-center gap-2">
          <RefreshCcw className="h-6 w-6 text-emerald-600" aria-hidden />
          <h1 className="text-lg font-semibold tracking-tight">Catalog Sync Desk</h1>
        </div>
        {config.devAuth ? (
          <DemoSignIn users={DEMO_USERS.map(({ id, name, email, role, blurb }) => ({ id, name, email, role, blurb }))} />
        ) : null}
        {config.supabase.configured && config.supabase.url && config.supabase.anonKey ? (
          <div className={config.devAuth ? 'mt-8 border-t border-slate-200 pt-6' : ''}>
            <SupabaseSignIn url={config.supabase.url} anonKey={config.supabase.anonKey} />
          </div>
        ) : null}
      </div>
    </div>
  );
}
