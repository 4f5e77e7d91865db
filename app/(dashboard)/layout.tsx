import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import { AppShell } from '@/components/shell/app-shell';
import { currentPrincipal } from '@/server/auth/page-session';
import { getRuntime } from '@/server/registry';
import { listStores } from '@/server/stores/stores';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const principal = await currentPrincipal();
  if (!principal) redirect('/signin');
  const runtime = getRuntime();
  const stores = (await listStores(runtime.db)).map((s) => ({ id: s.id, name: s.name, shopDomain: s.shopDomain }));
  const { url, anonKey } = runtime.config.supabase;
  const supabase = principal.via === 'supabase' && url && anonKey ? { url, anonKey } : undefined;
  return (
    <Providers principal={principal} stores={stores} demoMode={principal.via === 'demo'} supabase={supabase}>
      <AppShell>{children}</AppShell>
    </Providers>
  );
}
