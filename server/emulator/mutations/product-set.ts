import type { Args, EmulatorContext } from '../context';
import { byGid, gid, handleize, ID_START, type ProductRecord, parseGid } from '../state';
import { ProductView } from '../views/product';
import { checkCollections, setMembership } from './collections';
import { logWrite, type UserError } from './common';
import { applyProductFields, emitProduct, type ProductFields, validateProductFields } from './products';
import { applyVariant, createVariant, deleteVariant, type VariantInput, validateVariant } from './variants';

interface SetVariantInput extends VariantInput {
  sku?: string | null;
  optionValues?: Array<{ optionName?: string; name?: string }>;
  inventoryQuantities?: Array<{ locationId: string; name: string; quantity: number }>;
}

interface SetInput extends ProductFields {
  id?: string;
  collections?: string[];
  productOptions?: Array<{ name: string; values?: Array<{ name: string }> }>;
  variants?: SetVariantInput[];
}

type Identifier = { id?: string; handle?: string } | undefined;

const OPTION_ID_START = 10_000_000_001;

/** productSet takes a variant's sku beside its other fields; the variant writer reads it from inventoryItem. */
function variantInput(v: SetVariantInput): VariantInput {
  return { ...v, inventoryItem: { ...v.inventoryItem, ...(v.sku !== undefined ? { sku: v.sku } : {}) } };
}

/** The product productSet writes to: by id (which must exist), by handle (which may not), or none (a create). */
function findTarget(ctx: EmulatorContext, identifier: Identifier, input: SetInput): { existing?: ProductRecord; missing?: boolean } {
  const idRaw = identifier?.id ?? input.id;
  if (idRaw) {
    const existing = byGid(ctx.state.products, idRaw, 'Product');
    return existing ? { existing } : { missing: true };
  }
  const id = identifier?.handle ? ctx.state.handles.get(identifier.handle) : undefined;
  return { existing: id === undefined ? undefined : ctx.state.products.get(id) };
}

function checkSetInput(ctx: EmulatorContext, input: SetInput, existing: ProductRecord | undefined, collectionErrors: UserError[]) {
  const errors = validateProductFields(ctx, input, existing?.id, ['input']);
  if (!existing && !input.title) errors.push({ field: ['input', 'title'], message: "Title can't be blank", code: 'INVALID_INPUT' });
  errors.push(...collectionErrors.map((e) => ({ ...e, code: 'INVALID_INPUT' })));
  const variants = input.variants ?? [];
  if (variants.length > 2048) errors.push({ field: ['input', 'variants'], message: 'Too many variants', code: 'VARIANTS_OVER_LIMIT' });
  if ((input.productOptions?.length ?? 0) > 3)
    errors.push({ field: ['input', 'productOptions'], message: 'Too many options (maximum is 3)', code: 'OPTIONS_OVER_LIMIT' });
  for (const [i, v] of variants.entries()) {
    const field = ['input', 'variants', String(i)];
    errors.push(...validateVariant(variantInput(v), field).map((e) => ({ ...e, code: 'INVALID_VARIANT' })));
    if (!v.id) continue;
    const rec = byGid(ctx.state.variants, v.id, 'ProductVariant');
    if (!rec || rec.productId !== existing?.id)
      errors.push({ field: [...field, 'id'], message: 'Product variant does not exist', code: 'PRODUCT_VARIANT_DOES_NOT_EXIST' });
  }
  return errors;
}

function createProduct(ctx: EmulatorContext, input: SetInput, now: string): ProductRecord {
  const state = ctx.state;
  const p: ProductRecord = {
    id: state.nextId('product', ID_START.product),
    title: input.title!,
    handle: '',
    descriptionHtml: '',
    vendor: '',
    productType: '',
    status: 'ACTIVE',
    tags: [],
    seo: { title: null, description: null },
    category: null,
    options: [],
    variantIds: [],
    collectionIds: new Set(),
    createdAt: now,
    updatedAt: now,
  };
  p.handle = input.handle ?? state.uniqueHandle(handleize(input.title!));
  state.handles.set(p.handle, p.id);
  state.products.set(p.id, p);
  return p;
}

/** Replaces the product's variants with the input's: listed ones are updated or created, the others deleted. */
function setVariants(ctx: EmulatorContext, p: ProductRecord, variants: SetVariantInput[], now: string): void {
  const state = ctx.state;
  const keep = new Set<number>();
  variants.forEach((v, i) => {
    const selected = (v.optionValues ?? []).map((o) => ({ name: o.optionName ?? '', value: o.name ?? '' }));
    const variant = (v.id ? state.variants.get(parseGid(v.id)!.id) : undefined) ?? createVariant(ctx, p.id, selected, i + 1, now);
    if (selected.length) {
      variant.selectedOptions = selected;
      variant.title = selected.map((s) => s.value).join(' / ');
    }
    variant.position = i + 1;
    applyVariant(ctx, variant, variantInput(v), now);
    const item = state.inventoryItems.get(variant.inventoryItemId)!;
    // A new variant with quantities stated is stocked where they say, not also at the first location.
    if (!v.id && v.inventoryQuantities?.length) item.levels.clear();
    for (const q of v.inventoryQuantities ?? []) {
      const loc = parseGid(q.locationId, 'Location');
      if (loc && state.locations.has(loc.id))
        item.levels.set(loc.id, { available: q.quantity, onHand: Math.max(0, q.quantity), updatedAt: now });
    }
    keep.add(variant.id);
  });
  for (const id of p.variantIds) if (!keep.has(id)) deleteVariant(ctx, id);
  p.variantIds = [...keep];
  if (p.options.length === 0) p.options = [{ id: state.nextId('option', OPTION_ID_START), name: 'Title', values: ['Default Title'] }];
}

/** productSet: the whole product as the input states it, created when the identifier names none. */
export function productSet(args: Args, ctx: EmulatorContext) {
  const input = args.input as SetInput;
  const { existing, missing } = findTarget(ctx, args.identifier as Identifier, input);
  if (missing)
    return {
      product: null,
      productSetOperation: null,
      userErrors: [{ field: ['input', 'id'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }],
    };
  const collections = checkCollections(ctx, input.collections, ['input', 'collections']);
  const errors = checkSetInput(ctx, input, existing, collections.errors);
  if (errors.length) return { product: null, productSetOperation: null, userErrors: errors };
  const now = ctx.state.now();
  const p = existing ?? createProduct(ctx, input, now);
  applyProductFields(ctx, p, input);
  if (input.productOptions)
    p.options = input.productOptions.map((o) => ({
      id: ctx.state.nextId('option', OPTION_ID_START),
      name: o.name,
      values: (o.values ?? []).map((v) => v.name),
    }));
  if (input.variants) setVariants(ctx, p, input.variants, now);
  if (input.collections) {
    const wanted = new Set(collections.ids);
    setMembership(
      ctx,
      p,
      [...wanted],
      [...p.collectionIds].filter((c) => !wanted.has(c)),
    );
  }
  p.updatedAt = now;
  ctx.state.touch();
  logWrite(ctx, 'productSet', [gid('Product', p.id)], input);
  emitProduct(ctx, existing ? 'PRODUCTS_UPDATE' : 'PRODUCTS_CREATE', p);
  return { product: new ProductView(p, ctx), productSetOperation: null, userErrors: [] };
}
