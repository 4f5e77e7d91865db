'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { ProductView } from '@/lib/dashboard/schemas';
import { fieldSpec } from '@/lib/sync/fields';
import { usePermission } from '../session-context';
import { Button, formatValue } from '../ui/controls';
import { FieldError } from '../ui/field-error';
import { TextField } from '../ui/fields';
import { CELL, TableHead } from '../ui/table';
import { toast } from '../ui/toaster';
import { InlineEdit } from './inline-edit';

type Variant = ProductView['variants'][number];

/** A variant as a person names it: its title (option values), else its SKU. */
export function variantName(v: Variant, index: number): string {
  return v.title || v.sku || `Variant ${index + 1}`;
}

/**
 * Every variant of a product with its own price edit, each naming the variant it changes; changing
 * every variant at once is a separate, explicit action. Nothing edits a variant the person did not pick.
 */
export function VariantEditor({ product }: { product: ProductView }) {
  return (
    <div className="space-y-2" data-testid="variant-editor">
      <table className="w-full text-xs">
        <caption className="py-1 text-left font-medium text-slate-700">Variants</caption>
        <TableHead look="compact" columns={['Variant', 'SKU', 'Price', 'Compare-at']} />
        <tbody>
          {product.variants.map((v, i) => (
            <tr key={v.id} className="border-t border-slate-100" data-testid="variant-edit-row" data-variant-id={v.id}>
              <td className={CELL.compact}>{variantName(v, i)}</td>
              <td className={CELL.compact}>{v.sku ?? '—'}</td>
              <VariantPriceCells product={product} variant={v} index={i} cell={`${CELL.compact} tabular-nums`} />
            </tr>
          ))}
        </tbody>
      </table>
      {product.variants.length > 1 ? <AllVariantsPrice product={product} /> : null}
    </div>
  );
}

const PRICE_CELLS = [
  { field: 'price', label: 'price', testId: 'variant-price' },
  { field: 'compareAtPrice', label: 'compare-at price', testId: 'variant-compare-at' },
] as const;

/** A variant's price and compare-at price as two table cells, each edited in place and naming the variant. */
export function VariantPriceCells({
  product,
  variant,
  index,
  cell,
}: {
  product: ProductView;
  variant: Variant;
  index: number;
  cell: string;
}) {
  const name = variantName(variant, index);
  return PRICE_CELLS.map(({ field, label, testId }) => (
    <td key={field} className={cell}>
      <InlineEdit
        product={product}
        field={field}
        variantId={variant.id}
        value={formatValue(variant[field])}
        label={`${label} of ${name}`}
        testId={testId}
      />
    </td>
  ));
}

/** One price for every variant: said as such on the button, with the count. */
function AllVariantsPrice({ product }: { product: ProductView }) {
  const client = useQueryClient();
  const edit = usePermission('edit');
  const [price, setPrice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const n = product.variants.length;
  const save = useMutation({
    mutationFn: (value: string) =>
      dashboardApi.updateProduct(product.id, { variants: product.variants.map((v) => ({ id: v.id, price: value })) }),
    onSuccess: () => {
      setPrice('');
      toast(`Saved; the price of all ${n} variants is staged for review`, 'success');
      void client.invalidateQueries({ queryKey: ['products'] });
      void client.invalidateQueries({ queryKey: ['staged'] });
    },
    onError: (err) => setError(errorMessage(err)),
  });
  if (!edit.allowed) return null;
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = fieldSpec('variant', 'price')?.schema.safeParse(price);
        if (parsed && !parsed.success) return setError(`Price ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
        setError(null);
        save.mutate(price);
      }}
    >
      <TextField label={`New price for all ${n} variants`} value={price} onValue={setPrice} data-testid="all-variants-price" />
      <Button type="submit" disabled={!price || save.isPending} data-testid="all-variants-save">
        Set the price of all {n} variants
      </Button>
      <FieldError message={error} />
    </form>
  );
}
