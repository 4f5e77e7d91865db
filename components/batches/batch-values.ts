import { fieldSpec } from '@/lib/sync/fields';
import { type MetafieldValue, metafieldText } from '@/lib/sync/metafields';
import type { EntityType } from '@/lib/sync/model';
import { formatValue } from '../ui/controls';

/**
 * A field document as a reader says it: "Price 12.50; Compare-at price —", labels from the field
 * list; a category by its full name and a metafield's reference by its target's name (`names`, by GID, as the API
 * gives them beside the values).
 */
export function describeValues(entity: string | null | undefined, doc: unknown, names?: Readonly<Record<string, string>> | null): string {
  if (!doc || typeof doc !== 'object') return formatValue(doc);
  return Object.entries(doc as Record<string, unknown>)
    .map(([name, value]) => {
      const spec = entity ? fieldSpec(entity as EntityType, name) : undefined;
      if (entity === 'metafield' && name === 'value') {
        const text = value ? metafieldText(value as MetafieldValue, new Map(Object.entries(names ?? {}))) : '—';
        return `${spec?.label || name} ${text.replace(/\s*\n\s*/g, ', ').slice(0, 80)}`;
      }
      const shown = spec?.type === 'category' && typeof value === 'string' ? (names?.[value] ?? value) : value;
      return `${spec?.label || name} ${formatValue(shown).slice(0, 80)}`;
    })
    .join('; ');
}

/** Shopify's ids (gid://...) and our internal keys are not names: an item without a title says what it is instead. */
export function readableName(text: string | null | undefined, fallback: string): string {
  if (!text || /^gid:\/\/|^local:|^[0-9a-f]{8}-[0-9a-f]{4}-/.test(text) || text.includes('gid://')) return fallback;
  return text;
}
