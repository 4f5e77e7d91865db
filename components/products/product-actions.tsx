'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { ProductView } from '@/lib/dashboard/schemas';
import { plural } from '@/lib/words';
import { usePermission } from '../session-context';
import { Button, ConfirmDialog } from '../ui/controls';
import { FieldError } from '../ui/field-error';
import { TextField } from '../ui/fields';
import { toast } from '../ui/toaster';

function useRefresh() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['products'] });
    void client.invalidateQueries({ queryKey: ['staged'] });
  };
}

/** The product's option names, from its variants (none for a product of one default variant). */
export function optionNames(product: ProductView): string[] {
  const names = (product.variants[0]?.selectedOptions ?? []).map((o) => o.name);
  return names.length === 1 && names[0] === 'Title' ? [] : names;
}

/**
 * Deleting a product in the master, confirmed first: it is staged as a delete, and Shopify deletes
 * it only once a person approves that in review and an admin pushes.
 */
export function DeleteProduct({ product }: { product: ProductView }) {
  const edit = usePermission('edit');
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const remove = useMutation({
    mutationFn: () => dashboardApi.deleteProduct(product.id),
    onSuccess: () => {
      setOpen(false);
      toast(`"${product.title}" is deleted in the master; the delete waits for review`, 'success');
      refresh();
    },
    onError: (err) => toast(errorMessage(err), 'error'),
  });
  if (!edit.allowed || !product.existsLocally) return null;
  const n = product.variants.length;
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)} data-testid="product-delete">
        <Trash2 className="h-4 w-4" aria-hidden /> Delete product
      </Button>
      <ConfirmDialog
        open={open}
        title={`Delete “${product.title}”?`}
        confirmLabel="Delete in the master"
        variant="danger"
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => setOpen(false)}
      >
        <p>
          The product and its {plural(n, 'variant')} leave the master now.{' '}
          {product.existsInShopify
            ? 'Shopify deletes it only once someone approves the delete in review and an admin pushes; rejecting it brings it back.'
            : 'It was never pushed, so Shopify is not touched and its pending create is withdrawn.'}
        </p>
      </ConfirmDialog>
    </>
  );
}

/** A new variant of the product: a value for each of its options, a price and a SKU, staged as a create. */
export function AddVariant({ product }: { product: ProductView }) {
  const edit = usePermission('edit');
  const refresh = useRefresh();
  const names = optionNames(product);
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<string[]>(() => names.map(() => ''));
  const [price, setPrice] = useState('');
  const [sku, setSku] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () =>
      dashboardApi.createVariant(product.id, {
        options: Object.fromEntries(names.map((n, i) => [n, values[i]?.trim() ?? ''])),
        price: price.trim(),
        ...(sku.trim() ? { sku: sku.trim() } : {}),
      }),
    onSuccess: () => {
      toast(`Variant ${values.join(' / ')} is staged as new; it reaches Shopify once approved and pushed`, 'success');
      setOpen(false);
      setValues(names.map(() => ''));
      setPrice('');
      setSku('');
      refresh();
    },
    onError: (err) => setError(errorMessage(err)),
  });
  if (!edit.allowed || !product.existsLocally) return null;
  if (names.length === 0)
    return (
      <p className="text-xs text-slate-600">
        This product has no options, so it has one variant; variants need options to tell them apart.
      </p>
    );
  if (!open)
    return (
      <Button onClick={() => setOpen(true)} data-testid="variant-add">
        <Plus className="h-4 w-4" aria-hidden /> Add variant
      </Button>
    );
  return (
    <form
      className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-3"
      aria-label="New variant"
      data-testid="variant-add-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        add.mutate();
      }}
    >
      {names.map((name, i) => (
        <TextField
          key={name}
          label={name}
          className="w-32"
          required
          value={values[i] ?? ''}
          onValue={(v) => setValues(values.map((x, j) => (j === i ? v : x)))}
          data-testid="variant-add-value"
        />
      ))}
      <TextField
        label="Price"
        className="w-24"
        inputMode="decimal"
        required
        value={price}
        onValue={setPrice}
        data-testid="variant-add-price"
      />
      <TextField label="SKU" className="w-36" value={sku} onValue={setSku} data-testid="variant-add-sku" />
      <Button onClick={() => setOpen(false)} disabled={add.isPending}>
        Cancel
      </Button>
      <Button type="submit" variant="primary" disabled={add.isPending} data-testid="variant-add-save">
        Stage the new variant
      </Button>
      <FieldError message={error} />
    </form>
  );
}
