import { useQuery } from '@tanstack/react-query';
import { dashboardApi } from '@/lib/dashboard/api';
import type { StagedChangeDetail, StagedChangeView } from '@/lib/dashboard/schemas';
import { formatValue } from '../ui/controls';
import { CELL, TableHead } from '../ui/table';
import { subjectOf } from './change-values';
import { fieldLabel, hasDelta } from './field-label';
import { Direction } from './field-table';
import { Delta } from './field-values';
import { metafieldShort } from './metafield-value';

const GROUPS = [
  ['variant', 'Variants'],
  ['inventory_level', 'Inventory per location'],
  ['membership', 'Collection membership'],
  ['media', 'Images'],
  ['product', 'Product'],
  ['collection', 'Collection'],
] as const;

/** The other pending changes of the same product: its variants, inventory per location, memberships. */
export function RelatedChanges({ change }: { change: StagedChangeDetail }) {
  const productKey = change.productKey ?? null;
  const related = useQuery({
    queryKey: ['staged', { productId: productKey, related: true }],
    queryFn: () => dashboardApi.listStaged({ productId: productKey ?? undefined, status: 'pending,approved' }, { limit: 100 }),
    enabled: Boolean(productKey),
  });
  const others = (related.data?.items ?? []).filter((c) => c.id !== change.id);
  if (!productKey || others.length === 0) return null;
  return (
    <section aria-label="Other changes of this product" className="space-y-3">
      <h3 className="text-sm font-semibold text-slate-800">Other changes of this product</h3>
      {GROUPS.map(([entity, label]) => {
        const rows = others.filter((c) => c.entity === entity);
        return rows.length ? <RelatedGroup key={entity} entity={entity} label={label} rows={rows} /> : null;
      })}
    </section>
  );
}

function RelatedGroup({ entity, label, rows }: { entity: string; label: string; rows: readonly StagedChangeView[] }) {
  return (
    // At phone width each change is one wrapping line (item, field, master → Shopify), so nothing scrolls sideways.
    <table className="w-full text-xs max-sm:block" data-testid={`related-${entity}`}>
      <caption className="py-1 text-left font-medium text-slate-600">{label}</caption>
      <TableHead
        look="compact"
        className="max-sm:hidden"
        columns={['Item', 'Field', 'Master', { key: 'direction', label: <span className="sr-only">Direction</span> }, 'Shopify']}
      />
      <tbody className="max-sm:block">
        {rows.flatMap((c) =>
          c.fields.map((f) => {
            // The proposed value carries the delta: Shopify's for incoming, the master's otherwise.
            const proposed = c.kind === 'incoming' ? 'remote' : c.kind === 'outgoing' ? 'local' : null;
            const item = subjectOf(c) || c.title || String(c.entityLabel ?? c.entity);
            const value = (side: 'local' | 'remote') => (
              <td className={`${CELL.compact} ${side === proposed ? 'font-medium' : ''}`}>
                {c.entity === 'metafield' ? metafieldShort(f[side], c.valueNames) : (f.display?.[side] ?? formatValue(f[side]))}
                {side === proposed && hasDelta(c.entity, f.name) ? (
                  <Delta from={f[side === 'local' ? 'remote' : 'local']} to={f[side]} />
                ) : null}
              </td>
            );
            return (
              <tr key={`${c.id}-${f.name}`} className="border-t border-slate-100 max-sm:flex max-sm:flex-wrap max-sm:items-baseline">
                <td className={`max-w-40 truncate ${CELL.compact}`} title={item}>
                  {item}
                </td>
                <td className={CELL.compact}>{fieldLabel(c.entity, f.name)}</td>
                {value('local')}
                <td className={CELL.compact}>
                  <Direction kind={c.kind} />
                </td>
                {value('remote')}
              </tr>
            );
          }),
        )}
      </tbody>
    </table>
  );
}
