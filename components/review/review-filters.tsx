import { useQuery } from '@tanstack/react-query';
import clsx from 'clsx';
import { SlidersHorizontal, X } from 'lucide-react';
import { useId, useState } from 'react';
import { dashboardApi, type StagedFilter } from '@/lib/dashboard/api';
import { ENTITY_LABELS, fieldsOf } from '@/lib/sync/fields';
import { CHANGE_STATUSES, ENTITY_TYPES } from '@/lib/sync/model';
import { SelectField, TextField } from '../ui/fields';

/** "Any" status is every status, said explicitly: the filter without a status means pending. */
export const ANY_STATUS = CHANGE_STATUSES.join(',');
const STATUS_OPTIONS = [[ANY_STATUS, 'Any'] as const, ...CHANGE_STATUSES.map((s) => [s, s.replace('_', ' ')] as const)];
const ENTITY_OPTIONS = ENTITY_TYPES.map((e) => [e, ENTITY_LABELS[e]] as const);
const SORT_OPTIONS = [
  ['time', 'Newest first'],
  ['product', 'Product (grouped)'],
  ['size', 'Largest change first'],
] as const;
const FIELD_OPTIONS = [...new Map(ENTITY_TYPES.flatMap((e) => fieldsOf(e).map((f) => [f.name, f.label] as const))).entries()];
/** The size filters: changes moving a price or a stock by at least this much. */
const SIZE_FILTERS = [
  { key: 'minPricePercent', label: 'Price change ≥ %', inputMode: 'decimal', testId: 'min-price-percent' },
  { key: 'minQuantity', label: 'Stock change ≥ units', inputMode: 'numeric', testId: 'min-quantity' },
] as const;

/** The filters behind the narrow screen's toggle that narrow the list (the sort does not): status other than pending, and any set. */
export function activeFilterCount(filter: StagedFilter): number {
  const set = (['entity', 'field', 'vendor', 'productType', 'minPricePercent', 'minQuantity'] as const).filter(
    (k) => filter[k] !== undefined && filter[k] !== '',
  ).length;
  return set + (filter.status && filter.status !== 'pending' ? 1 : 0);
}

/**
 * Search and the filters beside the kind tabs; an empty choice is no filter. Below 640 px the
 * filters fold behind a "Filters (N active)" toggle so the first change shows without scrolling;
 * wider, they are always open. A filter with no field of its own (the product a "N pending" link
 * opened the review on) shows as a removable chip, and "Clear filters" removes every filter at once.
 */
export function ReviewFilters({
  filter,
  filtered,
  search,
  onSearch,
  onChange,
  onClear,
}: {
  filter: StagedFilter;
  filtered: boolean;
  search: string;
  onSearch: (search: string) => void;
  onChange: (patch: Partial<StagedFilter>) => void;
  onClear: () => void;
}) {
  const choose = (key: keyof StagedFilter) => (value: string) => onChange({ [key]: value || undefined });
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const active = activeFilterCount(filter);
  return (
    <div className="grid grid-cols-2 gap-2 text-sm xl:grid-cols-3">
      <TextField
        label="Search"
        hideLabel
        className="col-span-2 xl:col-span-3"
        type="search"
        placeholder="Search title, SKU, vendor…"
        value={search}
        onValue={onSearch}
        data-testid="review-search"
      />
      <button
        type="button"
        className={clsx(
          'col-span-2 inline-flex items-center justify-center gap-2 rounded border border-slate-300 bg-white px-3 py-1.5 font-medium',
          'text-slate-800 outline-none hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-emerald-500 sm:hidden',
        )}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        data-testid="filters-toggle"
      >
        <SlidersHorizontal className="h-4 w-4" aria-hidden="true" />
        Filters{active ? ` (${active} active)` : ''}
      </button>
      <div
        id={panelId}
        className={clsx('col-span-2 grid-cols-2 gap-2 xl:col-span-3 xl:grid-cols-3', open ? 'grid' : 'hidden sm:grid')}
        data-testid="review-filter-fields"
      >
        <SelectField
          label="Status"
          value={filter.status ?? 'pending'}
          onValue={choose('status')}
          options={STATUS_OPTIONS}
          data-testid="status-filter"
        />
        <SelectField label="Entity" empty="Any" value={filter.entity ?? ''} onValue={choose('entity')} options={ENTITY_OPTIONS} />
        <SelectField label="Field" empty="Any" value={filter.field ?? ''} onValue={choose('field')} options={FIELD_OPTIONS} />
        <TextField label="Vendor" value={filter.vendor ?? ''} onValue={choose('vendor')} />
        <TextField label="Product type" value={filter.productType ?? ''} onValue={choose('productType')} />
        <SelectField label="Sort" value={filter.sort ?? 'time'} onValue={choose('sort')} options={SORT_OPTIONS} data-testid="review-sort" />
        {SIZE_FILTERS.map((f) => (
          <TextField
            key={f.key}
            label={f.label}
            type="number"
            min={0}
            inputMode={f.inputMode}
            value={filter[f.key] ?? ''}
            onValue={choose(f.key)}
            data-testid={f.testId}
          />
        ))}
      </div>
      {filter.productId || filtered ? (
        <div className="col-span-2 flex flex-wrap items-center gap-2 xl:col-span-3">
          {filter.productId ? <ProductChip id={filter.productId} onRemove={() => onChange({ productId: undefined })} /> : null}
          {filtered ? (
            <button
              type="button"
              className="text-emerald-700 underline-offset-2 hover:underline"
              onClick={onClear}
              data-testid="clear-filters"
            >
              Clear filters
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** "Product: Shirt ×": the product the list is narrowed to, by its title (the product page's query). */
function ProductChip({ id, onRemove }: { id: string; onRemove: () => void }) {
  const product = useQuery({ queryKey: ['products', 'one', id], queryFn: () => dashboardApi.getProduct(id) });
  const title = product.data?.title || (product.isPending ? '…' : 'one product');
  return (
    <span
      className="inline-flex items-center gap-1 rounded-full bg-emerald-50 py-0.5 pr-1 pl-2.5 text-emerald-900 ring-1 ring-emerald-200"
      data-testid="product-filter-chip"
    >
      Product: {title}
      <button
        type="button"
        onClick={onRemove}
        aria-label={`Remove the filter Product: ${title}`}
        className="rounded-full p-0.5 hover:bg-emerald-100 focus-visible:ring-2 focus-visible:ring-emerald-500 outline-none"
        data-testid="product-filter-remove"
      >
        <X className="h-3.5 w-3.5" aria-hidden="true" />
      </button>
    </span>
  );
}
