'use client';

import { useQuery } from '@tanstack/react-query';
import clsx from 'clsx';
import { useState } from 'react';
import { dashboardApi } from '@/lib/dashboard/api';
import { Badge, ErrorState, Skeleton } from '../ui/controls';
import { CELL, TableHead } from '../ui/table';

/** Collections with their members, each membership's state in the master and in Shopify. */
export function CollectionList() {
  const list = useQuery({ queryKey: ['collections'], queryFn: () => dashboardApi.listCollections() });
  const [open, setOpen] = useState<string | null>(null);
  if (list.isPending) return <Skeleton rows={4} />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} title="Could not load collections" />;
  if (list.data.items.length === 0)
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
        No collections yet. A pull brings Shopify’s collections in.
      </p>
    );
  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Collections">
        {list.data.items.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              onClick={() => setOpen(c.id)}
              aria-pressed={open === c.id}
              className={clsx(
                'flex w-full items-center justify-between gap-2 px-3 py-2 text-left text-sm hover:bg-slate-50',
                open === c.id && 'bg-emerald-50',
              )}
            >
              <span className="truncate font-medium">{c.title}</span>
              <span className="flex shrink-0 items-center gap-2 text-xs text-slate-500">
                {c.smart ? <Badge>smart</Badge> : null}
                {c.pendingChanges ? <Badge tone="amber">{c.pendingChanges} pending</Badge> : null}
                {c.productsCount ?? 0} products
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="rounded-lg border border-slate-200 bg-white p-3">
        {open ? <Members id={open} /> : <p className="text-sm text-slate-500">Choose a collection to see its products.</p>}
      </div>
    </div>
  );
}

function Members({ id }: { id: string }) {
  const members = useQuery({ queryKey: ['collection-members', id], queryFn: () => dashboardApi.collectionProducts(id) });
  if (members.isPending) return <Skeleton rows={4} />;
  if (members.isError) return <ErrorState error={members.error} onRetry={() => void members.refetch()} />;
  if (members.data.items.length === 0) return <p className="text-sm text-slate-500">This collection has no products.</p>;
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Products of the collection</caption>
      <TableHead look="compact" columns={['Product', 'Master', 'Shopify']} />
      <tbody>
        {members.data.items.map((m) => (
          <tr key={m.id} className="border-t border-slate-100">
            <td className={`max-w-xs truncate ${CELL.compact}`}>
              {m.title} {m.pending ? <Badge tone="amber">pending</Badge> : null}
            </td>
            <td className={CELL.compact}>{m.inMaster ? 'member' : '—'}</td>
            <td className={CELL.compact}>{m.inShopify ? 'member' : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
