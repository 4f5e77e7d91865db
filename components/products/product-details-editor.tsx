'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '@/lib/api-client';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { ProductView } from '@/lib/dashboard/schemas';
import { fieldSpec } from '@/lib/sync/fields';
import { normalizeOptions, type ProductOption } from '@/lib/sync/options';
import { WEIGHT_UNITS } from '@/lib/sync/weight';
import { usePermission } from '../session-context';
import { Button } from '../ui/controls';
import { FieldError } from '../ui/field-error';
import { CONTROL, TextField } from '../ui/fields';
import { toast } from '../ui/toaster';
import { metafieldDraft, metafieldEditValue } from './metafield-draft';
import { MetafieldFields, metafieldId } from './metafield-fields';
import { OptionsEditor } from './options-editor';
import { variantName } from './variant-editor';

interface Draft {
  seoTitle: string;
  seoDescription: string;
  category: string;
  metafields: Record<string, string>;
  options: ProductOption[];
  weights: Record<string, { weight: string; unit: string }>;
}

function draftOf(p: ProductView): Draft {
  return {
    seoTitle: p.seoTitle ?? '',
    seoDescription: p.seoDescription ?? '',
    category: p.categoryName ?? p.category ?? '',
    metafields: Object.fromEntries(
      p.metafields.filter((m) => !m.type.endsWith('_reference')).map((m) => [metafieldId(m), metafieldDraft(m)]),
    ),
    options: normalizeOptions(p.options),
    weights: Object.fromEntries(p.variants.map((v) => [v.id, { weight: v.weight ?? '', unit: v.weightUnit ?? '' }])),
  };
}

type Errors = Record<string, string>;

/** What the editor starts from: a new value of any of it (the product read again after a save) starts it afresh. */
export const detailsSignature = (p: ProductView) => JSON.stringify(draftOf(p));

/**
 * The PATCH body of what changed between two drafts, with each refused value's reason by the editor's
 * field (the same keys the server's errors are mapped to); `where` maps the body's paths back.
 */
function planEdit(p: ProductView, from: Draft, to: Draft) {
  const body: Record<string, unknown> = {};
  const errors: Errors = {};
  const where: Record<string, string> = {};
  for (const field of ['seoTitle', 'seoDescription'] as const) {
    if (to[field] === from[field]) continue;
    const parsed = fieldSpec('product', field)?.schema.safeParse(to[field]);
    if (parsed && !parsed.success) errors[field] = parsed.error.issues[0]?.message ?? 'is not valid';
    body[field] = to[field].trim() === '' ? null : to[field];
  }
  if (to.category.trim() !== from.category.trim()) body.category = to.category.trim() === '' ? null : to.category.trim();
  const metafields: Array<Record<string, unknown>> = [];
  for (const m of p.metafields) {
    const id = metafieldId(m);
    if (!(id in to.metafields) || to.metafields[id] === from.metafields[id]) continue;
    const edit = metafieldEditValue(m.type, to.metafields[id] ?? '');
    if ('problem' in edit) errors[`metafield:${id}`] = edit.problem;
    else {
      where[`metafields.${metafields.length}`] = `metafield:${id}`;
      metafields.push({ namespace: m.namespace, key: m.key, type: m.type, value: edit.value });
    }
  }
  if (metafields.length) body.metafields = metafields;
  if (JSON.stringify(to.options) !== JSON.stringify(from.options)) body.options = to.options;
  const variants: Array<Record<string, unknown>> = [];
  for (const v of p.variants) {
    const a = from.weights[v.id];
    const b = to.weights[v.id];
    if (!a || !b || (a.weight === b.weight && a.unit === b.unit)) continue;
    where[`variants.${variants.length}`] = `variant:${v.id}`;
    variants.push({ id: v.id, weight: b.weight.trim() === '' ? null : b.weight.trim(), weightUnit: b.unit || null });
  }
  if (variants.length) body.variants = variants;
  return { body, errors, where };
}

