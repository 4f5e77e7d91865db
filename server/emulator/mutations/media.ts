import type { Args, EmulatorContext } from '../context';
import { byGid, gid, type MediaRecord, type ProductRecord, parseGid } from '../state';
import { MediaImageView } from '../views/media';
import { logWrite, type UserError } from './common';
import { emitProduct } from './products';

/**
 * A product's media as Shopify 2026-10 writes it: productUpdate(media:) adds images by URL,
 * fileUpdate changes alt text and attaches or detaches files (referencesToAdd/Remove),
 * productReorderMedia moves them (an asynchronous job in Shopify: answered not done, and done
 * at the first `job(id:)` read). A product holds at most 250 media.
 */

const MAX_ALT = 512;
const MAX_PRODUCT_MEDIA = 250;

export interface CreateMediaInput {
  alt?: string | null;
  mediaContentType: string;
  originalSource: string;
}

const isHttpUrl = (value: string) => /^https?:\/\/[^\s]+$/i.test(value);

/** Problems with productUpdate's `media` argument for a product, as Shopify words them. */
export function checkNewMedia(p: ProductRecord, media: readonly CreateMediaInput[] | undefined): UserError[] {
  const errors: UserError[] = [];
  for (const [i, m] of (media ?? []).entries()) {
    if (m.mediaContentType !== 'IMAGE')
      errors.push({ field: ['media', String(i), 'mediaContentType'], message: 'Only images can be added by URL here', code: 'INVALID' });
    else if (!isHttpUrl(m.originalSource))
      errors.push({ field: ['media', String(i), 'originalSource'], message: 'Image URL is invalid', code: 'INVALID' });
    if ((m.alt ?? '').length > MAX_ALT)
      errors.push({ field: ['media', String(i), 'alt'], message: `Alt is too long (maximum is ${MAX_ALT} characters)`, code: 'INVALID' });
  }
  if ((p.mediaIds?.length ?? 0) + (media?.length ?? 0) > MAX_PRODUCT_MEDIA)
    errors.push({
      field: ['media'],
      message: `A product can have at most ${MAX_PRODUCT_MEDIA} media`,
      code: 'PRODUCT_MEDIA_LIMIT_EXCEEDED',
    });
  return errors;
}

/** Creates the images of productUpdate's `media` argument and appends them to the product. */
export function addNewMedia(ctx: EmulatorContext, p: ProductRecord, media: readonly CreateMediaInput[] | undefined): void {
  for (const m of media ?? []) {
    const at = ctx.state.now();
    const record: MediaRecord = {
      id: ctx.state.nextId('media', 31_500_000_001),
      alt: m.alt ?? '',
      url: m.originalSource,
      width: 1024,
      height: 1024,
      productIds: new Set([p.id]),
      createdAt: at,
      updatedAt: at,
    };
    ctx.state.media.set(record.id, record);
    p.mediaIds = [...(p.mediaIds ?? []), record.id];
  }
}

interface FileUpdateInput {
  id: string;
  alt?: string | null;
  referencesToAdd?: string[] | null;
  referencesToRemove?: string[] | null;
}

function productsOf(
  ctx: EmulatorContext,
  ids: readonly string[] | null | undefined,
  field: string[],
  errors: UserError[],
): ProductRecord[] {
  const out: ProductRecord[] = [];
  for (const id of ids ?? []) {
    const p = byGid(ctx.state.products, id, 'Product');
    if (p) out.push(p);
    else errors.push({ field, message: `Reference ${id} does not exist`, code: 'REFERENCE_TARGET_DOES_NOT_EXIST' });
  }
  return out;
}

