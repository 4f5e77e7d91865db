import type { Args, EmulatorContext } from '../context';
import { collectionPayload, productPayload } from '../payloads';
import { byGid, gid, type ProductRecord } from '../state';
import { taxonomyCategory } from '../taxonomy';
import { ProductView } from '../views/product';
import { checkCollections, setMembership } from './collections';
import { logWrite, type UserError } from './common';
import { addNewMedia, type CreateMediaInput, checkNewMedia } from './media';
import { deleteVariant } from './variants';

const MAX_TITLE = 255;

/** The product's own fields, shared by productUpdate and productSet. */
export interface ProductFields {
  title?: string;
  handle?: string;
  descriptionHtml?: string;
  vendor?: string;
  productType?: string;
  status?: ProductRecord['status'];
  tags?: string[];
  seo?: { title?: string | null; description?: string | null } | null;
  /** A TaxonomyCategory GID; null removes the category. */
  category?: string | null;
}

export function emitProduct(ctx: EmulatorContext, topic: 'PRODUCTS_UPDATE' | 'PRODUCTS_CREATE', p: ProductRecord): void {
  ctx.core.webhooks.emit(topic, productPayload(ctx.state, p));
}

export function validateProductFields(
  ctx: EmulatorContext,
  input: ProductFields,
  ownId: number | undefined,
  prefix: string[],
): UserError[] {
  const errors: UserError[] = [];
  if (input.title !== undefined && (input.title === null || !String(input.title).trim()))
    errors.push({ field: [...prefix, 'title'], message: "Title can't be blank", code: 'BLANK' });
  if (typeof input.title === 'string' && input.title.length > MAX_TITLE)
    errors.push({ field: [...prefix, 'title'], message: `Title is too long (maximum is ${MAX_TITLE} characters)`, code: 'TOO_LONG' });
  if (input.handle !== undefined && input.handle !== null) {
    const owner = ctx.state.handles.get(input.handle);
    if (owner !== undefined && owner !== ownId)
      errors.push({
        field: [...prefix, 'handle'],
        message: `Handle '${input.handle}' already in use. Please provide a new handle.`,
        code: 'HANDLE_NOT_UNIQUE',
      });
    else if (!/^[\p{L}\p{N}_-]+$/u.test(input.handle))
      errors.push({ field: [...prefix, 'handle'], message: 'Handle is invalid', code: 'INVALID' });
  }
  if (input.tags?.some((t) => t.length > 255))
    errors.push({ field: [...prefix, 'tags'], message: 'Tags are too long (maximum is 255 characters)', code: 'TOO_LONG' });
  if (typeof input.seo?.title === 'string' && input.seo.title.length > 255)
    errors.push({ field: [...prefix, 'seo', 'title'], message: 'SEO title is too long (maximum is 255 characters)', code: 'TOO_LONG' });
  if (typeof input.seo?.description === 'string' && input.seo.description.length > 320)
    errors.push({
      field: [...prefix, 'seo', 'description'],
      message: 'SEO description is too long (maximum is 320 characters)',
      code: 'TOO_LONG',
    });
  if (input.category != null && !taxonomyCategory(input.category))
    errors.push({ field: [...prefix, 'category'], message: 'The product category does not exist', code: 'INVALID' });
  if (typeof input.vendor === 'string' && input.vendor.length > 255)
    errors.push({ field: [...prefix, 'vendor'], message: 'Vendor is too long (maximum is 255 characters)', code: 'TOO_LONG' });
  return errors;
}

export function applyProductFields(ctx: EmulatorContext, p: ProductRecord, input: ProductFields): void {
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
  // Shopify keeps an SEO value given as empty text as no value.
  if (input.seo?.title !== undefined) p.seo.title = input.seo.title || null;
  if (input.seo?.description !== undefined) p.seo.description = input.seo.description || null;
  if (input.category !== undefined) p.category = input.category;
}

type UpdateInput = ProductFields & { id?: string; collectionsToJoin?: string[]; collectionsToLeave?: string[] };

export function productUpdate(args: Args, ctx: EmulatorContext) {
  const input = (args.product ?? args.input) as UpdateInput | undefined;
  const idSource = (args.identifier as { id?: string } | undefined)?.id ?? input?.id;
  const p = byGid(ctx.state.products, idSource, 'Product');
  if (!input || !p) return { product: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] };
  const join = checkCollections(ctx, input.collectionsToJoin, ['collectionsToJoin']);
  const leave = checkCollections(ctx, input.collectionsToLeave, ['collectionsToLeave']);
  const media = args.media as CreateMediaInput[] | undefined;
  const errors = [...validateProductFields(ctx, input, p.id, ['product']), ...join.errors, ...leave.errors, ...checkNewMedia(p, media)];
  if (errors.length) return { product: null, userErrors: errors.map(({ field, message }) => ({ field, message })) };
  applyProductFields(ctx, p, input);
  addNewMedia(ctx, p, media);
  const touched = setMembership(ctx, p, join.ids, leave.ids);
  p.updatedAt = ctx.state.now();
  ctx.state.touch();
  logWrite(ctx, 'productUpdate', [gid('Product', p.id)], media ? { ...input, media } : input);
  emitProduct(ctx, 'PRODUCTS_UPDATE', p);
  for (const c of touched) ctx.core.webhooks.emit('COLLECTIONS_UPDATE', collectionPayload(ctx.state, c));
  return { product: new ProductView(p, ctx), userErrors: [] };
}

function deleteProductRecord(ctx: EmulatorContext, p: ProductRecord): void {
  for (const v of p.variantIds) deleteVariant(ctx, v);
  for (const c of p.collectionIds) ctx.state.collections.get(c)?.productIds.delete(p.id);
  for (const m of p.mediaIds ?? []) ctx.state.media.get(m)?.productIds.delete(p.id);
  ctx.state.handles.delete(p.handle);
  ctx.state.products.delete(p.id);
  ctx.state.touch();
}

export function productDelete(args: Args, ctx: EmulatorContext) {
  const input = args.input as { id: string };
  const p = byGid(ctx.state.products, input.id, 'Product');
  const shop = { __typename: 'Shop', id: gid('Shop', 1) };
  if (!p)
    return {
      deletedProductId: null,
      productDeleteOperation: null,
      shop,
      userErrors: [{ field: ['id'], message: 'Product does not exist' }],
    };
  deleteProductRecord(ctx, p);
  logWrite(ctx, 'productDelete', [gid('Product', p.id)], input);
  ctx.core.webhooks.emit('PRODUCTS_DELETE', { id: p.id });
  return { deletedProductId: gid('Product', p.id), productDeleteOperation: null, shop, userErrors: [] };
}
