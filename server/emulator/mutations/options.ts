import { GraphQLError } from 'graphql';
import type { Args, EmulatorContext } from '../context';
import { byGid, gid, optionValueIds, type ProductRecord } from '../state';
import { ProductView } from '../views/product';
import { logWrite, type UserError } from './common';
import { emitProduct } from './products';

/**
 * productOptionUpdate (rename an option and its values) and productOptionsReorder (order of options
 * and values). As in Shopify, the variants follow: their selectedOptions and titles take the new
 * names, and a reorder moves them into the order of the options' values. Adding, deleting and
 * repositioning through productOptionUpdate, and linked metafields, are not emulated (a GraphQL
 * error naming the argument, never a silent no-op).
 */

type Option = ProductRecord['options'][number];
const MAX_NAME = 255;

const fail = (userErrors: UserError[]) => ({ product: null, userErrors });

function notEmulated(mutation: string, argument: string): never {
  throw new GraphQLError(`Argument '${mutation}.${argument}' is not emulated by the local Shopify emulator.`, {
    extensions: { code: 'NOT_EMULATED' },
  });
}

/**
 * The variants' selected options in the options' order, their titles, and their positions in the
 * order of the options' values (the first option's values first), as Shopify leaves them.
 */
function followOptions(ctx: EmulatorContext, p: ProductRecord, now: string) {
  const variants = p.variantIds.map((id) => ctx.state.variants.get(id)).filter((v) => v !== undefined);
  const selectedValue = (v: (typeof variants)[number], o: Option) => v.selectedOptions.find((s) => s.name === o.name)?.value ?? '';
  for (const v of variants) {
    v.selectedOptions = p.options.map((o) => ({ name: o.name, value: selectedValue(v, o) }));
    v.title = v.selectedOptions.map((s) => s.value).join(' / ') || 'Default Title';
    v.updatedAt = now;
  }
  const rank = (v: (typeof variants)[number]) => p.options.map((o) => o.values.indexOf(selectedValue(v, o)));
  const sorted = variants
    .map((v) => ({ v, key: rank(v) }))
    .sort((a, b) => a.key.reduce((d, x, i) => d || x - b.key[i]!, 0) || a.v.position - b.v.position);
  sorted.forEach(({ v }, i) => {
    v.position = i + 1;
  });
  p.variantIds = sorted.map(({ v }) => v.id);
}

function touched(ctx: EmulatorContext, p: ProductRecord, mutation: string, input: unknown) {
  p.updatedAt = ctx.state.now();
  ctx.state.touch();
  logWrite(ctx, mutation, [gid('Product', p.id)], input);
  emitProduct(ctx, 'PRODUCTS_UPDATE', p);
  return { product: new ProductView(p, ctx), userErrors: [] };
}

interface OptionUpdateInput {
  id: string;
  name?: string | null;
  position?: number | null;
  linkedMetafield?: unknown;
}

