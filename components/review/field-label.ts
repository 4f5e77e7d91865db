import { type FieldSpec, fieldSpec } from '@/lib/sync/fields';
import type { EntityType } from '@/lib/sync/model';

/** The spec of a field of a change; the API names entities as strings. */
export function specOf(entity: string, name: string): FieldSpec | undefined {
  return fieldSpec(entity as EntityType, name);
}

/** A field's label, or its name for a field the list does not know. */
export function fieldLabel(entity: string, name: string): string {
  return specOf(entity, name)?.label ?? name;
}

/**
 * Whether a change of the field shows a delta ("+2.00 (+20%)"): amounts and stock counts. Not a
 * weight (its number means nothing without its unit) nor an image's place in the list.
 */
export function hasDelta(entity: string, name: string): boolean {
  const type = specOf(entity, name)?.type;
  return type === 'money' || (type === 'integer' && entity === 'inventory_level');
}
