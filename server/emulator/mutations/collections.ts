import type { Args, EmulatorContext } from '../context';
import { collectionPayload } from '../payloads';
import { gid, handleize, ID_START, type ProductRecord } from '../state';
import { CollectionView } from '../views/collection';
import { logWrite, resolveIds, type UserError } from './common';

/** The collections a product input names to join or leave, each unknown one a user error on `field`. */
export function checkCollections(ctx: EmulatorContext, ids: unknown, field: string[]): { ids: number[]; errors: UserError[] } {
  const { ids: found, missing } = resolveIds(ctx.state.collections, ids, 'Collection');
  return { ids: found, errors: missing.map((raw) => ({ field, message: `Collection ${raw} does not exist` })) };
}

/** Adds and removes a product's memberships on both sides; answers the collections that changed. */
export function setMembership(ctx: EmulatorContext, p: ProductRecord, join: number[], leave: number[]): number[] {
  const touched: number[] = [];
  for (const id of join)
    if (!p.collectionIds.has(id)) {
      p.collectionIds.add(id);
      ctx.state.collections.get(id)!.productIds.add(p.id);
      touched.push(id);
    }
  for (const id of leave)
    if (p.collectionIds.delete(id)) {
      ctx.state.collections.get(id)!.productIds.delete(p.id);
      touched.push(id);
    }
  const now = ctx.state.now();
  for (const id of touched) ctx.state.collections.get(id)!.updatedAt = now;
  return touched;
}

type CollectionInput = { title?: string; handle?: string; descriptionHtml?: string; products?: string[] };

export function collectionCreate(args: Args, ctx: EmulatorContext) {
  const input = (args.collection ?? args.input) as CollectionInput | undefined;
  if (!input?.title?.trim()) return { collection: null, userErrors: [{ field: ['title'], message: "Title can't be blank" }] };
  const taken = input.handle && [...ctx.state.collections.values()].some((c) => c.handle === input.handle);
  if (taken)
    return {
      collection: null,
      userErrors: [{ field: ['handle'], message: `Handle '${input.handle}' already in use. Please provide a new handle.` }],
    };
  const { ids: productIds, missing } = resolveIds(ctx.state.products, input.products, 'Product');
  if (missing.length) return { collection: null, userErrors: [{ field: ['products'], message: `Product ${missing[0]} does not exist` }] };
  const id = ctx.state.nextId('collection', ID_START.collection);
  const record = {
    id,
    title: input.title,
    handle: input.handle ?? handleize(input.title),
    descriptionHtml: input.descriptionHtml ?? '',
    productIds: new Set(productIds),
    updatedAt: ctx.state.now(),
  };
  ctx.state.collections.set(id, record);
  for (const pid of productIds) ctx.state.products.get(pid)!.collectionIds.add(id);
  ctx.state.touch();
  logWrite(ctx, 'collectionCreate', [gid('Collection', id)], input);
  ctx.core.webhooks.emit('COLLECTIONS_CREATE', collectionPayload(ctx.state, id));
  return { collection: new CollectionView(record, ctx), userErrors: [] };
}
