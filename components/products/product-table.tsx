'use client';

import { Boxes, ChevronDown, ChevronUp, Plus } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { ApiError } from '@/lib/api-client';
import { dashboardApi } from '@/lib/dashboard/api';
import type { ProductView } from '@/lib/dashboard/schemas';
import { plural } from '@/lib/words';
import { useLiveStaged } from '../review/use-staged';
import { usePermission } from '../session-context';
import { Button, ErrorState, formatValue, Skeleton } from '../ui/controls';
import { EmptyState } from '../ui/empty-state';
import { SelectField, TextField } from '../ui/fields';
import { PageTable } from '../ui/table';
import { useSearch } from '../ui/use-debounced';
import { useKeysetPages } from '../ui/use-keyset-pages';
import { CollectionsEditor } from './collections-editor';
import { ExportCsv } from './export-csv';
import { InlineEdit } from './inline-edit';
import { NewProductForm } from './new-product-form';
import { pendingHref } from './product-page';
import { moneyRange, productStock } from './product-stock';
import { SYNC_STATUS_OPTIONS, SyncStatusIcon } from './sync-status';
import { VariantEditor, variantName } from './variant-editor';

/** The product master with sync status, search, filters and inline edits that stage outgoing changes. */
const STATUS_OPTIONS = [
  ['ACTIVE', 'Active'],
  ['DRAFT', 'Draft'],
  ['ARCHIVED', 'Archived'],
] as const;
const WIDE = 'hidden sm:table-cell';
const COLUMNS = [
  { key: 'sync', label: <span className="sr-only">Sync status</span>, className: 'w-10' },
  'Title',
  { key: 'sku', label: 'SKU', className: WIDE },
  { key: 'vendor', label: 'Vendor', className: 'hidden xl:table-cell' },
  { key: 'status', label: 'Status', className: 'hidden md:table-cell' },
  { key: 'variants', label: 'Variants', className: 'hidden lg:table-cell' },
  { key: 'price', label: 'Price', className: WIDE },
  { key: 'compare', label: 'Compare-at', className: 'hidden md:table-cell' },
  { key: 'stock', label: 'Inventory', className: `${WIDE} text-right` },
  { key: 'details', label: <span className="sr-only">Details</span>, className: `w-10 ${WIDE}` },
] as const;

/** The product master with sync status, search, filters and inline edits that stage outgoing changes. */
export function ProductTable() {
  useLiveStaged();
  const search = useSearch();
  const [syncStatus, setSyncStatus] = useState('');
  const [status, setStatus] = useState('');
  const [creating, setCreating] = useState(false);
  const edit = usePermission('edit');
  const { q } = search;
  const params = { q: q || undefined, syncStatus: syncStatus || undefined, status: status || undefined };
  const { pages, items } = useKeysetPages(['products', params], (cursor) => dashboardApi.listProducts({ ...params, cursor, limit: 50 }));
  const filtered = Boolean(q || syncStatus || status);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-2 text-sm">
        <TextField
          label="Search"
          className="min-w-56 flex-1"
          placeholder="Title, handle, SKU, vendor…"
          data-testid="product-search"
          {...search.box}
        />
        <SelectField label="Sync status" empty="Any" value={syncStatus} onValue={setSyncStatus} options={SYNC_STATUS_OPTIONS} />
        <SelectField label="Status" empty="Any" value={status} onValue={setStatus} options={STATUS_OPTIONS} />
        <ExportCsv filter={params} filtered={filtered} />
        {edit.allowed && !creating ? (
          <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-product">
            <Plus className="h-4 w-4" aria-hidden /> New product
          </Button>
        ) : null}
      </div>
      {creating ? <NewProductForm onClose={() => setCreating(false)} /> : null}
      {pages.isPending ? (
        <Skeleton rows={8} />
      ) : pages.isError && pages.error instanceof ApiError && pages.error.code.startsWith('not_found:store') ? (
        <EmptyState title="No store connected" icon={<Boxes className="h-8 w-8" />}>
          Products will be listed here once a Shopify store is connected (SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN) and an admin runs a pull on
          the Operations page.
        </EmptyState>
      ) : pages.isError ? (
        <ErrorState error={pages.error} onRetry={() => void pages.refetch()} title="Could not load products" />
      ) : items.length === 0 ? (
        <EmptyState title={filtered ? 'No product matches' : 'No products yet'} icon={<Boxes className="h-8 w-8" />}>
          {filtered
            ? 'Clear the search or a filter.'
            : 'An admin runs a pull on the Operations page to bring the store’s catalog into the master, or import a CSV.'}
        </EmptyState>
      ) : (
        <PageTable label="Products" testId="product-table" columns={COLUMNS} pages={pages}>
          {items.map((p) => (
            <ProductRow key={p.id} product={p} />
          ))}
        </PageTable>
      )}
    </div>
  );
}

