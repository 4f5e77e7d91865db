'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus, Trash2 } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import { Button } from '../ui/controls';
import { FieldError } from '../ui/field-error';
import { SelectField, TextField } from '../ui/fields';
import { toast } from '../ui/toaster';

const MAX_OPTIONS = 3;
const STATUS_OPTIONS = [
  ['DRAFT', 'Draft (not on the store yet)'],
  ['ACTIVE', 'Active'],
] as const;

interface VariantDraft {
  id: number;
  values: string[];
  price: string;
  sku: string;
}

interface OptionDraft {
  id: number;
  name: string;
}

/** Keys for rows added and removed while the form is open. */
let nextRow = 0;
const rowId = () => ++nextRow;
const emptyVariant = (options: number): VariantDraft => ({ id: rowId(), values: Array(options).fill(''), price: '', sku: '' });

/** The create body as the API takes it: option values by name, blank fields left out. */
export function createBody(
  product: { title: string; vendor: string; productType: string; status: string },
  options: OptionDraft[],
  variants: VariantDraft[],
) {
  const names = options.map((o) => o.name.trim());
  return {
    title: product.title,
    status: product.status,
    ...(product.vendor.trim() ? { vendor: product.vendor } : {}),
    ...(product.productType.trim() ? { productType: product.productType } : {}),
    variants: variants.map((v) => ({
      ...(names.length ? { options: Object.fromEntries(names.map((n, i) => [n, v.values[i]?.trim() ?? ''])) } : {}),
      price: v.price.trim(),
      ...(v.sku.trim() ? { sku: v.sku.trim() } : {}),
    })),
  };
}

/**
 * A product made in the master with its variants (told apart by up to three options). Nothing
 * reaches Shopify from here: the product is staged as one create, shown in review with its variants.
 */
export function NewProductForm({ onClose }: { onClose: () => void }) {
  const router = useRouter();
  const client = useQueryClient();
  const [product, setProduct] = useState({ title: '', vendor: '', productType: '', status: 'DRAFT' });
  const [options, setOptions] = useState<OptionDraft[]>(() => [{ id: rowId(), name: 'Size' }]);
  const [variants, setVariants] = useState<VariantDraft[]>([emptyVariant(1), emptyVariant(1)]);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => dashboardApi.createProduct(createBody(product, options, variants)),
    onSuccess: (made) => {
      toast(`"${made.product.title}" is staged as a new product; it reaches Shopify once approved and pushed`, 'success');
      void client.invalidateQueries({ queryKey: ['products'] });
      void client.invalidateQueries({ queryKey: ['staged'] });
      router.push(`/products/${made.product.id}`);
    },
    onError: (err) => setError(errorMessage(err)),
  });
  const setVariant = (i: number, patch: Partial<VariantDraft>) => setVariants(variants.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const setOption = (i: number, name: string) => setOptions(options.map((o, j) => (j === i ? { ...o, name } : o)));
  const addOption = () => {
    setOptions([...options, { id: rowId(), name: '' }]);
    setVariants(variants.map((v) => ({ ...v, values: [...v.values, ''] })));
  };
  const removeOption = (i: number) => {
    setOptions(options.filter((_, j) => j !== i));
    setVariants(variants.map((v) => ({ ...v, values: v.values.filter((_, j) => j !== i) })));
  };
  return (
    <form
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="new-product-heading"
      data-testid="new-product-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        save.mutate();
      }}
    >
      <h2 id="new-product-heading" className="text-base font-semibold text-slate-900">
        New product
      </h2>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <TextField
          label="Title"
          required
          value={product.title}
          onValue={(title) => setProduct({ ...product, title })}
          data-testid="new-title"
        />
        <TextField label="Vendor" value={product.vendor} onValue={(vendor) => setProduct({ ...product, vendor })} />
        <TextField label="Product type" value={product.productType} onValue={(productType) => setProduct({ ...product, productType })} />
        <SelectField
          label="Status"
          value={product.status}
          onValue={(status) => setProduct({ ...product, status })}
          options={STATUS_OPTIONS}
        />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Options (what tells the variants apart)</legend>
        <div className="flex flex-wrap items-end gap-2">
          {options.map((option, i) => (
            <div key={option.id} className="flex items-end gap-1">
              <TextField
                label={`Option ${i + 1} name`}
                value={option.name}
                onValue={(v) => setOption(i, v)}
                data-testid="new-option-name"
              />
              <Button variant="ghost" aria-label={`Remove option ${i + 1}`} onClick={() => removeOption(i)}>
                <Trash2 className="h-4 w-4" aria-hidden />
              </Button>
            </div>
          ))}
          {options.length < MAX_OPTIONS ? (
            <Button onClick={addOption} data-testid="new-option-add">
              <Plus className="h-4 w-4" aria-hidden /> Add option
            </Button>
          ) : null}
        </div>
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Variants</legend>
        {variants.map((v, i) => (
          <fieldset key={v.id} className="flex flex-wrap items-end gap-2 border-t border-slate-100 pt-2" data-testid="new-variant-row">
            <legend className="sr-only">Variant {i + 1}</legend>
            {options.map((option, j) => (
              <TextField
                key={option.id}
                label={option.name.trim() || `Option ${j + 1}`}
                className="w-28"
                value={v.values[j] ?? ''}
                onValue={(value) => setVariant(i, { values: v.values.map((x, k) => (k === j ? value : x)) })}
                data-testid="new-variant-value"
              />
            ))}
            <TextField
              label="Price"
              className="w-24"
              inputMode="decimal"
              required
              value={v.price}
              onValue={(price) => setVariant(i, { price })}
              data-testid="new-variant-price"
            />
            <TextField label="SKU" className="w-36" value={v.sku} onValue={(sku) => setVariant(i, { sku })} data-testid="new-variant-sku" />
            <Button
              variant="ghost"
              aria-label={`Remove variant ${i + 1}`}
              disabled={variants.length === 1}
              onClick={() => setVariants(variants.filter((_, j) => j !== i))}
            >
              <Trash2 className="h-4 w-4" aria-hidden />
            </Button>
          </fieldset>
        ))}
        <Button onClick={() => setVariants([...variants, emptyVariant(options.length)])} data-testid="new-variant-add">
          <Plus className="h-4 w-4" aria-hidden /> Add variant
        </Button>
      </fieldset>
      <p className="text-xs text-slate-600">
        Each variant starts with 0 units at the store’s first location. The product is staged for review: it reaches Shopify once a person
        approves it and an admin pushes.
      </p>
      <FieldError message={error} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={onClose} disabled={save.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={save.isPending || !product.title.trim()} data-testid="new-product-save">
          {save.isPending ? 'Saving…' : 'Stage the new product for review'}
        </Button>
      </div>
    </form>
  );
}
