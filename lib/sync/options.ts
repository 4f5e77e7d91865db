import { z } from 'zod';

/**
 * A product's options and their values (the synced product field `options`), in Shopify's order:
 * `[{name: "Color", values: ["Red", "Navy"]}, {name: "Size", values: ["S", "M"]}]`. Order matters
 * (it orders the storefront's pickers and the variants), so the canonical form keeps it.
 *
 * What the desk syncs is renaming an option, renaming a value and reordering either: an edit keeps
 * the number of options and of values per option. Which option (value) of one list is which of the
 * other is decided by `matchOptions`: the same name first, then the ones left over in order; the
 * push turns that match into productOptionUpdate (renames) and productOptionsReorder (order).
 *
 * Variants' option values are not a synced field of their own, on purpose. Shopify keeps a value
 * once per option and every variant that has it points at it: a rename changes them all at once.
 * Had each variant's values been a field, the three-way classify would see a master rename of
 * "Navy" as one outgoing product change plus one outgoing change per Navy variant (local moved,
 * remote at base), and a merchant rename as as many incoming ones; approving the product's change
 * without the variants' would leave the master naming a value that no longer exists. So the
 * product's `options` is the one field (local / base / remote compared as a whole, in order), and
 * each variant's selectedOptions is read-only context (catalog meta, Shopify's names, refreshed by
 * every read): after the push, remote == local and base moves; the variants' meta follows with
 * the same read, and nothing is left to stage. `localSelectedOptions` names a variant's values as
 * the master does (export, import) while a rename waits for its push. Moving one variant to
 * another value is not an edit the desk makes (the CSV import refuses it with the reason).
 */
export interface ProductOption {
  name: string;
  values: string[];
}

export const MAX_OPTIONS = 3;
const MAX_NAME = 255;

/** Shopify's product without options: one option "Title" with the value "Default Title". */
function isDefaultOnly(options: ProductOption[]): boolean {
  return (
    options.length === 1 && options[0]!.name === 'Title' && options[0]!.values.length === 1 && options[0]!.values[0] === 'Default Title'
  );
}

/**
 * The canonical form of options as Shopify answers them (`optionValues: [{name}]` or `values`), as
 * the master stores them, or as a person gives them. Shopify's default option of a product without
 * options reads as none (`[]`), as a product made in the master without options holds it.
 */
export function normalizeOptions(value: unknown): ProductOption[] {
  if (!Array.isArray(value)) return [];
  const options = value
    .filter((o): o is Record<string, unknown> => o !== null && typeof o === 'object')
    .map((o) => {
      const raw = Array.isArray(o.optionValues) ? o.optionValues : Array.isArray(o.values) ? o.values : [];
      const values = raw.map((v: unknown) => (v !== null && typeof v === 'object' ? (v as { name?: unknown }).name : v));
      return { name: String(o.name ?? '').trim(), values: values.map((v: unknown) => String(v ?? '').trim()) };
    });
  return isDefaultOnly(options) ? [] : options;
}

const nameSchema = (what: string) =>
  z.string().trim().min(1, `${what} must not be blank`).max(MAX_NAME, `${what} must be at most ${MAX_NAME} characters`);

const distinct = (list: string[]) => new Set(list.map((x) => x.toLowerCase())).size === list.length;

/** Options a person gives (edit, import, a custom resolution): at most 3, named, each with distinct values. */
export const optionsSchema = z
  .array(
    z.strictObject({
      name: nameSchema('An option name'),
      values: z
        .array(nameSchema('An option value'))
        .min(1, 'an option needs at least one value')
        .max(2048)
        .refine(distinct, { message: 'the values of an option must differ from each other' }),
    }),
  )
  .max(MAX_OPTIONS, `a product has at most ${MAX_OPTIONS} options`)
  .refine((list) => distinct(list.map((o) => o.name)), { message: 'option names must differ from each other' })
  .transform(normalizeOptions);

/** Position of each item of `after` in `before`: the same name first, then the unmatched ones in order. */
function matchNames(before: readonly string[], after: readonly string[]): number[] {
  const from = after.map((name) => before.indexOf(name));
  const free = before.map((_, i) => i).filter((i) => !from.includes(i));
  return from.map((i) => (i >= 0 ? i : free.shift()!));
}

/** One option of the edited list: where it was, and where each of its values was. */
export interface OptionMatch {
  from: number;
  name: string;
  values: Array<{ from: number; name: string }>;
}

/**
 * Which option and value of `before` each one of `after` is (see the file's comment), or why the
 * edit is more than renames and reorders (options or values added or removed).
 */
export function matchOptions(
  before: readonly ProductOption[],
  after: readonly ProductOption[],
): { ok: true; options: OptionMatch[] } | { ok: false; message: string } {
  if (before.length !== after.length) {
    return {
      ok: false,
      message: `has ${after.length} option(s) where the product has ${before.length}: options can be renamed and reordered`,
    };
  }
  const optionFrom = matchNames(
    before.map((o) => o.name),
    after.map((o) => o.name),
  );
  const options: OptionMatch[] = [];
  for (const [i, option] of after.entries()) {
    const was = before[optionFrom[i]!]!;
    if (was.values.length !== option.values.length) {
      const counts = `has ${option.values.length} value(s) where "${was.name}" has ${was.values.length}`;
      return { ok: false, message: `option "${option.name}" ${counts}: values can be renamed and reordered` };
    }
    const valueFrom = matchNames(was.values, option.values);
    options.push({ from: optionFrom[i]!, name: option.name, values: option.values.map((name, j) => ({ from: valueFrom[j]!, name })) });
  }
  return { ok: true, options };
}

