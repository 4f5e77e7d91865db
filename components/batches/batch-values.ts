import { fieldSpec } from '@/lib/sync/fields';
import type { EntityType } from '@/lib/sync/model';
import { formatValue } from '../ui/controls';

/** A field document as a reader says it: "Price 12.50; Compare-at price —", labels from the field list. */
export function describeValues(entity: string | null | undefined, doc: unknown): string {
  if (!doc || typeof doc !== 'object') return formatValue(doc);
  return Object.entries(doc as Record<string, unknown>)
    .map(([name, value]) => `${(entity && fieldSpec(entity as EntityType, name)?.label) || name} ${formatValue(value).slice(0, 80)}`)
    .join('; ');
}

/** Shopify's ids (gid://...) and our internal keys are not names: an item without a title says what it is instead. */
export function readableName(text: string | null | undefined, fallback: string): string {
  if (!text || /^gid:\/\/|^local:|^[0-9a-f]{8}-[0-9a-f]{4}-/.test(text) || text.includes('gid://')) return fallback;
  return text;
}
