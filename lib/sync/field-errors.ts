import { ENTITY_FIELDS, type FieldSpec, fieldsOf } from './fields';
import type { EntityType } from './model';

/** A Shopify userError as the push receives it: `field` is the input path (["product", "handle"], ["variants", "0", "price"]). */
export interface FieldError {
  field?: readonly string[] | null;
  message: string;
}

/** Inventory mutations name the quantity, which the field list keeps as "available". */
const QUANTITY_PATH = /^(quantity|quantities|changeFromQuantity|delta)$/;

/**
 * The synced field a userError's path points at: the path's tail (numeric indexes dropped) matched
 * against each field's write path, read path and name, among the entity's fields first, then any
 * entity's (a product update's error reaches the membership items written with it).
 */
export function fieldOfErrorPath(entity: EntityType, path: readonly string[] | null | undefined): FieldSpec | undefined {
  const parts = (path ?? []).filter((p) => !/^\d+$/.test(p));
  if (parts.length === 0) return undefined;
  if (entity === 'inventory_level' && QUANTITY_PATH.test(parts.at(-1)!)) return fieldsOf('inventory_level')[0];
  const lists = [fieldsOf(entity), ...Object.values(ENTITY_FIELDS).filter((l) => l !== fieldsOf(entity))];
  for (let from = 0; from < parts.length; from++) {
    const tail = parts.slice(from).join('.');
    for (const list of lists) {
      const spec = list.find((f) => f.shopify?.write === tail || f.shopify?.read === tail || f.name === tail);
      if (spec) return spec;
    }
  }
  return undefined;
}

/**
 * Shopify's userErrors as one message for an item of `entity`, each naming its field by label
 * ("Handle: Handle 'cap' already in use"), so the review can say which value was refused.
 */
export function userErrorsText(entity: EntityType, errors: readonly FieldError[]): string {
  return errors
    .map((e) => {
      const spec = fieldOfErrorPath(entity, e.field);
      if (spec) return `${spec.label}: ${e.message}`;
      return e.field?.length ? `${e.field.join('.')}: ${e.message}` : e.message;
    })
    .join('; ');
}

/**
 * The label of the field a stored push error names: the "Label: " its message starts with (as
 * userErrorsText writes it), or a label the message opens with ("Handle has already been taken").
 */
export function failedFieldLabel(entity: string, error: string): string | null {
  const own = (ENTITY_FIELDS as Record<string, readonly FieldSpec[] | undefined>)[entity] ?? [];
  const labels = [...new Set([...own, ...Object.values(ENTITY_FIELDS).flat()].map((f) => f.label))].sort((a, b) => b.length - a.length);
  const text = error.trim();
  return (
    labels.find((l) => text.startsWith(`${l}:`)) ??
    labels.find((l) => own.some((f) => f.label === l) && new RegExp(`^${escapeRegExp(l)}\\b`, 'i').test(text)) ??
    null
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
