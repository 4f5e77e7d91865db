import type { StagedChangeDetail } from '@/lib/dashboard/schemas';
import { formatValue } from '../ui/controls';
import { CELL, TableHead } from '../ui/table';

type Variant = NonNullable<NonNullable<StagedChangeDetail['product']>['variants']>[number];

/** One value of the catalog: the master's, with Shopify's beside it when the two differ. */
function CatalogValue({ local, remote, money }: { local: unknown; remote: unknown; money?: boolean }) {
  const same = formatValue(local) === formatValue(remote);
  const show = (v: unknown) =>
    money && v !== null && v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v).toFixed(2) : formatValue(v);
  if (same) return <span>{show(local)}</span>;
  return (
    <span className="inline-flex flex-col">
      <span className="font-medium text-slate-900" title="Product master">
        {local === undefined ? '—' : show(local)}
      </span>
      <span className="text-amber-800" title="Shopify now">
        Shopify: {remote === undefined ? '—' : show(remote)}
      </span>
    </span>
  );
}

/** The locations any variant is stocked at, in the order first seen: id to name. */
function locationsOf(variants: readonly Variant[]): Map<string, string> {
  const locations = new Map<string, string>();
  for (const v of variants) for (const l of v.inventory ?? []) if (l.location) locations.set(l.location, l.locationName ?? l.location);
  return locations;
}

/** A cell that, on a phone, stacks under its variant with its column's name before it (the table's head is hidden there). */
const STACKED = [
  CELL.compact,
  'max-sm:flex max-sm:gap-1 max-sm:py-0.5 max-sm:before:text-slate-500 max-sm:before:content-[attr(data-label)]',
].join(' ');

/**
 * The product as the catalog holds it: every variant with SKU, price and inventory per location,
 * master and Shopify side by side where they differ, the variant this change is about marked. At
 * phone width each variant is a block of labelled lines, so nothing scrolls sideways.
 */
export function VariantTable({ change }: { change: StagedChangeDetail }) {
  const variants = change.product?.variants ?? [];
  if (variants.length === 0) return null;
  const locations = locationsOf(variants);
  const isCurrent = (v: Variant) =>
    v.shopifyId === change.entityKey ||
    (change.entity === 'inventory_level' && (v.inventory ?? []).some((l) => l.key === change.entityKey));
  return (
    <section aria-label="Variants and inventory" className="space-y-1">
      <h3 className="text-sm font-semibold text-slate-800">
        Variants and inventory{' '}
        <span className="font-normal text-slate-500">
          ({variants.length} {variants.length === 1 ? 'variant' : 'variants'}; Shopify's value shown where it differs from the master)
        </span>
      </h3>
      <div className="max-h-72 overflow-auto rounded border border-slate-200">
        <table className="w-full text-xs max-sm:block" data-testid="variant-table">
          <TableHead
            look="compact"
            className="sticky top-0 bg-slate-50 max-sm:hidden"
            columns={['Variant', 'SKU', 'Price', ...[...locations].map(([key, label]) => ({ key, label }))]}
          />
          <tbody className="max-sm:block">
            {variants.map((v, i) => (
              <tr
                key={v.id ?? i}
                className={`border-t border-slate-100 max-sm:block max-sm:py-1 ${isCurrent(v) ? 'bg-sky-50' : ''}`}
                data-testid="variant-row"
                aria-current={isCurrent(v) ? 'true' : undefined}
              >
                <th scope="row" className={`${CELL.compact} text-left font-medium text-slate-700 max-sm:block max-sm:py-0.5`}>
                  {v.title ?? v.shopifyId ?? 'New variant'}
                </th>
                <td className={STACKED} data-label="SKU:">
                  <CatalogValue local={v.local?.sku} remote={v.remote?.sku} />
                </td>
                <td className={STACKED} data-label="Price:">
                  <CatalogValue local={v.local?.price} remote={v.remote?.price} money />
                </td>
                {[...locations.keys()].map((id) => {
                  const level = (v.inventory ?? []).find((l) => l.location === id);
                  return (
                    <td key={id} className={STACKED} data-label={`${locations.get(id)}:`}>
                      {level ? (
                        <CatalogValue local={level.local?.available} remote={level.remote?.available} />
                      ) : (
                        <span className="text-slate-500">not stocked</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
