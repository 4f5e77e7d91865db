import type { Args, EmulatorContext } from '../context';
import { byGid, gid, type ProductRecord, parseGid, type VariantRecord } from '../state';
import { ProductView } from '../views/product';
import { VariantView } from '../views/variant';
import { logWrite, type UserError } from './common';
import { emitProduct } from './products';
import { applyVariant, createVariant, deleteVariant, type VariantInput, validateVariant } from './variants';

interface CreateVariantInput extends VariantInput {
  optionValues?: Array<{ optionName?: string; name?: string; optionId?: string }>;
  inventoryQuantities?: Array<{ locationId: string; availableQuantity: number }>;
}

const MAX_VARIANTS = 2048;

/** The option values an input names, in the product's option order; unknown options are an error. */
function selectedOf(
  p: ProductRecord,
  v: CreateVariantInput,
  field: string[],
): { selected: VariantRecord['selectedOptions']; errors: UserError[] } {
  const errors: UserError[] = [];
  const given = v.optionValues ?? [];
  if (given.length === 0) {
    errors.push({ field: [...field, 'optionValues'], message: 'Option values are required', code: 'NEED_TO_ADD_OPTION_VALUES' });
    return { selected: [], errors };
  }
  const unknown = given.filter((o) => !p.options.some((opt) => opt.name === o.optionName));
  if (unknown.length)
    errors.push({
      field: [...field, 'optionValues'],
      message: `Option does not exist: ${unknown.map((o) => o.optionName ?? o.optionId ?? '?').join(', ')}`,
      code: 'OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS',
    });
  const selected = p.options.map((opt) => ({ name: opt.name, value: given.find((o) => o.optionName === opt.name)?.name ?? '' }));
  if (selected.some((s) => !s.value))
    errors.push({ field: [...field, 'optionValues'], message: 'A value is needed for every option', code: 'NEED_TO_ADD_OPTION_VALUES' });
  return { selected, errors };
}

const sameOptions = (a: VariantRecord['selectedOptions'], b: VariantRecord['selectedOptions']) =>
  a.length === b.length && a.every((s, i) => s.name === b[i]!.name && s.value === b[i]!.value);

function checkInputs(ctx: EmulatorContext, p: ProductRecord, inputs: CreateVariantInput[]) {
  const errors: UserError[] = [];
  const selections: VariantRecord['selectedOptions'][] = [];
  const existing = p.variantIds.map((id) => ctx.state.variants.get(id)!.selectedOptions);
  if (p.variantIds.length + inputs.length > MAX_VARIANTS)
    errors.push({ field: ['variants'], message: `A product can have at most ${MAX_VARIANTS} variants`, code: 'INVALID_INPUT' });
  for (const [i, v] of inputs.entries()) {
    const field = ['variants', String(i)];
    if (v.id) errors.push({ field: [...field, 'id'], message: 'Cannot specify an id on create', code: 'INVALID_INPUT' });
    errors.push(...validateVariant(v, field));
    const { selected, errors: optionErrors } = selectedOf(p, v, field);
    errors.push(...optionErrors);
    if (optionErrors.length === 0 && [...existing, ...selections].some((s) => sameOptions(s, selected)))
      errors.push({
        field: [...field, 'optionValues'],
        message: `The variant '${selected.map((s) => s.value).join(' / ')}' already exists.`,
        code: 'VARIANT_ALREADY_EXISTS',
      });
    for (const [j, q] of (v.inventoryQuantities ?? []).entries()) {
      const loc = parseGid(q.locationId, 'Location');
      if (!loc || !ctx.state.locations.has(loc.id))
        errors.push({
          field: [...field, 'inventoryQuantities', String(j), 'locationId'],
          message: 'Location not found',
          code: 'TRACKED_VARIANT_LOCATION_NOT_FOUND',
        });
    }
    selections.push(selected);
  }
  return { errors, selections };
}

/** Whether the product holds only its standalone "Default Title" variant, which DEFAULT replaces. */
function standaloneDefault(ctx: EmulatorContext, p: ProductRecord): boolean {
  if (p.variantIds.length !== 1) return false;
  const only = ctx.state.variants.get(p.variantIds[0]!)!;
  return only.selectedOptions.length <= 1 && (only.selectedOptions[0]?.value ?? 'Default Title') === 'Default Title';
}

/**
 * productVariantsBulkCreate: new variants of an existing product, all or none (Shopify's userErrors
 * otherwise). Each is stocked where its inventoryQuantities say, else at the first active location.
 */
export function productVariantsBulkCreate(args: Args, ctx: EmulatorContext) {
  const p = byGid(ctx.state.products, args.productId, 'Product');
  if (!p)
    return {
      product: null,
      productVariants: null,
      userErrors: [{ field: ['productId'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }],
    };
  const inputs = args.variants as CreateVariantInput[];
  const { errors, selections } = checkInputs(ctx, p, inputs);
  if (errors.length) return { product: new ProductView(p, ctx), productVariants: [], userErrors: errors };
  const now = ctx.state.now();
  const strategy = (args.strategy as string | undefined) ?? 'DEFAULT';
  const replaced = strategy !== 'PRESERVE_STANDALONE_VARIANT' && standaloneDefault(ctx, p) ? p.variantIds[0]! : null;
  const created = inputs.map((v, i) => {
    const variant = createVariant(ctx, p.id, selections[i]!, p.variantIds.length + i + 1, now);
    applyVariant(ctx, variant, v, now);
    if (v.inventoryQuantities?.length) {
      const item = ctx.state.inventoryItems.get(variant.inventoryItemId)!;
      item.levels = new Map(
        v.inventoryQuantities.map((q) => [
          parseGid(q.locationId, 'Location')!.id,
          { available: q.availableQuantity, onHand: Math.max(0, q.availableQuantity), updatedAt: now },
        ]),
      );
    }
    for (const s of variant.selectedOptions) {
      const option = p.options.find((o) => o.name === s.name);
      if (option && !option.values.includes(s.value)) option.values.push(s.value);
    }
    return variant;
  });
  if (replaced !== null) deleteVariant(ctx, replaced);
  p.variantIds = [...p.variantIds.filter((id) => id !== replaced), ...created.map((v) => v.id)];
  p.variantIds.forEach((id, i) => {
    ctx.state.variants.get(id)!.position = i + 1;
  });
  p.updatedAt = now;
  ctx.state.touch();
  logWrite(
    ctx,
    'productVariantsBulkCreate',
    created.map((v) => gid('ProductVariant', v.id)),
    { productId: args.productId, variants: inputs },
  );
  emitProduct(ctx, 'PRODUCTS_UPDATE', p);
  return { product: new ProductView(p, ctx), productVariants: created.map((v) => new VariantView(v, ctx)), userErrors: [] };
}
