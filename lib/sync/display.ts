import { fieldSpec } from './fields';
import type { EntityType, FieldDiff } from './model';
import { weightLabel } from './weight';

/**
 * How people read the values of fields whose stored form is not what they say: a category is kept
 * as its taxonomy GID and read as its full name; a weight is read with its unit ("1.5 kg").
 * The API adds these beside the values (`display`), which stay as stored for decisions.
 */

export type Side = 'base' | 'local' | 'remote';

export interface DisplayContext {
  /** Full names of taxonomy categories, by GID (server/catalog/taxonomy.ts). */
  categoryNames: ReadonlyMap<string, string>;
  /** The entity's weight unit on each side, for a weight shown without its unit's change. */
  weightUnits?: Partial<Record<Side, unknown>>;
}

/** A value as people read it; null when it reads as it is stored. */
export function displayValue(entity: EntityType, name: string, value: unknown, context: DisplayContext, side?: Side): string | null {
  if (value === null || value === undefined) return null;
  const spec = fieldSpec(entity, name);
  if (spec?.type === 'category') return context.categoryNames.get(String(value)) ?? null;
  if (name === 'weight' && entity === 'variant') return weightLabel(value, side ? context.weightUnits?.[side] : undefined) || null;
  return null;
}

/** The readable form of a diff's three values, when any of them reads differently from how it is stored. */
export function diffDisplay(entity: EntityType, diff: FieldDiff, context: DisplayContext): Record<Side, string | null> | undefined {
  const sides: Side[] = ['base', 'local', 'remote'];
  const out = Object.fromEntries(sides.map((s) => [s, displayValue(entity, diff.name, diff[s], context, s)])) as Record<
    Side,
    string | null
  >;
  return sides.some((s) => out[s] !== null) ? out : undefined;
}
