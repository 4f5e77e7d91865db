import type { ProductView } from '@/lib/dashboard/schemas';
import { isListType, isReferenceType } from '@/lib/sync/metafields';

export type MetafieldView = ProductView['metafields'][number];

/** How a metafield is edited: the control its type calls for (a reference is shown, not edited, here). */
export type MetafieldControl = 'text' | 'multiline' | 'integer' | 'decimal' | 'boolean' | 'date' | 'url' | 'json' | 'list' | 'reference';

const JSON_LIKE = new Set(['json', 'rating', 'dimension', 'weight', 'volume', 'money', 'link', 'rich_text_field']);

export function metafieldControl(type: string): MetafieldControl {
  if (isReferenceType(type)) return 'reference';
  if (isListType(type)) return 'list';
  if (JSON_LIKE.has(type)) return 'json';
  const byType: Record<string, MetafieldControl> = {
    multi_line_text_field: 'multiline',
    number_integer: 'integer',
    number_decimal: 'decimal',
    boolean: 'boolean',
    date: 'date',
    url: 'url',
  };
  return byType[type] ?? 'text';
}

/** A metafield's value as the text its control holds ("" for none; a list one item a line, JSON pretty). */
export function metafieldDraft(m: Pick<MetafieldView, 'type' | 'value'>): string {
  if (m.value === null || m.value === undefined) return '';
  const control = metafieldControl(m.type);
  if (control === 'list' && Array.isArray(m.value)) return m.value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');
  if (control === 'json') return JSON.stringify(m.value, null, 2);
  return String(m.value);
}

/**
 * The control's text as the value PATCH takes (the server checks it against the type): blank is no
 * value (null), a list is its non-blank lines, JSON must parse. A reason instead when it cannot be sent.
 */
export function metafieldEditValue(type: string, draft: string): { value: unknown } | { problem: string } {
  const control = metafieldControl(type);
  if (control === 'multiline' ? draft === '' : draft.trim() === '') return { value: null };
  if (control === 'list')
    return {
      value: draft
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    };
  if (control === 'json') {
    try {
      return { value: JSON.parse(draft) };
    } catch {
      return { problem: 'is not valid JSON' };
    }
  }
  if (control === 'boolean') return { value: draft === 'true' };
  return { value: control === 'multiline' ? draft : draft.trim() };
}

/** The name people read for a metafield: its definition's name, else namespace.key. */
export const metafieldName = (m: Pick<MetafieldView, 'name' | 'namespace' | 'key'>) => m.name || `${m.namespace}.${m.key}`;
