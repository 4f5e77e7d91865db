import type { GraphQLResolveInfo } from 'graphql';
import { collectionPayload, productPayload } from '../payloads';
import { ID_START, gid, handleize, parseGid, type ProductRecord, type VariantRecord } from '../state';
import { CollectionView, ProductView, VariantView, type Args, type EmulatorContext } from '../views';

export interface UserError {
  field: Array<string> | null;
  message: string;
  code?: string;
}

export const MAX_SKU = 255;
export const MAX_TITLE = 255;

function money(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : Number.NaN;
}

export function emitProduct(ctx: EmulatorContext, topic: 'PRODUCTS_UPDATE' | 'PRODUCTS_CREATE', p: ProductRecord): void {
  ctx.core.webhooks.emit(topic, productPayload(ctx.state, p));
}

function checkCollections(ctx: EmulatorContext, ids: unknown, field: string[]): { ids: number[]; errors: UserError[] } {
  const out: number[] = [];
  const errors: UserError[] = [];
  for (const raw of (ids as string[] | undefined) ?? []) {
    const ref = parseGid(raw, 'Collection');
    if (!ref || !ctx.state.collections.has(ref.id)) errors.push({ field, message: `Collection ${raw} does not exist` });
    else out.push(ref.id);
  }
  return { ids: out, errors };
}

interface ProductFields {
  title?: string;
  handle?: string;
  descriptionHtml?: string;
  vendor?: string;
  productType?: string;
  status?: ProductRecord['status'];
  tags?: string[];
}

function validateProductFields(ctx: EmulatorContext, input: ProductFields, ownId: number | undefined, prefix: string[]): UserError[] {
  const errors: UserError[] = [];
  if (input.title !== undefined && (input.title === null || !String(input.title).trim())) errors.push({ field: [...prefix, 'title'], message: "Title can't be blank", code: 'BLANK' });
  if (typeof input.title === 'string' && input.title.length > MAX_TITLE) errors.push({ field: [...prefix, 'title'], message: `Title is too long (maximum is ${MAX_TITLE} characters)`, code: 'TOO_LONG' });
  if (input.handle !== undefined && input.handle !== null) {
    const owner = ctx.state.handles.get(input.handle);
    if (owner !== undefined && owner !== ownId) errors.push({ field: [...prefix, 'handle'], message: `Handle '${input.handle}' already in use. Please provide a new handle.`, code: 'HANDLE_NOT_UNIQUE' });
    else if (!/^[\p{L}\p{N}_-]+$/u.test(input.handle)) errors.push({ field: [...prefix, 'handle'], message: 'Handle is invalid', code: 'INVALID' });
  }
  if (input.tags && input.tags.some((t) => t.length > 255)) errors.push({ field: [...prefix, 'tags'], message: 'Tags are too long (maximum is 255 characters)', code: 'TOO_LONG' });
  if (typeof input.vendor === 'string' && input.vendor.length > 255) errors.push({ field: [...prefix, 'vendor'], message: 'Vendor is too long (maximum is 255 characters)', code: 'TOO_LONG' });
  return errors;
}

function applyProductFields(ctx: EmulatorContext, p: ProductRecord, input: ProductFields): void {
  if (input.title != null) p.title = input.title;
  if (input.handle != null && input.handle !== p.handle) {
    ctx.state.handles.delete(p.handle);
    p.handle = input.handle;
    ctx.state.handles.set(p.handle, p.id);
  }
  if (input.descriptionHtml != null) p.descriptionHtml = input.descriptionHtml;
  if (input.vendor != null) p.vendor = input.vendor;
  if (input.productType != null) p.productType = input.productType;
  if (input.status != null) p.status = input.status;
  if (input.tags != null) p.tags = [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))];
}

function setMembership(ctx: EmulatorContext, p: ProductRecord, join: number[], leave: number[]): number[] {
  const touched: number[] = [];
  for (const id of join) if (!p.collectionIds.has(id)) { p.collectionIds.add(id); ctx.state.collections.get(id)!.productIds.add(p.id); touched.push(id); }
  for (const id of leave) if (p.collectionIds.delete(id)) { ctx.state.collections.get(id)!.productIds.delete(p.id); touched.push(id); }
  const now = ctx.state.now();
  for (const id of touched) ctx.state.collections.get(id)!.updatedAt = now;
  return touched;
}