export function productOptionUpdate(args: Args, ctx: EmulatorContext) {
  const input = args.option as OptionUpdateInput;
  if ((args.optionValuesToAdd as unknown[] | undefined)?.length) notEmulated('productOptionUpdate', 'optionValuesToAdd');
  if ((args.optionValuesToDelete as unknown[] | undefined)?.length) notEmulated('productOptionUpdate', 'optionValuesToDelete');
  if (input.position != null) notEmulated('productOptionUpdate', 'option.position');
  if (input.linkedMetafield != null) notEmulated('productOptionUpdate', 'option.linkedMetafield');
  const p = byGid(ctx.state.products, args.productId, 'Product');
  if (!p) return fail([{ field: ['productId'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }]);
  const option = p.options.find((o) => gid('ProductOption', o.id) === input.id);
  if (!option) return fail([{ field: ['option', 'id'], message: 'Option does not exist', code: 'OPTION_DOES_NOT_EXIST' }]);

  const errors: UserError[] = [];
  const name = input.name == null ? option.name : input.name.trim();
  if (!name) errors.push({ field: ['option', 'name'], message: 'Option name cannot be blank', code: 'INVALID_NAME' });
  else if (name.length > MAX_NAME)
    errors.push({
      field: ['option', 'name'],
      message: `Option name is too long (maximum is ${MAX_NAME} characters)`,
      code: 'OPTION_NAME_TOO_LONG',
    });
  else if (p.options.some((o) => o !== option && o.name.toLowerCase() === name.toLowerCase()))
    errors.push({ field: ['option', 'name'], message: `Option '${name}' already exists`, code: 'OPTION_ALREADY_EXISTS' });

  const ids = optionValueIds(option);
  const values = [...option.values];
  const updates = (args.optionValuesToUpdate as Array<{ id: string; name?: string | null; linkedMetafieldValue?: unknown }>) ?? [];
  for (const [i, u] of updates.entries()) {
    if (u.linkedMetafieldValue != null) notEmulated('productOptionUpdate', 'optionValuesToUpdate.linkedMetafieldValue');
    const j = ids.findIndex((id) => gid('ProductOptionValue', id) === u.id);
    const field = ['optionValuesToUpdate', String(i)];
    const value = u.name?.trim() ?? '';
    if (j < 0) errors.push({ field: [...field, 'id'], message: 'Option value does not exist', code: 'OPTION_VALUE_DOES_NOT_EXIST' });
    else if (!value) errors.push({ field: [...field, 'name'], message: 'Option value name cannot be blank', code: 'INVALID_NAME' });
    else if (value.length > MAX_NAME)
      errors.push({
        field: [...field, 'name'],
        message: `Option value name is too long (maximum is ${MAX_NAME} characters)`,
        code: 'OPTION_VALUE_NAME_TOO_LONG',
      });
    else values[j] = value;
  }
  if (!errors.length && new Set(values.map((v) => v.toLowerCase())).size !== values.length)
    errors.push({ field: ['optionValuesToUpdate'], message: 'Option values must be unique', code: 'DUPLICATED_OPTION_VALUE' });
  if (errors.length) return fail(errors);

  const renamed = new Map(option.values.map((v, j) => [v, values[j]!] as const));
  const was = option.name;
  option.valueIds = ids;
  option.name = name;
  option.values = values;
  const now = ctx.state.now();
  for (const v of p.variantIds.map((id) => ctx.state.variants.get(id)).filter((x) => x !== undefined)) {
    v.selectedOptions = v.selectedOptions.map((s) => (s.name === was ? { name, value: renamed.get(s.value) ?? s.value } : s));
  }
  followOptions(ctx, p, now);
  return touched(ctx, p, 'productOptionUpdate', { productId: args.productId, option: input, optionValuesToUpdate: updates });
}

type Ref = { id?: string | null; name?: string | null };

/** The item a reorder input names, by id or by name (never both kinds in one call). */
function find<T>(list: T[], ref: Ref, idOf: (t: T) => string, nameOf: (t: T) => string): T | undefined {
  return ref.id != null ? list.find((t) => idOf(t) === ref.id) : list.find((t) => nameOf(t) === ref.name);
}

export function productOptionsReorder(args: Args, ctx: EmulatorContext) {
  const p = byGid(ctx.state.products, args.productId, 'Product');
  if (!p) return fail([{ field: ['productId'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }]);
  const input = (args.options as Array<Ref & { values?: Ref[] | null }>) ?? [];
  const refs = input.flatMap((o) => [o, ...(o.values ?? [])]);
  if (refs.some((r) => r.id == null && r.name == null))
    return fail([{ field: ['options'], message: 'Each option and value needs an id or a name', code: 'NO_KEY_ON_REORDER' }]);
  if (refs.some((r) => r.id != null) && refs.some((r) => r.id == null))
    return fail([
      { field: ['options'], message: 'Options are named either by id or by name', code: 'MIXING_ID_AND_NAME_KEYS_IS_NOT_ALLOWED' },
    ]);

  const errors: UserError[] = [];
  const ordered: Option[] = [];
  for (const [i, o] of input.entries()) {
    const option = find(
      p.options,
      o,
      (x) => gid('ProductOption', x.id),
      (x) => x.name,
    );
    const field = ['options', String(i)];
    if (!option) {
      const code = o.id != null ? 'OPTION_ID_DOES_NOT_EXIST' : 'OPTION_NAME_DOES_NOT_EXIST';
      errors.push({ field, message: 'Option does not exist', code });
      continue;
    }
    if (ordered.includes(option)) {
      errors.push({ field, message: `Option '${option.name}' is given twice`, code: 'DUPLICATED_OPTION_NAME' });
      continue;
    }
    ordered.push(option);
    if (!o.values) continue;
    const ids = optionValueIds(option);
    const positions: number[] = [];
    for (const [j, v] of o.values.entries()) {
      const at = v.id != null ? ids.findIndex((id) => gid('ProductOptionValue', id) === v.id) : option.values.indexOf(v.name ?? '');
      const valueField = [...field, 'values', String(j)];
      if (at < 0) {
        const code = v.id != null ? 'OPTION_VALUE_ID_DOES_NOT_EXIST' : 'OPTION_VALUE_DOES_NOT_EXIST';
        errors.push({ field: valueField, message: 'Option value does not exist', code });
      } else if (positions.includes(at))
        errors.push({ field: valueField, message: `Value '${option.values[at]}' is given twice`, code: 'DUPLICATED_OPTION_VALUE' });
      else positions.push(at);
    }
    if (positions.length === o.values.length && positions.length !== option.values.length)
      errors.push({ field: [...field, 'values'], message: `All values of '${option.name}' must be given`, code: 'MISSING_OPTION_VALUE' });
  }
  if (!errors.length && ordered.length !== p.options.length)
    errors.push({ field: ['options'], message: 'All options of the product must be given', code: 'MISSING_OPTION_NAME' });
  if (errors.length) return fail(errors);

  for (const [i, o] of input.entries()) {
    if (!o.values) continue;
    const option = ordered[i]!;
    const ids = optionValueIds(option);
    const order = o.values.map((v) =>
      v.id != null ? ids.findIndex((id) => gid('ProductOptionValue', id) === v.id) : option.values.indexOf(v.name!),
    );
    option.valueIds = order.map((j) => ids[j]!);
    option.values = order.map((j) => option.values[j]!);
  }
  p.options = ordered;
  followOptions(ctx, p, ctx.state.now());
  return touched(ctx, p, 'productOptionsReorder', { productId: args.productId, options: input });
}
