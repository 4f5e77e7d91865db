'use client';

import clsx from 'clsx';
import type { ProductView } from '@/lib/dashboard/schemas';
import { FieldError } from '../ui/field-error';
import { CONTROL } from '../ui/fields';
import { type MetafieldView, metafieldControl, metafieldName } from './metafield-draft';

/** The catalog's address of a metafield in the editor's drafts and errors. */
export const metafieldId = (m: Pick<MetafieldView, 'namespace' | 'key'>) => `${m.namespace}.${m.key}`;

/** A type as people read it ("list.single_line_text_field": "List of single line text"). */
function typeName(type: string): string {
  const list = type.startsWith('list.');
  const item = (list ? type.slice(5) : type).replace(/_field$/, '').replace(/_/g, ' ');
  const words: Record<string, string> = { 'number integer': 'whole number', 'number decimal': 'decimal number', boolean: 'yes or no' };
  const name = words[item] ?? item;
  return list ? `List of ${name}, one item per line` : `${name[0]!.toUpperCase()}${name.slice(1)}`;
}

/**
 * Each product metafield under its definition's name, by its type: a text box, a multi-line box, a
 * number, Yes/No, a date, a URL, JSON or a list (one item a line). A reference is shown by the title
 * of what it points at when the app knows it, else by its id, and is not edited here.
 */
export function MetafieldFields({
  product,
  drafts,
  errors,
  disabled,
  onDraft,
}: {
  product: ProductView;
  drafts: Record<string, string>;
  errors: Record<string, string>;
  disabled: boolean;
  onDraft: (id: string, text: string) => void;
}) {
  if (product.metafields.length === 0)
    return <p className="text-sm text-slate-600">The store defines no product metafields, and this product has none.</p>;
  return (
    <div className="grid grid-cols-1 gap-4 md:grid-cols-2" data-testid="metafield-fields">
      {product.metafields.map((m) => {
        const id = metafieldId(m);
        return (
          <MetafieldField
            key={id}
            metafield={m}
            titles={product.referenceTitles}
            draft={drafts[id] ?? ''}
            error={errors[`metafield:${id}`] ?? null}
            disabled={disabled}
            onDraft={(text) => onDraft(id, text)}
          />
        );
      })}
    </div>
  );
}

function MetafieldField({
  metafield: m,
  titles,
  draft,
  error,
  disabled,
  onDraft,
}: {
  metafield: MetafieldView;
  titles: Record<string, string>;
  draft: string;
  error: string | null;
  disabled: boolean;
  onDraft: (text: string) => void;
}) {
  const control = metafieldControl(m.type);
  const name = metafieldName(m);
  const inputId = `metafield-${m.namespace}-${m.key}`;
  const common = {
    id: inputId,
    disabled,
    'aria-invalid': Boolean(error),
    'aria-describedby': `${inputId}-about`,
    'data-testid': 'metafield-input',
    className: clsx(CONTROL, 'w-full min-w-0', error && 'border-red-500'),
  };
  return (
    <div className="flex min-w-0 flex-col gap-1" data-testid="metafield-field" data-metafield={metafieldId(m)}>
      <label htmlFor={inputId} className="text-sm font-medium text-slate-800">
        {name}
      </label>
      <p id={`${inputId}-about`} className="text-xs text-slate-500">
        {typeName(m.type)} · <span className="font-mono">{metafieldId(m)}</span>
      </p>
      {control === 'reference' ? (
        <ReferenceValue value={m.value} titles={titles} />
      ) : control === 'boolean' ? (
        <select {...common} value={draft} onChange={(e) => onDraft(e.target.value)}>
          <option value="">No value</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      ) : control === 'multiline' || control === 'json' || control === 'list' ? (
        <textarea
          {...common}
          rows={control === 'json' ? 5 : 3}
          className={clsx(common.className, control === 'json' && 'font-mono text-xs')}
          value={draft}
          onChange={(e) => onDraft(e.target.value)}
        />
      ) : (
        <input
          {...common}
          type={
            control === 'integer' || control === 'decimal' ? 'number' : control === 'date' ? 'date' : control === 'url' ? 'url' : 'text'
          }
          step={control === 'integer' ? 1 : control === 'decimal' ? 'any' : undefined}
          value={draft}
          onChange={(e) => onDraft(e.target.value)}
        />
      )}
      <FieldError message={error} />
    </div>
  );
}

function ReferenceValue({ value, titles }: { value: unknown; titles: Record<string, string> }) {
  const ids = (Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]).map(String);
  if (ids.length === 0) return <p className="text-sm text-slate-500">No value</p>;
  return (
    <ul className="text-sm text-slate-900" data-testid="metafield-reference">
      {ids.map((id) => (
        <li key={id} className="break-all">
          {titles[id] ?? <span className="font-mono text-xs">{id}</span>}
        </li>
      ))}
      <li className="text-xs text-slate-500">References are changed in Shopify or by CSV import, not here.</li>
    </ul>
  );
}
