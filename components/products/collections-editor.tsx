'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { ProductView } from '@/lib/dashboard/schemas';
import { usePermission } from '../session-context';
import { Badge, Button, ErrorState, Skeleton } from '../ui/controls';
import { TextField } from '../ui/fields';
import { toast } from '../ui/toaster';
import { useSearch } from '../ui/use-debounced';

/**
 * The product's collections in the master, chosen with checkboxes: joining and leaving custom
 * collections is staged as membership changes for review; smart collections are Shopify's to fill.
 */
export function CollectionsEditor({ product }: { product: ProductView }) {
  const client = useQueryClient();
  const edit = usePermission('edit');
  const { q, box } = useSearch();
  const list = useQuery({ queryKey: ['collections', { q }], queryFn: () => dashboardApi.listCollections({ q: q || undefined }) });
  const current = new Set(product.collections);
  const [chosen, setChosen] = useState<Set<string>>(current);
  const [error, setError] = useState<string | null>(null);
  const join = [...chosen].filter((c) => !current.has(c));
  const leave = [...current].filter((c) => !chosen.has(c));
  const save = useMutation({
    mutationFn: () => dashboardApi.updateProduct(product.id, { collections: { join, leave } }),
    onSuccess: () => {
      toast(
        `Saved; ${join.length + leave.length} collection change${join.length + leave.length === 1 ? '' : 's'} staged for review`,
        'success',
      );
      setError(null);
      void client.invalidateQueries({ queryKey: ['products'] });
      void client.invalidateQueries({ queryKey: ['staged'] });
    },
    onError: (err) => setError(errorMessage(err)),
  });
  const toggle = (key: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(key);
    else next.delete(key);
    setChosen(next);
  };
  return (
    <fieldset className="space-y-2" data-testid="collections-editor">
      <legend className="text-xs font-medium text-slate-700">Collections (in the master)</legend>
      <TextField label="Find a collection" className="max-w-xs" {...box} />
      {list.isPending ? (
        <Skeleton rows={2} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title="Could not load collections" />
      ) : (
        <ul className="flex max-h-48 flex-col gap-1 overflow-auto text-sm">
          {list.data.items.map((c) => {
            const key = c.shopifyId ?? c.id;
            return (
              <li key={c.id}>
                <label className="flex items-center gap-2" title={c.smart ? 'Shopify fills a smart collection by its rules' : undefined}>
                  <input
                    type="checkbox"
                    checked={chosen.has(key)}
                    disabled={c.smart || !edit.allowed}
                    onChange={(e) => toggle(key, e.target.checked)}
                    data-testid="collection-choice"
                    data-collection={key}
                  />
                  <span>{c.title}</span>
                  {c.smart ? <Badge>smart: by rules</Badge> : null}
                  {current.has(key) !== chosen.has(key) ? <Badge tone="violet">{chosen.has(key) ? 'join' : 'leave'}</Badge> : null}
                </label>
              </li>
            );
          })}
        </ul>
      )}
      {edit.allowed ? (
        <Button
          variant="primary"
          disabled={join.length + leave.length === 0 || save.isPending}
          onClick={() => save.mutate()}
          data-testid="collections-save"
        >
          {join.length + leave.length === 0
            ? 'No collection change'
            : `Stage ${[
                join.length ? `${join.length} join${join.length === 1 ? '' : 's'}` : '',
                leave.length ? `${leave.length} leave${leave.length === 1 ? '' : 's'}` : '',
              ]
                .filter(Boolean)
                .join(' and ')} for review`}
        </Button>
      ) : null}
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
