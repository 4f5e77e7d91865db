'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { dashboardApi } from '@/lib/dashboard/api';
import type { ProductView, StagedChangeView } from '@/lib/dashboard/schemas';
import { fieldSpec } from '@/lib/sync/fields';
import { CHANGE_STATUSES, type EntityType } from '@/lib/sync/model';
import { Badge, ErrorState, Skeleton } from '../ui/controls';
import { PageTable } from '../ui/table';
import { variantName } from './variant-editor';

const KIND_WORDS = { incoming: 'From Shopify', outgoing: 'To Shopify', conflict: 'Both changed' } as const;
const STATUS_TONE: Record<string, 'slate' | 'sky' | 'violet' | 'amber' | 'emerald' | 'red'> = {
  pending: 'amber',
  applied: 'emerald',
  approved: 'sky',
  queued: 'sky',
  applying: 'sky',
  failed: 'red',
  drifted: 'amber',
  rejected: 'slate',
  rolled_back: 'violet',
  superseded: 'slate',
};
const HISTORY_LIMIT = 200;
const COLUMNS = [
  'When',
  'What',
  { key: 'direction', label: 'Direction', className: 'hidden sm:table-cell' },
  'Status',
  { key: 'who', label: 'Decided', className: 'hidden md:table-cell' },
];

/** What a change touched, named within the product: the product, a variant, stock at a location, a collection. */
function subject(change: StagedChangeView, product: ProductView): string {
  const key = change.entityId ?? change.entityKey ?? '';
  const variants = product.variants;
  if (change.entity === 'variant') {
    const i = variants.findIndex((v) => v.id === key || v.shopifyId === key);
    return i >= 0 ? `Variant ${variantName(variants[i]!, i)}` : 'A variant';
  }
  if (change.entity === 'inventory_level') {
    for (const [i, v] of variants.entries()) {
      const level = (v.inventory ?? []).find((l) => l.key === key);
      if (level) return `Stock of ${variantName(v, i)} at ${level.locationName ?? 'a location'}`;
    }
    return 'Stock at a location';
  }
  if (change.entity === 'membership') return 'Collection membership';
  return 'Product';
}

function fieldsOf(change: StagedChangeView): string {
  if (change.op === 'create') return 'created';
  if (change.op === 'delete') return 'deleted';
  return change.fields.map((f) => fieldSpec(change.entity as EntityType, f.name)?.label ?? f.name).join(', ');
}

/** Every change staged for the product and its rows, any status, newest first, with who decided and the batch that carried it. */
export function ProductHistory({ product }: { product: ProductView }) {
  const history = useQuery({
    queryKey: ['staged', 'product-history', product.id],
    queryFn: () => dashboardApi.listStaged({ productId: product.id, status: CHANGE_STATUSES.join(',') }, { limit: HISTORY_LIMIT }),
  });
  if (history.isPending) return <Skeleton rows={3} />;
  if (history.isError)
    return <ErrorState error={history.error} onRetry={() => void history.refetch()} title="Could not load the history" />;
  const changes = [...history.data.items].sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
  if (changes.length === 0) return <p className="text-sm text-slate-600">No change of this product has been staged yet.</p>;
  return (
    <PageTable label="History of changes" caption={`Changes of ${product.title}, newest first`} testId="product-history" columns={COLUMNS}>
      {changes.map((c) => (
        <tr key={c.id} className="border-t border-slate-100 align-top" data-testid="product-history-row" data-status={c.status}>
          <td className="px-3 py-2 text-xs text-slate-600 sm:whitespace-nowrap">
            {new Date(c.updatedAt ?? c.createdAt ?? '').toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}
          </td>
          <td className="px-3 py-2">
            <div className="font-medium text-slate-900">{subject(c, product)}</div>
            <div className="text-xs text-slate-600">
              {fieldsOf(c)}
              <span className="sm:hidden"> · {KIND_WORDS[c.kind]}</span>
            </div>
          </td>
          <td className="hidden px-3 py-2 text-xs sm:table-cell">{KIND_WORDS[c.kind]}</td>
          <td className="px-3 py-2">
            <Badge tone={STATUS_TONE[c.status] ?? 'slate'}>{c.status.replace('_', ' ')}</Badge>
            {c.batchId ? (
              <Link href={`/batches/${c.batchId}`} className="ml-2 text-xs text-emerald-800 hover:underline">
                its batch
              </Link>
            ) : null}
          </td>
          <td className="hidden px-3 py-2 text-xs text-slate-600 md:table-cell">
            {c.decidedBy ? `${c.decidedBy}${c.reason ? `: “${c.reason}”` : ''}` : c.autoRule ? 'by a rule' : '—'}
          </td>
        </tr>
      ))}
    </PageTable>
  );
}
