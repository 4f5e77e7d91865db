'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { setStoreScope } from '@/lib/api-client';
import { dashboardApi } from '@/lib/dashboard/api';

export const STORE_STORAGE_KEY = 'csd.store';
export const ALL_STORES = 'all';

/**
 * The store the dashboard shows, with several stores connected: chosen here, kept in the URL
 * (`?store=`, so a link names it) and in localStorage (the next visit opens on it), and sent with
 * every API request (`x-store-id`), where routes that name no store act on it. "All stores" lists
 * every store's changes in review; pages that show one store's catalog then show the first.
 */
export function StoreSwitcher() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const client = useQueryClient();
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => dashboardApi.listStores() });
  const fromUrl = params.get('store');
  const [scope, setScope] = useState<string | null>(null);
  const items = stores.data?.items ?? [];
  const first = items.length > 1 ? items[0]!.id : null;

  useEffect(() => {
    const chosen = fromUrl ?? window.localStorage.getItem(STORE_STORAGE_KEY) ?? first;
    if (chosen === scope) return;
    setStoreScope(chosen);
    setScope(chosen);
    void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'stores' });
  }, [fromUrl, first, scope, client]);

  if (items.length < 2) return null;
  const value = scope && (scope === ALL_STORES || items.some((s) => s.id === scope)) ? scope : items[0]!.id;
  return (
    <label className="flex shrink-0 items-center gap-2 text-sm">
      <span className="sr-only sm:not-sr-only sm:text-slate-600">Store</span>
      <select
        value={value}
        data-testid="store-switcher"
        className="w-[6.5rem] shrink-0 rounded-md border border-slate-300 bg-white px-1 py-1 text-sm sm:w-auto sm:max-w-56 sm:px-2"
        onChange={(e) => {
          const next = e.target.value;
          window.localStorage.setItem(STORE_STORAGE_KEY, next);
          const query = new URLSearchParams(params.toString());
          query.set('store', next);
          router.replace(`${pathname}?${query.toString()}`);
        }}
      >
        {items.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
        <option value={ALL_STORES}>All stores</option>
      </select>
    </label>
  );
}
