'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { dashboardApi } from '@/lib/dashboard/api';
import type { ProductView } from '@/lib/dashboard/schemas';
import { weightLabel } from '@/lib/sync/weight';
import { plural } from '@/lib/words';
import { useLiveStaged } from '../review/use-staged';
import { ProductWindows } from '../schedules/product-windows';
import { Badge, ErrorState, formatValue, Skeleton } from '../ui/controls';
import { PageHeader } from '../ui/page-header';
import { Section } from '../ui/section';
import { PageTable } from '../ui/table';
import { Tab, TabList } from '../ui/tabs';
import { CollectionsEditor } from './collections-editor';
import { InlineEdit } from './inline-edit';
import { MediaEditor } from './media-editor';
import { AddVariant, DeleteProduct } from './product-actions';
import { detailsSignature, ProductDetailsEditor } from './product-details-editor';
import { ProductHistory } from './product-history';
import { locationsOf, variantStock } from './product-stock';
import { ProductTimeline } from './product-timeline';
import { SyncStatusIcon } from './sync-status';
import { VariantPriceCells, variantName } from './variant-editor';

/** Where the review lists only this product's changes (the review page reads `product`). */
export function pendingHref(productId: string): string {
  return `/review?product=${encodeURIComponent(productId)}`;
}

/** One product: every variant with its prices and stock per location, its images, collections and the history of its changes. */
export function ProductPage({ id }: { id: string }) {
  useLiveStaged();
  const product = useQuery({ queryKey: ['products', 'one', id], queryFn: () => dashboardApi.getProduct(id) });
  if (product.isPending) return <Skeleton rows={8} />;
  if (product.isError)
    return <ErrorState error={product.error} onRetry={() => void product.refetch()} title="Could not load this product" />;
  const p = product.data;
  return (
    <div className="space-y-6" data-testid="product-page" data-product-id={p.id}>
      <PageHeader
        title={p.title || 'Untitled product'}
        description={
          <Link href="/products" className="text-emerald-800 hover:underline">
            ← All products
          </Link>
        }
        actions={
          <div className="flex flex-wrap gap-2">
            {p.pendingChanges ? (
              <Link
                href={pendingHref(p.id)}
                className="rounded-md bg-amber-100 px-3 py-1.5 text-sm font-medium text-amber-900 hover:bg-amber-200"
                data-testid="product-pending-link"
              >
                Review {plural(p.pendingChanges, 'pending change')}
              </Link>
            ) : null}
            <DeleteProduct product={p} />
          </div>
        }
      />
      <LifecycleNote product={p} />
      <ProductFacts product={p} />
      <ProductWindows productId={p.id} />
      <Section headingId="variants-heading" title="Variants and stock">
        <div className="space-y-2">
          <VariantStockTable product={p} />
          <AddVariant product={p} />
        </div>
      </Section>
      <Section
        headingId="details-heading"
        title="SEO, category, metafields, options and weights"
        description="Edit any of these, then save: the edits are staged together for review before they reach Shopify."
      >
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <ProductDetailsEditor key={detailsSignature(p)} product={p} />
        </div>
      </Section>
      <Section headingId="images-heading" title="Images">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <MediaEditor product={p} />
        </div>
      </Section>
      <Section headingId="collections-heading" title="Collections">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <CollectionsEditor product={p} />
        </div>
      </Section>
      <Section
        headingId="history-heading"
        title="History"
        description="What was pushed, adopted and rolled back, field by field; revert to any point to stage the differences for review."
      >
        <HistoryTabs product={p} />
      </Section>
    </div>
  );
}

/** The history section: the timeline of applied writes, or every change staged for the product (any status). */
function HistoryTabs({ product }: { product: ProductView }) {
  const [tab, setTab] = useState<'applied' | 'staged'>('applied');
  return (
    <div className="space-y-3">
      <TabList label="History">
        <Tab selected={tab === 'applied'} onClick={() => setTab('applied')} data-testid="history-tab-applied">
          Applied
        </Tab>
        <Tab selected={tab === 'staged'} onClick={() => setTab('staged')} data-testid="history-tab-staged">
          Staged and decided
        </Tab>
      </TabList>
      {tab === 'applied' ? <ProductTimeline product={product} /> : <ProductHistory product={product} />}
    </div>
  );
}