function logWrite(ctx: EmulatorContext, mutation: string, target: string[], input: unknown, idempotencyKey: string | null = null): void {
  ctx.core.log({ mutation, actor: ctx.actor, token: ctx.token, idempotencyKey, target, input });
}

export function productUpdate(args: Args, ctx: EmulatorContext) {
  const input = (args.product ?? args.input) as (ProductFields & { id?: string; collectionsToJoin?: string[]; collectionsToLeave?: string[] }) | undefined;
  const idSource = (args.identifier as { id?: string } | undefined)?.id ?? input?.id;
  const ref = parseGid(idSource, 'Product');
  const p = ref ? ctx.state.products.get(ref.id) : undefined;
  if (!input || !p) return { product: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] };
  const join = checkCollections(ctx, input.collectionsToJoin, ['collectionsToJoin']);
  const leave = checkCollections(ctx, input.collectionsToLeave, ['collectionsToLeave']);
  const errors = [...validateProductFields(ctx, input, p.id, ['product']), ...join.errors, ...leave.errors];
  if (errors.length) return { product: null, userErrors: errors.map(({ field, message }) => ({ field, message })) };
  applyProductFields(ctx, p, input);
  const touched = setMembership(ctx, p, join.ids, leave.ids);
  p.updatedAt = ctx.state.now();
  ctx.state.touch();
  logWrite(ctx, 'productUpdate', [gid('Product', p.id)], input);
  emitProduct(ctx, 'PRODUCTS_UPDATE', p);
  for (const c of touched) ctx.core.webhooks.emit('COLLECTIONS_UPDATE', collectionPayload(ctx.state, c));
  return { product: new ProductView(p, ctx), userErrors: [] };
}

interface VariantInput {
  id?: string;
  price?: string | null;
  compareAtPrice?: string | null;
  barcode?: string | null;
  inventoryPolicy?: VariantRecord['inventoryPolicy'];
  taxable?: boolean;
  inventoryItem?: { sku?: string | null; cost?: string | null; tracked?: boolean };
}

function validateVariant(v: VariantInput, field: Array<string>): UserError[] {
  const errors: UserError[] = [];
  const price = money(v.price);
  if (v.price !== undefined && v.price === null) errors.push({ field: [...field, 'price'], message: "Price can't be blank", code: 'BLANK' });
  else if (price !== null && Number.isNaN(price)) errors.push({ field: [...field, 'price'], message: 'Price is invalid', code: 'INVALID_INPUT' });
  else if (price !== null && price < 0) errors.push({ field: [...field, 'price'], message: 'Price must be greater than or equal to 0', code: 'GREATER_THAN_OR_EQUAL_TO' });
  const compare = money(v.compareAtPrice);
  if (compare !== null && (Number.isNaN(compare) || compare < 0)) errors.push({ field: [...field, 'compareAtPrice'], message: 'Compare at price must be greater than or equal to 0', code: 'GREATER_THAN_OR_EQUAL_TO' });
  if (typeof v.barcode === 'string' && v.barcode.length > 255) errors.push({ field: [...field, 'barcode'], message: 'Barcode is too long (maximum is 255 characters)', code: 'TOO_LONG' });
  const sku = v.inventoryItem?.sku;
  if (typeof sku === 'string' && sku.length > MAX_SKU) errors.push({ field: [...field, 'inventoryItem', 'sku'], message: `SKU is too long (maximum is ${MAX_SKU} characters)`, code: 'TOO_LONG' });
  const cost = money(v.inventoryItem?.cost);
  if (cost !== null && (Number.isNaN(cost) || cost < 0)) errors.push({ field: [...field, 'inventoryItem', 'cost'], message: 'Cost must be greater than or equal to 0', code: 'GREATER_THAN_OR_EQUAL_TO' });
  return errors;
}

