import { matchOptions, normalizeOptions, optionsSchema, type ProductOption } from '../../../lib/sync/options';
import type { ProductEntry } from './catalog-index';
import type { Given, ReadRow } from './read-row';

/**
 * Option renames a file makes (Shopify's Option1 Name / Option1 Value columns). A name cell that
 * differs from the master's option name at that position renames the option; a value cell that
 * differs from the value the row's variant has (the variant found by its SKU) renames that value,
 * for every variant that has it: Shopify keeps a value once per option, not per variant. So a
 * file must not rename one value two ways, nor keep it on one row and rename it on another, nor
 * give a variant another existing value (that moves a variant, which the desk does not do):
 * such rows are refused with both rows named. Answers the options the file makes, as a product
 * value for the import's plan (null: the file renames nothing).
 */
export function planOptionRenames(product: ProductEntry, group: ReadRow[]): (Given & { row: number }) | null {
  const local = normalizeOptions(product.local.options);
  if (local.length === 0) return null;
  const next: ProductOption[] = local.map((o) => ({ name: o.name, values: [...o.values] }));
  let first: { row: number; column: string } | null = null;
  const note = (row: number, column: string) => {
    first ??= { row, column };
  };

  const names = new Map<number, { text: string; row: number }>();
  for (const r of group) {
    for (const [i, cell] of r.optionCells.names.entries()) {
      if (!cell || i >= local.length) continue;
      const seen = names.get(i);
      if (seen && seen.text !== cell.text)
        r.errors.push({
          row: r.row,
          column: cell.column,
          reason: `${cell.column} is "${cell.text}" here but "${seen.text}" on row ${seen.row}`,
        });
      else if (!seen) names.set(i, { text: cell.text, row: r.row });
      if (!seen && cell.text !== local[i]!.name) {
        next[i]!.name = cell.text;
        note(r.row, cell.column);
      }
    }
  }

  // Per option: old value -> its new name and the row that renamed it; values rows keep, and where.
  const renames = local.map(() => new Map<string, { text: string; row: number }>());
  const kept = local.map(() => new Map<string, number>());
  for (const r of group) {
    if (!r.variant) continue;
    for (const [i, cell] of r.optionCells.values.entries()) {
      const has = r.variant.options[i];
      if (!cell || has === undefined || i >= local.length) continue;
      const refuse = (reason: string) => r.errors.push({ row: r.row, column: cell.column, reason });
      const renamed = renames[i]!.get(has);
      // The same value in another case is the same value: a row without a SKU finds its variant that way.
      if (cell.text.toLowerCase() === has.toLowerCase()) {
        if (renamed)
          refuse(`row ${renamed.row} renames "${has}" to "${renamed.text}" but this row keeps it: a value is renamed in every variant`);
        else kept[i]!.set(has, r.row);
      } else if (local[i]!.values.includes(cell.text) && !renames[i]!.has(cell.text)) {
        refuse(`this variant has "${has}"; "${cell.text}" is another value of ${local[i]!.name}: rename a value, not a variant's choice`);
      } else if (renamed && renamed.text !== cell.text) {
        refuse(`renames "${has}" to "${cell.text}" here but to "${renamed.text}" on row ${renamed.row}`);
      } else if (kept[i]!.has(has)) {
        refuse(`renames "${has}" to "${cell.text}" but row ${kept[i]!.get(has)} keeps it: a value is renamed in every variant`);
      } else if (!renamed) {
        renames[i]!.set(has, { text: cell.text, row: r.row });
        const at = next[i]!.values.indexOf(has);
        if (at >= 0) next[i]!.values[at] = cell.text;
        note(r.row, cell.column);
      }
    }
  }
  if (!first) return null;
  const { row, column } = first as { row: number; column: string };
  const checked = optionsSchema.safeParse(next);
  const matched = checked.success ? matchOptions(local, checked.data) : null;
  const problem = !checked.success ? checked.error.issues[0]?.message : matched && !matched.ok ? matched.message : null;
  if (problem) {
    group.find((r) => r.row === row)!.errors.push({ row, column, reason: `the options this file gives are refused: ${problem}` });
    return null;
  }
  return { value: checked.data, column, raw: JSON.stringify(checked.data), row };
}