/** The server's refusal as messages by the editor's field: each detail's path mapped back; the rest under "form". */
function serverErrors(err: unknown, where: Record<string, string>): Errors {
  const out: Errors = {};
  const details =
    err instanceof ApiError && Array.isArray(err.details) ? (err.details as Array<{ path?: unknown; message?: unknown }>) : [];
  for (const d of details) {
    const path = String(d.path ?? '');
    const field =
      Object.entries(where).find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`))?.[1] ??
      ['seoTitle', 'seoDescription', 'category', 'options'].find((f) => path === f || path.startsWith(`${f}.`));
    if (field && !out[field]) out[field] = String(d.message ?? 'is not valid');
  }
  if (Object.keys(out).length === 0) out.form = errorMessage(err);
  return out;
}

/**
 * What a merchandiser edits of a product besides its core fields: SEO, category, metafields by type,
 * options and their values, and each variant's weight. Saved together as one edit of the master,
 * staged for review; a refused value is named next to its field and nothing is saved.
 */
export function ProductDetailsEditor({ product }: { product: ProductView }) {
  const client = useQueryClient();
  const edit = usePermission('edit');
  const [from] = useState(() => draftOf(product));
  const [draft, setDraft] = useState(from);
  const [errors, setErrors] = useState<Errors>({});
  const plan = planEdit(product, from, draft);
  const changed = Object.keys(plan.body).length;
  const save = useMutation({
    mutationFn: () => dashboardApi.updateProduct(product.id, plan.body),
    onSuccess: () => {
      setErrors({});
      toast('Saved; the edits are staged for review', 'success');
      void client.invalidateQueries({ queryKey: ['products'] });
      void client.invalidateQueries({ queryKey: ['staged'] });
    },
    onError: (err) => setErrors(serverErrors(err, plan.where)),
  });
  const disabled = !edit.allowed || !product.existsLocally || save.isPending;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  return (
    <form
      className="space-y-6"
      aria-label={`Details of ${product.title}`}
      data-testid="product-details-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (Object.keys(plan.errors).length) return setErrors(plan.errors);
        setErrors({});
        save.mutate();
      }}
    >
      <Group title="Search engine listing">
        <TextField
          label="SEO title"
          value={draft.seoTitle}
          onValue={(seoTitle) => set({ seoTitle })}
          disabled={disabled}
          maxLength={255}
          data-testid="seo-title"
        />
        <FieldError message={errors.seoTitle ?? null} />
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">SEO description</span>
          <textarea
            className={CONTROL}
            rows={3}
            maxLength={320}
            value={draft.seoDescription}
            disabled={disabled}
            onChange={(e) => set({ seoDescription: e.target.value })}
            data-testid="seo-description"
          />
        </label>
        <FieldError message={errors.seoDescription ?? null} />
      </Group>
      <Group title="Category">
        <TextField
          label="Category, by its full name in Shopify's taxonomy (e.g. Apparel & Accessories > Clothing)"
          value={draft.category}
          onValue={(category) => set({ category })}
          disabled={disabled}
          data-testid="category-input"
        />
        <FieldError message={errors.category ?? null} />
      </Group>
      <Group title="Metafields">
        <MetafieldFields
          product={product}
          drafts={draft.metafields}
          errors={errors}
          disabled={disabled}
          onDraft={(id, text) => set({ metafields: { ...draft.metafields, [id]: text } })}
        />
      </Group>
      <Group title="Options">
        <OptionsEditor options={draft.options} disabled={disabled} onChange={(options) => set({ options })} />
        <FieldError message={errors.options ?? null} />
      </Group>
      {product.variants.length ? (
        <Group title="Weight of each variant">
          <WeightFields product={product} draft={draft} errors={errors} disabled={disabled} onChange={(weights) => set({ weights })} />
        </Group>
      ) : null}
      {edit.allowed && product.existsLocally ? (
        <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
          <Button type="submit" variant="primary" disabled={changed === 0 || save.isPending} data-testid="details-save">
            {changed === 0 ? 'No changes' : 'Save and stage for review'}
          </Button>
          <Button
            disabled={changed === 0 || save.isPending}
            onClick={() => {
              setDraft(from);
              setErrors({});
            }}
          >
            Discard
          </Button>
          <FieldError message={errors.form ?? null} />
        </div>
      ) : null}
    </form>
  );
}

function Group({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <fieldset className="min-w-0 space-y-2">
      <legend className="mb-1 text-sm font-semibold text-slate-900">{title}</legend>
      {children}
    </fieldset>
  );
}

function WeightFields({
  product,
  draft,
  errors,
  disabled,
  onChange,
}: {
  product: ProductView;
  draft: Draft;
  errors: Errors;
  disabled: boolean;
  onChange: (weights: Draft['weights']) => void;
}) {
  return (
    <ul className="space-y-2" data-testid="weight-fields">
      {product.variants.map((v, i) => {
        const w = draft.weights[v.id] ?? { weight: '', unit: '' };
        const name = variantName(v, i);
        const setW = (patch: Partial<typeof w>) => onChange({ ...draft.weights, [v.id]: { ...w, ...patch } });
        return (
          <li key={v.id} className="flex flex-wrap items-end gap-2" data-testid="weight-field" data-variant-id={v.id}>
            <span className="w-full text-sm text-slate-800 sm:w-48 sm:truncate">{name}</span>
            <TextField
              label={`Weight of ${name}`}
              hideLabel
              inputMode="decimal"
              className="w-28"
              value={w.weight}
              disabled={disabled}
              onValue={(weight) => setW({ weight })}
              data-testid="variant-weight"
            />
            <select
              aria-label={`Weight unit of ${name}`}
              className={CONTROL}
              value={w.unit}
              disabled={disabled}
              onChange={(e) => setW({ unit: e.target.value })}
              data-testid="variant-weight-unit"
            >
              <option value="">Unit</option>
              {WEIGHT_UNITS.map((u) => (
                <option key={u} value={u}>
                  {u.toLowerCase()}
                </option>
              ))}
            </select>
            <FieldError message={errors[`variant:${v.id}`] ?? null} />
          </li>
        );
      })}
    </ul>
  );
}
