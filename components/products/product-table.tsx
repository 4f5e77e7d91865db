'use client';

import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Boxes, Pencil } from 'lucide-react';
import { ApiError } from '@/lib/api-client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { ProductView } from '@/lib/dashboard/schemas';
import { fieldSpec } from '@/lib/sync/fields';
import type { EntityType } from '@/lib/sync/model';
import { useLiveStaged } from '../review/use-staged';
import { usePermission } from '../session-context';
import { Button, ErrorState, formatValue, Skeleton } from '../ui/controls';
import { EmptyState } from '../ui/empty-state';
import { toast } from '../ui/toaster';
import { SYNC_STATUS_OPTIONS, SyncStatusIcon } from './sync-status';

/** The product master with sync status, search, filters and inline edits that stage outgoing changes. */
export function ProductTable() {
  useLiveStaged();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [syncStatus, setSyncStatus] = useState('');
  const [status, setStatus] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setQ(search), 300);
    return () => clearTimeout(t);
  }, [search]);
  const params = { q: q || undefined, syncStatus: syncStatus || undefined, status: status || undefined };
  const pages = useInfiniteQuery({
    queryKey: ['products', params],
    queryFn: ({ pageParam }) => dashboardApi.listProducts({ ...params, cursor: pageParam, limit: 50 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-2 text-sm">
        <label className="flex min-w-56 flex-1 flex-col">
          <span className="text-xs text-slate-500">Search</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Title, handle, SKU, vendor…" className="rounded-md border border-slate-300 px-2 py-1.5" data-testid="product-search" />
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Sync status</span>
          <select value={syncStatus} onChange={(e) => setSyncStatus(e.target.value)} className="rounded-md border border-slate-300 bg-white px-2 py-1.5">
            <option value="">Any</option>
            {SYNC_STATUS_OPTIONS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Status</span>
          <select value={status} onChange={(e) => setStatus(e.target.value)} className="rounded-md border border-slate-300 bg-white px-2 py-1.5">
            <option value="">Any</option>
            <option value="ACTIVE">Active</option>
            <option value="DRAFT">Draft</option>
            <option value="ARCHIVED">Archived</option>
          </select>
        </label>
      </div>
      {pages.isPending ? (
        <Skeleton rows={8} />
      ) : pages.isError && pages.error instanceof ApiError && pages.error.code.startsWith('not_found:store') ? (
        <EmptyState title="No store connected" icon={<Boxes className="h-8 w-8" />}>
          Products will be listed here once a Shopify store is connected (SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN) and an admin runs a pull on the Operations page.
        </EmptyState>
      ) : pages.isError ? (
        <ErrorState error={pages.error} onRetry={() => void pages.refetch()} title="Could not load products" />
      ) : items.length === 0 ? (
        <EmptyState title={q || syncStatus || status ? 'No product matches' : 'No products yet'} icon={<Boxes className="h-8 w-8" />}>
          {q || syncStatus || status ? 'Clear the search or a filter.' : 'An admin runs a pull on the Operations page to bring the store’s catalog into the master, or import a CSV.'}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="product-table">
            <caption className="sr-only">Products</caption>
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="w-10 px-3 py-2">
                  <span className="sr-only">Sync status</span>
                </th>
                <th scope="col" className="px-3 py-2">Title</th>
                <th scope="col" className="hidden px-3 py-2 lg:table-cell">Vendor</th>
                <th scope="col" className="hidden px-3 py-2 xl:table-cell">Type</th>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="px-3 py-2">Variants</th>
                <th scope="col" className="px-3 py-2">Price</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <ProductRow key={p.id} product={p} />
              ))}
            </tbody>
          </table>
          {pages.hasNextPage ? (
            <div className="border-t border-slate-100 p-2 text-center">
              <Button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
                Load more
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </div>
  );
}

function ProductRow({ product }: { product: ProductView }) {
  const first = product.variants[0];
  return (
    <tr className="border-t border-slate-100" data-testid="product-row" data-product-id={product.id}>
      <td className="px-3 py-2">
        <SyncStatusIcon status={product.syncStatus} />
      </td>
      <td className="max-w-md px-3 py-2">
        <InlineEdit product={product} field="title" value={product.title} label="title" />
        {product.pendingChanges ? (
          <Link href={`/review`} className="text-xs text-amber-700 hover:underline">
            {product.pendingChanges} pending change{product.pendingChanges === 1 ? '' : 's'}
          </Link>
        ) : null}
      </td>
      <td className="hidden px-3 py-2 text-slate-600 lg:table-cell">{product.vendor}</td>
      <td className="hidden px-3 py-2 text-slate-600 xl:table-cell">{product.productType}</td>
      <td className="px-3 py-2 text-xs">{product.status}</td>
      <td className="px-3 py-2 tabular-nums">{product.variants.length}</td>
      <td className="px-3 py-2 tabular-nums">{first ? <InlineEdit product={product} field="price" variantId={first.id} value={formatValue(first.price)} label="price" /> : '—'}</td>
    </tr>
  );
}

/** Click (or Enter) to edit; Enter saves, Escape cancels. Saving stages an outgoing change. */
function InlineEdit({ product, field, value, label, variantId }: { product: ProductView; field: string; value: string; label: string; variantId?: string }) {
  const client = useQueryClient();
  const edit = usePermission('edit');
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (v: string) => dashboardApi.updateProduct(product.id, variantId ? { variants: [{ id: variantId, [field]: v }] } : { [field]: v }),
    onSuccess: () => {
      setEditing(false);
      toast(`Saved; the ${label} change is staged for review`, 'success');
      void client.invalidateQueries({ queryKey: ['products'] });
      void client.invalidateQueries({ queryKey: ['staged'] });
    },
    onError: (err) => setError(errorMessage(err)),
  });
  if (!editing) {
    return (
      <span className="group inline-flex max-w-full items-center gap-1">
        <span className="truncate" data-testid={`product-${field}`}>{value}</span>
        {edit.allowed ? (
          <button
            type="button"
            className="rounded p-0.5 text-slate-400 opacity-60 hover:text-slate-700 group-hover:opacity-100 focus-visible:opacity-100"
            aria-label={`Edit ${label} of ${product.title}`}
            onClick={() => {
              setDraft(value === '—' ? '' : value);
              setError(null);
              setEditing(true);
            }}
          >
            <Pencil className="h-3.5 w-3.5" aria-hidden />
          </button>
        ) : null}
      </span>
    );
  }
  const entity: EntityType = variantId ? 'variant' : 'product';
  return (
    <form
      className="flex flex-col gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = fieldSpec(entity, field)?.schema.safeParse(draft);
        if (parsed && !parsed.success) return setError(`${label} ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
        save.mutate(draft);
      }}
    >
      <input
        autoFocus
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
        aria-label={`New ${label}`}
        aria-invalid={Boolean(error)}
        className="w-full rounded border border-slate-300 px-2 py-1"
        disabled={save.isPending}
      />
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </form>
  );
}