/** Options as one line of text: "Color: Red, Navy · Size: S, M" (none: "No options"). */
export function formatOptions(options: readonly ProductOption[]): string {
  return options.length ? options.map((o) => `${o.name}: ${o.values.join(', ')}`).join(' · ') : 'No options';
}

/**
 * The line formatOptions writes, read back (a reviewer's custom value): options split at "·",
 * name and values at the first ":", values at ",". Values holding a comma cannot be typed so.
 */
export function parseOptionsText(text: string): Array<{ name: string; values: string[] }> {
  if (text.trim() === '' || text.trim() === 'No options') return [];
  return text.split('·').map((part) => {
    const at = part.indexOf(':');
    const values = at < 0 ? [] : part.slice(at + 1).split(',');
    return { name: (at < 0 ? part : part.slice(0, at)).trim(), values: values.map((v) => v.trim()).filter(Boolean) };
  });
}

/** Whether a value is a list of options (the review shows it with formatOptions). */
export function isOptionList(value: unknown): value is ProductOption[] {
  return Array.isArray(value) && value.length > 0 && value.every((o) => o !== null && typeof o === 'object' && Array.isArray(o.values));
}

/** What an edit of the options does, in words for the review ("Color → Colour", "Navy → Navy blue", "order of Size"). */
export function describeOptionsChange(before: readonly ProductOption[], after: readonly ProductOption[]): string[] {
  const match = matchOptions(before, after);
  if (!match.ok) return [match.message];
  const out: string[] = [];
  if (match.options.some((o, i) => o.from !== i)) out.push(`options reordered: ${after.map((o) => o.name).join(', ')}`);
  for (const o of match.options) {
    const was = before[o.from]!;
    if (was.name !== o.name) out.push(`option ${was.name} → ${o.name}`);
    for (const v of o.values) if (was.values[v.from] !== v.name) out.push(`${o.name}: ${was.values[v.from]} → ${v.name}`);
    if (o.values.some((v, j) => v.from !== j)) out.push(`${o.name} values reordered: ${o.values.map((v) => v.name).join(', ')}`);
  }
  return out;
}

/**
 * A variant's option values (Shopify's names, as read) named as the master's options name them:
 * each value of `remote` is looked up by position and renamed by the match of `remote` to `local`,
 * in the master's option order. Unchanged when the two are not renames of each other.
 */
export function localSelectedOptions(
  remote: readonly ProductOption[],
  local: readonly ProductOption[],
  selected: ReadonlyArray<{ name: string; value: string }>,
): Array<{ name: string; value: string }> {
  const match = matchOptions(remote, local);
  if (!match.ok || local.length === 0) return [...selected];
  return match.options.map((o) => {
    const was = remote[o.from]!;
    const value = selected.find((s) => s.name === was.name)?.value ?? '';
    const v = o.values.find((x) => was.values[x.from] === value);
    return { name: o.name, value: v?.name ?? value };
  });
}

/**
 * The options `base` becomes with the values `variants` bring, as Shopify lists them in `remote`
 * (Shopify adds a value a new variant names to its option, and keeps the option's order): each
 * option of `base` with the values of `remote` that `base` has or one of `variants` names. Null
 * when `remote` is not `base` plus values (an option renamed, reordered, dropped, a value gone or
 * moved, a variant's value missing): that is an options edit of its own.
 */
export function optionsWithVariants(
  base: readonly ProductOption[],
  remote: readonly ProductOption[],
  variants: ReadonlyArray<ReadonlyArray<{ name: string; value: string }>>,
): ProductOption[] | null {
  if (base.length !== remote.length || base.length === 0) return null;
  const out: ProductOption[] = [];
  for (const [i, option] of base.entries()) {
    const there = remote[i]!;
    if (there.name !== option.name) return null;
    const brought = new Set(variants.map((v) => v.find((o) => o.name === option.name)?.value));
    if (brought.has(undefined)) return null;
    const values = there.values.filter((v) => option.values.includes(v) || brought.has(v));
    const kept = values.filter((v) => option.values.includes(v));
    if (kept.length !== option.values.length || kept.some((v, j) => v !== option.values[j])) return null;
    if ([...brought].some((v) => !values.includes(v!))) return null;
    out.push({ name: option.name, values });
  }
  return out;
}

/** Whether `remote` is exactly `base` with the values `variants` bring (see optionsWithVariants). */
export function onlyAddedByVariants(
  base: readonly ProductOption[],
  remote: readonly ProductOption[],
  variants: ReadonlyArray<ReadonlyArray<{ name: string; value: string }>>,
): boolean {
  if (variants.length === 0) return false;
  const expected = optionsWithVariants(base, remote, variants);
  return expected !== null && JSON.stringify(expected) === JSON.stringify(normalizeOptions(remote));
}
