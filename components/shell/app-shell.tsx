'use client';

import clsx from 'clsx';
import { LogOut, RefreshCcw } from 'lucide-react';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { type ReactNode, Suspense, useState } from 'react';
import { api } from '@/lib/api-client';
import { useSession } from '../session-context';
import { Toaster } from '../ui/toaster';
import { BackendBanner } from './backend-banner';
import { ConnectionIndicator } from './connection-indicator';
import { MobileNav } from './mobile-nav';
import { NAV_ITEMS } from './nav';
import { StoreSwitcher } from './store-switcher';

const ROLE_STYLES = {
  admin: 'bg-violet-100 text-violet-800 ring-violet-200',
  merchandiser: 'bg-sky-100 text-sky-800 ring-sky-200',
  support: 'bg-amber-100 text-amber-900 ring-amber-200',
} as const;

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const { principal, demoMode, stores } = useSession();
  const [signingOut, setSigningOut] = useState(false);

  async function signOut() {
    setSigningOut(true);
    await api('/api/auth/session', { method: 'DELETE' }).catch(() => {});
    router.replace('/signin');
    router.refresh();
  }

  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className={clsx(
          'sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50',
          'focus:rounded focus:bg-white focus:px-3 focus:py-2',
        )}
      >
        Skip to content
      </a>
      <aside className="hidden w-56 shrink-0 flex-col bg-slate-900 text-slate-300 md:flex" aria-label="Main navigation">
        <div className="flex h-14 items-center gap-2 border-b border-slate-800 px-4">
          <RefreshCcw className="h-5 w-5 text-emerald-400" aria-hidden />
          <span className="font-semibold tracking-tight text-white">Catalog Sync Desk</span>
        </div>
        <nav className="flex-1 space-y-1 p-3">
          {NAV_ITEMS.map((item) => {
            const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
            const Icon = item.icon;
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={active ? 'page' : undefined}
                className={clsx(
                  'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium outline-none',
                  'transition focus-visible:ring-2 focus-visible:ring-emerald-400',
                  active ? 'bg-slate-800 text-white' : 'hover:bg-slate-800/60 hover:text-white',
                )}
              >
                <Icon className="h-4 w-4" aria-hidden />
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div className="border-t border-slate-800 p-4 text-xs text-slate-400">
          {stores.length === 0
            ? 'No store connected'
            : stores.map((s) => (
                <div key={s.id} className="truncate" title={s.shopDomain}>
                  {s.name}
                </div>
              ))}
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="relative flex h-14 items-center justify-between gap-2 border-b border-slate-200 bg-white px-4 md:px-6">
          <MobileNav />
          <div className="hidden text-sm text-slate-500 md:block">
            {demoMode ? (
              <span
                className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900"
                title="Signed in with a demo user; data lives in the embedded database"
              >
                Demo mode
              </span>
            ) : null}
          </div>
          <div className="flex min-w-0 items-center gap-2 sm:gap-4">
            <Suspense fallback={null}>
              <StoreSwitcher />
            </Suspense>
            <ConnectionIndicator />
            <div className="flex items-center gap-2 text-sm" data-testid="signed-in-user">
              <span className="hidden font-medium text-slate-800 sm:inline">{principal.name ?? principal.email ?? principal.id}</span>
              <span
                className={clsx('rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', ROLE_STYLES[principal.role])}
                data-testid="role-badge"
              >
                {principal.role}
              </span>
            </div>
            <button
              type="button"
              onClick={signOut}
              disabled={signingOut}
              aria-label="Sign out"
              className={clsx(
                'inline-flex items-center gap-1 rounded-md px-2 py-1 text-sm text-slate-600',
                'hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-emerald-500',
                'disabled:opacity-50',
              )}
            >
              <LogOut className="h-4 w-4" aria-hidden />
              <span className="hidden sm:inline">Sign out</span>
            </button>
          </div>
        </header>
        <BackendBanner />
        <main id="main" className="min-w-0 flex-1 p-4 md:p-6">
          {children}
        </main>
        <Toaster />
      </div>
    </div>
  );
}