/** A product on one side only: made in the master and not pushed yet, or deleted in the master pending review. */
function LifecycleNote({ product: p }: { product: ProductView }) {
  const text = !p.existsLocally
    ? 'Deleted in the master. Shopify keeps it until the delete is approved in review and pushed; rejecting the delete restores it.'
    : !p.existsInShopify
      ? 'New in the master. It is created in Shopify, with its variants, once its create is approved in review and pushed.'
      : null;
  if (!text) return null;
  return (
    <p
      className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
      data-testid="product-lifecycle"
      role="status"
    >
      {text}
    </p>
  );
}

function ProductFacts({ product: p }: { product: ProductView }) {
  const facts: Array<[string, string]> = [
    ['Status', formatValue(p.status)],
    ['Vendor', formatValue(p.vendor)],
    ['Product type', formatValue(p.productType)],
    // A category is read by its full name; one the app has no name for yet says so rather than show its id.
    ['Category', p.categoryName ?? (p.category ? 'A category not yet named (pull to read its name)' : '—')],
    ['Handle', formatValue(p.handle)],
    ['Tags', p.tags.length ? p.tags.join(', ') : '—'],
  ];
  return (
    <dl
      className="grid grid-cols-1 gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-3"
      data-testid="product-facts"
    >
      <div>
        <dt className="text-xs text-slate-600">Sync</dt>
        <dd className="flex items-center gap-1">
          <SyncStatusIcon status={p.syncStatus} />
          <Badge>{p.syncStatus.replace('_', ' ')}</Badge>
        </dd>
      </div>
      <div className="min-w-0">
        <dt className="text-xs text-slate-600">Title</dt>
        <dd className="text-slate-900">
          <InlineEdit product={p} field="title" value={p.title} label="title" />
        </dd>
      </div>
      {facts.map(([label, value]) => (
        <div key={label} className="min-w-0">
          <dt className="text-xs text-slate-600">{label}</dt>
          <dd className="break-words text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Every variant: SKU, barcode, the two prices (edited in place) and units available at each location. */
function VariantStockTable({ product }: { product: ProductView }) {
  const locations = locationsOf(product);
  const columns = [
    'Variant',
    'SKU',
    { key: 'barcode', label: 'Barcode', className: 'hidden lg:table-cell' },
    'Price',
    'Compare-at',
    { key: 'weight', label: 'Weight', className: 'hidden lg:table-cell' },
    ...locations.map((l) => ({ key: l.id, label: l.name, className: 'text-right' })),
    { key: 'total', label: 'Available', className: 'text-right' },
  ];
  return (
    <PageTable
      label="Variants and stock"
      caption={`Variants of ${product.title}, with units available per location`}
      testId="product-variants"
      columns={columns}
      after={
        product.variants.length === 0 ? <p className="p-4 text-sm text-slate-600">This product has no variants in the master.</p> : null
      }
    >
      {product.variants.map((v, i) => (
        <tr key={v.id} className="border-t border-slate-100" data-testid="product-variant" data-variant-id={v.id}>
          <td className="px-3 py-2 font-medium text-slate-900">{variantName(v, i)}</td>
          <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{v.sku || '—'}</td>
          <td className="hidden px-3 py-2 font-mono text-xs lg:table-cell">{v.barcode || '—'}</td>
          <VariantPriceCells product={product} variant={v} index={i} cell="px-3 py-2 tabular-nums" />
          <td className="hidden whitespace-nowrap px-3 py-2 tabular-nums lg:table-cell">{weightLabel(v.weight, v.weightUnit) || '—'}</td>
          {locations.map((l) => {
            const level = (v.inventory ?? []).find((x) => (x.location ?? x.locationName ?? '') === l.id);
            return (
              <td key={l.id} className="px-3 py-2 text-right tabular-nums" data-testid="variant-stock">
                {level ? formatValue(level.available) : '—'}
              </td>
            );
          })}
          <td className="px-3 py-2 text-right font-medium tabular-nums">{formatValue(variantStock(v))}</td>
        </tr>
      ))}
    </PageTable>
  );
}
