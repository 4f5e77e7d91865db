import type { Args, EmulatorContext } from '../context';
import { byGid, gid, ID_START, type InventoryItemRecord, type VariantRecord } from '../state';
import { ProductView } from '../views/product';
import { VariantView } from '../views/variant';
import { logWrite, type UserError } from './common';
import { emitProduct } from './products';

const MAX_SKU = 255;

/** A variant's writable fields, shared by productVariantsBulkUpdate and productSet. */
export interface VariantInput {
  id?: string;
  price?: string | null;
  compareAtPrice?: string | null;
  barcode?: string | null;
  inventoryPolicy?: VariantRecord['inventoryPolicy'];
  taxable?: boolean;
  inventoryItem?: {
    sku?: string | null;
    cost?: string | null;
    tracked?: boolean;
    measurement?: { weight?: NonNullable<InventoryItemRecord['weight']> | null } | null;
  };
}

/** Shopify's money inputs are decimal strings: null for none, NaN for one that is not a number. */
function money(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : Number.NaN;
}

function atLeastZero(field: string[], label: string): UserError {
  return { field, message: `${label} must be greater than or equal to 0`, code: 'GREATER_THAN_OR_EQUAL_TO' };
}

export function validateVariant(v: VariantInput, field: Array<string>): UserError[] {
  const errors: UserError[] = [];
  const price = money(v.price);
  if (v.price !== undefined && v.price === null)
    errors.push({ field: [...field, 'price'], message: "Price can't be blank", code: 'BLANK' });
  else if (price !== null && Number.isNaN(price))
    errors.push({ field: [...field, 'price'], message: 'Price is invalid', code: 'INVALID_INPUT' });
  else if (price !== null && price < 0) errors.push(atLeastZero([...field, 'price'], 'Price'));
  const compare = money(v.compareAtPrice);
  if (compare !== null && (Number.isNaN(compare) || compare < 0))
    errors.push(atLeastZero([...field, 'compareAtPrice'], 'Compare at price'));
  if (typeof v.barcode === 'string' && v.barcode.length > 255)
    errors.push({ field: [...field, 'barcode'], message: 'Barcode is too long (maximum is 255 characters)', code: 'TOO_LONG' });
  const sku = v.inventoryItem?.sku;
  if (typeof sku === 'string' && sku.length > MAX_SKU)
    errors.push({
      field: [...field, 'inventoryItem', 'sku'],
      message: `SKU is too long (maximum is ${MAX_SKU} characters)`,
      code: 'TOO_LONG',
    });
  const cost = money(v.inventoryItem?.cost);
  if (cost !== null && (Number.isNaN(cost) || cost < 0)) errors.push(atLeastZero([...field, 'inventoryItem', 'cost'], 'Cost'));
  const weight = v.inventoryItem?.measurement?.weight;
  if (weight && !(weight.value >= 0)) errors.push(atLeastZero([...field, 'inventoryItem', 'measurement', 'weight', 'value'], 'Weight'));
  return errors;
}

export function applyVariant(ctx: EmulatorContext, variant: VariantRecord, v: VariantInput, now: string): void {
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
    const weight = v.inventoryItem.measurement?.weight;
    if (weight) item.weight = { value: weight.value, unit: weight.unit };
    item.updatedAt = now;
  }
}

/** A new variant with its inventory item, stocked (at 0) at the first active location. */
export function createVariant(
  ctx: EmulatorContext,
  productId: number,
  selectedOptions: VariantRecord['selectedOptions'],
  position: number,
  now: string,
): VariantRecord {
  const state = ctx.state;
  const locations = [...state.locations.values()].filter((l) => l.isActive).map((l) => l.id);
  const itemId = state.nextId('inventoryItem', ID_START.inventoryItem);
  const variant: VariantRecord = {
    id: state.nextId('variant', ID_START.variant),
    productId,
    title: selectedOptions.map((s) => s.value).join(' / ') || 'Default Title',
    price: '0.00',
    compareAtPrice: null,
    barcode: null,
    inventoryPolicy: 'DENY',
    taxable: true,
    position,
    selectedOptions,
    inventoryItemId: itemId,
    createdAt: now,
    updatedAt: now,
  };
  state.inventoryItems.set(itemId, {
    id: itemId,
    variantId: variant.id,
    sku: null,
    tracked: true,
    cost: null,
    // Shopify gives a new variant a zero weight in the shop's unit.
    weight: { value: 0, unit: 'KILOGRAMS' },
    createdAt: now,
    updatedAt: now,
    levels: new Map(locations.slice(0, 1).map((l) => [l, { available: 0, onHand: 0, updatedAt: now }])),
  });
  state.variants.set(variant.id, variant);
  return variant;
}

export function deleteVariant(ctx: EmulatorContext, id: number): void {
  const v = ctx.state.variants.get(id);
  if (!v) return;
  ctx.state.inventoryItems.delete(v.inventoryItemId);
  ctx.state.variants.delete(id);
}

/** The variants an update names, each checked: unknown ones and invalid inputs become user errors. */
function checkVariants(ctx: EmulatorContext, productId: number, inputs: VariantInput[]) {
  const errors: UserError[] = [];
  const valid: Array<[VariantRecord, VariantInput]> = [];
  for (const [i, v] of inputs.entries()) {
    const field = ['variants', String(i)];
    if (!v.id) {
      errors.push({ field: [...field, 'id'], message: 'Product variant is missing ID attribute', code: 'PRODUCT_VARIANT_ID_MISSING' });
      continue;
    }
    const variant = byGid(ctx.state.variants, v.id, 'ProductVariant');
    if (!variant || variant.productId !== productId) {
      errors.push({ field: [...field, 'id'], message: 'Product variant does not exist', code: 'PRODUCT_VARIANT_DOES_NOT_EXIST' });
      continue;
    }
    const own = validateVariant(v, field);
    errors.push(...own);
    if (own.length === 0) valid.push([variant, v]);
  }
  return { errors, valid };
}

export function productVariantsBulkUpdate(args: Args, ctx: EmulatorContext) {
  const p = byGid(ctx.state.products, args.productId, 'Product');
  if (!p)
    return {
      product: null,
      productVariants: null,
      userErrors: [{ field: ['productId'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }],
    };
  const inputs = args.variants as VariantInput[];
  const { errors, valid } = checkVariants(ctx, p.id, inputs);
  if (errors.length && args.allowPartialUpdates !== true)
    return { product: new ProductView(p, ctx), productVariants: [], userErrors: errors };
  const now = ctx.state.now();
  for (const [variant, v] of valid) applyVariant(ctx, variant, v, now);
  if (valid.length) {
    p.updatedAt = now;
    ctx.state.touch();
    const targets = valid.map(([variant]) => gid('ProductVariant', variant.id));
    logWrite(ctx, 'productVariantsBulkUpdate', targets, { productId: args.productId, variants: inputs });
    emitProduct(ctx, 'PRODUCTS_UPDATE', p);
  }
  return { product: new ProductView(p, ctx), productVariants: valid.map(([variant]) => new VariantView(variant, ctx)), userErrors: errors };
}