export function fileUpdate(args: Args, ctx: EmulatorContext) {
  const files = (args.files as FileUpdateInput[]) ?? [];
  const errors: UserError[] = [];
  const plans = files.map((f, i) => {
    const media = byGid(ctx.state.media, f.id, 'MediaImage');
    if (!media) errors.push({ field: ['files', String(i), 'id'], message: `File id ${f.id} does not exist.`, code: 'FILE_DOES_NOT_EXIST' });
    if (typeof f.alt === 'string' && f.alt.length > MAX_ALT)
      errors.push({
        field: ['files', String(i), 'alt'],
        message: `The alt value exceeds the maximum limit of ${MAX_ALT} characters.`,
        code: 'ALT_VALUE_LIMIT_EXCEEDED',
      });
    const add = productsOf(ctx, f.referencesToAdd, ['files', String(i), 'referencesToAdd'], errors);
    const remove = productsOf(ctx, f.referencesToRemove, ['files', String(i), 'referencesToRemove'], errors);
    for (const p of add)
      if ((p.mediaIds?.length ?? 0) >= MAX_PRODUCT_MEDIA)
        errors.push({ field: ['files', String(i), 'referencesToAdd'], message: 'Too many media', code: 'PRODUCT_MEDIA_LIMIT_EXCEEDED' });
    return { input: f, media, add, remove };
  });
  // Shopify validates the whole list before writing any of it.
  if (errors.length) return { files: null, userErrors: errors };
  const touched = new Set<ProductRecord>();
  for (const { input, media, add, remove } of plans) {
    const m = media!;
    if (input.alt !== undefined && input.alt !== null) m.alt = input.alt;
    for (const p of add) {
      m.productIds.add(p.id);
      if (!(p.mediaIds ?? []).includes(m.id)) p.mediaIds = [...(p.mediaIds ?? []), m.id];
      touched.add(p);
    }
    for (const p of remove) {
      m.productIds.delete(p.id);
      p.mediaIds = (p.mediaIds ?? []).filter((id) => id !== m.id);
      touched.add(p);
    }
    m.updatedAt = ctx.state.now();
    for (const id of m.productIds) {
      const p = ctx.state.products.get(id);
      if (p) touched.add(p);
    }
  }
  finishWrite(
    ctx,
    'fileUpdate',
    [...touched],
    files.map((f) => f.id),
    files,
  );
  return { files: plans.map((x) => new MediaImageView(x.media!, ctx)), userErrors: [] };
}

export function productReorderMedia(args: Args, ctx: EmulatorContext) {
  const p = byGid(ctx.state.products, args.id, 'Product');
  const moves = (args.moves as Array<{ id: string; newPosition: string }>) ?? [];
  if (!p) return { job: null, mediaUserErrors: [{ field: ['id'], message: 'Product does not exist', code: 'PRODUCT_DOES_NOT_EXIST' }] };
  const order = [...(p.mediaIds ?? [])];
  const errors: UserError[] = [];
  moves.forEach((move, i) => {
    const ref = parseGid(move.id);
    if (!ref || !order.includes(ref.id))
      errors.push({
        field: ['moves', String(i), 'id'],
        message: 'Media does not exist on product',
        code: 'MEDIA_DOES_NOT_EXIST_ON_PRODUCT',
      });
  });
  if (errors.length) return { job: null, mediaUserErrors: errors };
  for (const move of moves) {
    const id = parseGid(move.id)!.id;
    order.splice(order.indexOf(id), 1);
    order.splice(Math.min(Number(move.newPosition), order.length), 0, id);
  }
  p.mediaIds = order;
  finishWrite(ctx, 'productReorderMedia', [p], [gid('Product', p.id)], { id: args.id, moves });
  const job = gid('Job', ctx.state.nextId('job', 6_600_000_001));
  return { job: { __typename: 'Job', id: job, done: false, query: null }, mediaUserErrors: [], userErrors: [] };
}

/** `job(id:)`: every job the emulator issued is done by the time it is read. */
export function jobById(id: unknown) {
  const ref = parseGid(id, 'Job');
  return ref ? { __typename: 'Job', id: gid('Job', ref.id), done: true, query: null } : null;
}

/** A media write moves the products it touched (updated_at, products/update webhooks) and is logged. */
function finishWrite(ctx: EmulatorContext, mutation: string, products: ProductRecord[], target: string[], input: unknown): void {
  for (const p of products) {
    p.updatedAt = ctx.state.now();
    emitProduct(ctx, 'PRODUCTS_UPDATE', p);
  }
  ctx.state.touch();
  logWrite(ctx, mutation, target, input);
}