function applyVariant(ctx: EmulatorContext, variant: VariantRecord, v: VariantInput, now: string): void {
  if (v.price != null) variant.price = Number(v.price).toFixed(2);
  if (v.compareAtPrice !== undefined) variant.compareAtPrice = v.compareAtPrice === null ? null : Number(v.compareAtPrice).toFixed(2);
  if (v.barcode !== undefined) variant.barcode = v.barcode;
  if (v.inventoryPolicy != null) variant.inventoryPolicy = v.inventoryPolicy;
  if (v.taxable != null) variant.taxable = v.taxable;
  variant.updatedAt = now;
  const item = ctx.state.inventoryItems.get(variant.inventoryItemId);
  if (item && v.inventoryItem) {
    if (v.inventoryItem.sku !== undefined) item.sku = v.inventoryItem.sku;
    if (v.inventoryItem.cost !== undefined) item.cost = v.inventoryItem.cost === null ? null : Number(v.inventoryItem.cost).toFixed(2);
    if (v.inventoryItem.tracked != null) item.tracked = v.inventoryItem.tracked;
    item.updatedAt = now;
  }
}

export function productVariantsBulkUpdate(args: Args, ctx: EmulatorContext) {
  const ref = parseGid(args.productId, 'Product');
  const p = ref ? ctx.state.products.get(ref.id) : undefined;
  if (!p) return { product: null, productVariants: null, userErrors: [{ field: ['productId'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }] };
  const inputs = args.variants as VariantInput[];
  const errors: UserError[] = [];
  const valid: Array<[VariantRecord, VariantInput]> = [];
  inputs.forEach((v, i) => {
    const field = ['variants', String(i)];
    if (!v.id) return errors.push({ field: [...field, 'id'], message: 'Product variant is missing ID attribute', code: 'PRODUCT_VARIANT_ID_MISSING' });
    const vref = parseGid(v.id, 'ProductVariant');
    const variant = vref ? ctx.state.variants.get(vref.id) : undefined;
    if (!variant || variant.productId !== p.id) return errors.push({ field: [...field, 'id'], message: 'Product variant does not exist', code: 'PRODUCT_VARIANT_DOES_NOT_EXIST' });
    const own = validateVariant(v, field);
    errors.push(...own);
    if (own.length === 0) valid.push([variant, v]);
  });
  const partial = args.allowPartialUpdates === true;
  if (errors.length && !partial) return { product: new ProductView(p, ctx), productVariants: [], userErrors: errors };
  const now = ctx.state.now();
  for (const [variant, v] of valid) applyVariant(ctx, variant, v, now);
  if (valid.length) {
    p.updatedAt = now;
    ctx.state.touch();
    logWrite(ctx, 'productVariantsBulkUpdate', valid.map(([variant]) => gid('ProductVariant', variant.id)), { productId: args.productId, variants: inputs });
    emitProduct(ctx, 'PRODUCTS_UPDATE', p);
  }
  return { product: new ProductView(p, ctx), productVariants: valid.map(([variant]) => new VariantView(variant, ctx)), userErrors: errors };
}

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

export function productSet(args: Args, ctx: EmulatorContext) {
  const input = args.input as SetInput;
  const identifier = args.identifier as { id?: string; handle?: string } | undefined;
  let existing: ProductRecord | undefined;
  const idRaw = identifier?.id ?? input.id;
  if (idRaw) {
    const ref = parseGid(idRaw, 'Product');
    existing = ref ? ctx.state.products.get(ref.id) : undefined;
    if (!existing) return { product: null, productSetOperation: null, userErrors: [{ field: ['input', 'id'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }] };
  } else if (identifier?.handle) {
    const id = ctx.state.handles.get(identifier.handle);
    existing = id === undefined ? undefined : ctx.state.products.get(id);
  }
  const errors = validateProductFields(ctx, input, existing?.id, ['input']);
  if (!existing && !input.title) errors.push({ field: ['input', 'title'], message: "Title can't be blank", code: 'INVALID_INPUT' });
  const collections = checkCollections(ctx, input.collections, ['input', 'collections']);
  errors.push(...collections.errors.map((e) => ({ ...e, code: 'INVALID_INPUT' })));
  const variants = input.variants ?? [];
  if (variants.length > 2048) errors.push({ field: ['input', 'variants'], message: 'Too many variants', code: 'VARIANTS_OVER_LIMIT' });
  if ((input.productOptions?.length ?? 0) > 3) errors.push({ field: ['input', 'productOptions'], message: 'Too many options (maximum is 3)', code: 'OPTIONS_OVER_LIMIT' });
  variants.forEach((v, i) => {
    const merged = { ...v, inventoryItem: { ...v.inventoryItem, ...(v.sku !== undefined ? { sku: v.sku } : {}) } };
    errors.push(...validateVariant(merged, ['input', 'variants', String(i)]).map((e) => ({ ...e, code: e.code === 'GREATER_THAN_OR_EQUAL_TO' ? 'INVALID_VARIANT' : 'INVALID_VARIANT' })));
    if (v.id) {
      const vref = parseGid(v.id, 'ProductVariant');
      const rec = vref ? ctx.state.variants.get(vref.id) : undefined;
      if (!rec || rec.productId !== existing?.id) errors.push({ field: ['input', 'variants', String(i), 'id'], message: 'Product variant does not exist', code: 'PRODUCT_VARIANT_DOES_NOT_EXIST' });
    }
  });
  if (errors.length) return { product: null, productSetOperation: null, userErrors: errors };
  const now = ctx.state.now();
  const state = ctx.state;
  const creating = !existing;
  const p: ProductRecord = existing ?? {
    id: state.nextId('product', ID_START.product),
    title: input.title!,
    handle: '',
    descriptionHtml: '',
    vendor: '',
    productType: '',
    status: 'ACTIVE',
    tags: [],
    options: [],
    variantIds: [],
    collectionIds: new Set(),
    createdAt: now,
    updatedAt: now,
  };
  if (creating) {
    p.handle = input.handle ?? state.uniqueHandle(handleize(input.title!));
    state.handles.set(p.handle, p.id);
    state.products.set(p.id, p);
  }
  applyProductFields(ctx, p, input);
  if (input.productOptions) {
    p.options = input.productOptions.map((o) => ({ id: state.nextId('option', 10_000_000_001), name: o.name, values: (o.values ?? []).map((v) => v.name) }));
  }
  if (input.variants) {
    const keep = new Set<number>();
    const locations = [...state.locations.values()].filter((l) => l.isActive).map((l) => l.id);
    input.variants.forEach((v, i) => {
      const selected = (v.optionValues ?? []).map((o) => ({ name: o.optionName ?? '', value: o.name ?? '' }));
      let variant = v.id ? state.variants.get(parseGid(v.id)!.id) : undefined;
      if (!variant) {
        const itemId = state.nextId('inventoryItem', ID_START.inventoryItem);
        variant = {
          id: state.nextId('variant', ID_START.variant),
          productId: p.id,
          title: selected.map((s) => s.value).join(' / ') || 'Default Title',
          price: '0.00',
          compareAtPrice: null,
          barcode: null,
          inventoryPolicy: 'DENY',
          taxable: true,
          position: i + 1,
          selectedOptions: selected,
          inventoryItemId: itemId,
          createdAt: now,
          updatedAt: now,
        };
        state.inventoryItems.set(itemId, { id: itemId, variantId: variant.id, sku: null, tracked: true, cost: null, createdAt: now, updatedAt: now, levels: new Map(locations.slice(0, 1).map((l) => [l, { available: 0, onHand: 0, updatedAt: now }])) });
        state.variants.set(variant.id, variant);
      }
      if (selected.length) {
        variant.selectedOptions = selected;
        variant.title = selected.map((s) => s.value).join(' / ');
      }
      variant.position = i + 1;
      applyVariant(ctx, variant, { ...v, inventoryItem: { ...v.inventoryItem, ...(v.sku !== undefined ? { sku: v.sku } : {}) } }, now);
      const item = state.inventoryItems.get(variant.inventoryItemId)!;
      for (const q of v.inventoryQuantities ?? []) {
        const loc = parseGid(q.locationId, 'Location');
        if (loc && state.locations.has(loc.id)) item.levels.set(loc.id, { available: q.quantity, onHand: Math.max(0, q.quantity), updatedAt: now });
      }
      keep.add(variant.id);
    });
    for (const id of p.variantIds) if (!keep.has(id)) deleteVariant(ctx, id);
    p.variantIds = [...keep];
    if (p.options.length === 0) p.options = [{ id: state.nextId('option', 10_000_000_001), name: 'Title', values: ['Default Title'] }];
  }
  if (input.collections) {
    const wanted = new Set(collections.ids);
    setMembership(ctx, p, [...wanted], [...p.collectionIds].filter((c) => !wanted.has(c)));
  }
  p.updatedAt = now;
  state.touch();
  logWrite(ctx, 'productSet', [gid('Product', p.id)], input);
  emitProduct(ctx, creating ? 'PRODUCTS_CREATE' : 'PRODUCTS_UPDATE', p);
  return { product: new ProductView(p, ctx), productSetOperation: null, userErrors: [] };
}

function deleteVariant(ctx: EmulatorContext, id: number): void {
  const v = ctx.state.variants.get(id);
  if (!v) return;
  ctx.state.inventoryItems.delete(v.inventoryItemId);
  ctx.state.variants.delete(id);
}

export function deleteProductRecord(ctx: EmulatorContext, p: ProductRecord): void {
  for (const v of p.variantIds) deleteVariant(ctx, v);
  for (const c of p.collectionIds) ctx.state.collections.get(c)?.productIds.delete(p.id);
  ctx.state.handles.delete(p.handle);
  ctx.state.products.delete(p.id);
  ctx.state.touch();
}

export function productDelete(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
  void info;
  const input = args.input as { id: string };
  const ref = parseGid(input.id, 'Product');
  const p = ref ? ctx.state.products.get(ref.id) : undefined;
  const shop = { __typename: 'Shop', id: gid('Shop', 1) };
  if (!p) return { deletedProductId: null, productDeleteOperation: null, shop, userErrors: [{ field: ['id'], message: 'Product does not exist' }] };
  deleteProductRecord(ctx, p);
  logWrite(ctx, 'productDelete', [gid('Product', p.id)], input);
  ctx.core.webhooks.emit('PRODUCTS_DELETE', { id: p.id });
  return { deletedProductId: gid('Product', p.id), productDeleteOperation: null, shop, userErrors: [] };
}

export function collectionCreate(args: Args, ctx: EmulatorContext) {
  const input = (args.collection ?? args.input) as { title?: string; handle?: string; descriptionHtml?: string; products?: string[] } | undefined;
  if (!input?.title?.trim()) return { collection: null, userErrors: [{ field: ['title'], message: "Title can't be blank" }] };
  const taken = input.handle && [...ctx.state.collections.values()].some((c) => c.handle === input.handle);
  if (taken) return { collection: null, userErrors: [{ field: ['handle'], message: `Handle '${input.handle}' already in use. Please provide a new handle.` }] };
  const productIds: number[] = [];
  for (const raw of input.products ?? []) {
    const ref = parseGid(raw, 'Product');
    if (!ref || !ctx.state.products.has(ref.id)) return { collection: null, userErrors: [{ field: ['products'], message: `Product ${raw} does not exist` }] };
    productIds.push(ref.id);
  }
  const id = ctx.state.nextId('collection', ID_START.collection);
  const now = ctx.state.now();
  ctx.state.collections.set(id, { id, title: input.title, handle: input.handle ?? handleize(input.title), descriptionHtml: input.descriptionHtml ?? '', productIds: new Set(productIds), updatedAt: now });
  for (const pid of productIds) ctx.state.products.get(pid)!.collectionIds.add(id);
  ctx.state.touch();
  logWrite(ctx, 'collectionCreate', [gid('Collection', id)], input);
  ctx.core.webhooks.emit('COLLECTIONS_CREATE', collectionPayload(ctx.state, id));
  return { collection: findCollectionView(ctx, id), userErrors: [] };
}

function findCollectionView(ctx: EmulatorContext, id: number) {
  return new CollectionView(ctx.state.collections.get(id)!, ctx);
}