function ProductRow({ product }: { product: ProductView }) {
  const [open, setOpen] = useState(false);
  const single = product.variants.length === 1 ? product.variants[0] : undefined;
  const detailId = `product-detail-${product.id}`;
  const stock = productStock(product);
  const skus = product.variants.map((v) => v.sku).filter(Boolean);
  const sku = skus.length === 0 ? '—' : skus.length === 1 ? skus[0]! : `${skus[0]} +${skus.length - 1}`;
  const price = moneyRange(product.variants.map((v) => v.price));
  return (
    <>
      <tr className="border-t border-slate-100 align-top" data-testid="product-row" data-product-id={product.id}>
        <td className="px-3 py-2">
          <SyncStatusIcon status={product.syncStatus} />
        </td>
        <td className="max-w-md px-3 py-2">
          <Link
            href={`/products/${product.id}`}
            className="inline-block py-1 font-medium text-slate-900 hover:underline"
            data-testid="product-link"
          >
            {product.title || 'Untitled product'}
          </Link>
          <div className="text-xs text-slate-600 sm:hidden" data-testid="product-summary">
            {[sku, price, stock === null ? null : `${plural(stock, 'unit')} available`].filter(Boolean).join(' · ')}
          </div>
          {product.pendingChanges ? (
            <div>
              <Link
                href={pendingHref(product.id)}
                className="inline-block py-1 text-xs text-amber-800 hover:underline"
                data-testid="product-pending-link"
              >
                {plural(product.pendingChanges, 'pending change')}
              </Link>
            </div>
          ) : null}
        </td>
        <td className={`${WIDE} px-3 py-2 font-mono text-xs`} data-testid="product-sku-cell">
          {sku}
        </td>
        <td className="hidden px-3 py-2 text-slate-600 xl:table-cell">{product.vendor}</td>
        <td className="hidden px-3 py-2 text-xs md:table-cell">{product.status}</td>
        <td className="hidden px-3 py-2 tabular-nums lg:table-cell">{product.variants.length}</td>
        <td className={`${WIDE} px-3 py-2 tabular-nums`} data-testid="product-price-cell">
          {single ? (
            <InlineEdit
              product={product}
              field="price"
              variantId={single.id}
              value={formatValue(single.price)}
              label={`price of ${variantName(single, 0)}`}
            />
          ) : (
            // Several variants: the price is edited per variant (or for all, explicitly) in the details.
            price
          )}
        </td>
        <td className="hidden px-3 py-2 tabular-nums md:table-cell" data-testid="product-compare-cell">
          {moneyRange(product.variants.map((v) => v.compareAtPrice))}
        </td>
        <td className={`${WIDE} px-3 py-2 text-right tabular-nums`} data-testid="product-stock-cell">
          {formatValue(stock)}
        </td>
        <td className={`${WIDE} px-3 py-2 text-right`}>
          <button
            type="button"
            className="inline-flex items-center gap-1 whitespace-nowrap rounded px-1.5 py-0.5 text-xs text-emerald-800 hover:bg-emerald-50"
            aria-expanded={open}
            aria-controls={detailId}
            onClick={() => setOpen(!open)}
            data-testid="product-details-toggle"
          >
            {open ? <ChevronUp className="h-3.5 w-3.5" aria-hidden /> : <ChevronDown className="h-3.5 w-3.5" aria-hidden />}
            {product.variants.length > 1 ? 'Variants and collections' : 'Details'}
          </button>
        </td>
      </tr>
      {open ? (
        <tr id={detailId} className="bg-slate-50" data-testid="product-detail">
          <td colSpan={COLUMNS.length} className="px-3 py-3">
            <div className="grid gap-4 lg:grid-cols-2">
              <VariantEditor product={product} />
              <CollectionsEditor product={product} />
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
