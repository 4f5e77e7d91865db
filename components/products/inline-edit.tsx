'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Pencil } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { dashboardApi, errorMessage } from '@/lib/dashboard/api';
import type { ProductView } from '@/lib/dashboard/schemas';
import { fieldSpec } from '@/lib/sync/fields';
import type { EntityType } from '@/lib/sync/model';
import { usePermission } from '../session-context';
import { FieldError } from '../ui/field-error';
import { toast } from '../ui/toaster';

/** Click (or Enter) to edit; Enter saves, Escape cancels. Saving stages an outgoing change. */
export function InlineEdit({
  product,
  field,
  value,
  label,
  variantId,
  testId = `product-${field}`,
}: {
  product: ProductView;
  field: string;
  value: string;
  /** What is edited, as a person reads it ("title", "price of Small / Red"). */
  label: string;
  /** The variant edited (a variant field): named by the caller, never guessed. */
  variantId?: string;
  testId?: string;
}) {
  const client = useQueryClient();
  const edit = usePermission('edit');
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (v: string) =>
      dashboardApi.updateProduct(product.id, variantId ? { variants: [{ id: variantId, [field]: v }] } : { [field]: v }),
    onSuccess: () => {
      setEditing(false);
      toast(`Saved; the ${label} change is staged for review`, 'success');
      void client.invalidateQueries({ queryKey: ['products'] });
      void client.invalidateQueries({ queryKey: ['staged'] });
    },
    onError: (err) => setError(errorMessage(err)),
  });
  // The field being edited takes the focus as the form opens (a keyboard user types straight away).
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (editing) inputRef.current?.focus();
  }, [editing]);
  if (!editing) {
    return (
      <span className="group inline-flex max-w-full items-center gap-1">
        <span className="truncate" data-testid={testId}>
          {value}
        </span>
        {edit.allowed ? (
          <button
            type="button"
            className="rounded p-0.5 text-slate-400 opacity-60 hover:text-slate-700 group-hover:opacity-100 focus-visible:opacity-100"
            aria-label={`Edit ${label} of ${product.title}`}
            onClick={() => {
              setDraft(value === '—' ? '' : value);
              setError(null);
              setEditing(true);
            }}
          >
            <Pencil className="h-3.5 w-3.5" aria-hidden />
          </button>
        ) : null}
      </span>
    );
  }
  const entity: EntityType = variantId ? 'variant' : 'product';
  return (
    <form
      className="flex flex-col gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = fieldSpec(entity, field)?.schema.safeParse(draft);
        if (parsed && !parsed.success) return setError(`${label} ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
        save.mutate(draft);
      }}
    >
      <input
        ref={inputRef}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
        aria-label={`New ${label}`}
        aria-invalid={Boolean(error)}
        className="w-full rounded border border-slate-300 px-2 py-1"
        disabled={save.isPending}
      />
      <FieldError message={error} />
    </form>
  );
}
