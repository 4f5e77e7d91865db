import { GraphQLError } from 'graphql';
import type { EmulatorContext } from '../context';
import { parseGid } from '../state';
import { BulkOperationView } from './bulk-operation';
import { CollectionView } from './collection';
import { InventoryItemView, inventoryLevelByGid } from './inventory';
import { LocationView } from './location';
import { MediaImageView } from './media';
import { ProductView } from './product';
import { VariantView } from './variant';
import { WebhookSubscriptionView } from './webhook';

type NodeLookup = (id: number, ctx: EmulatorContext) => unknown;

function lookup<R>(records: (ctx: EmulatorContext) => Map<number, R>, View: new (record: R, ctx: EmulatorContext) => unknown): NodeLookup {
  return (id, ctx) => {
    const record = records(ctx).get(id);
    return record ? new View(record, ctx) : null;
  };
}

/** Every type `node(id:)` answers, by the type its gid names: a new resource adds its line here. */
const NODES = new Map<string, NodeLookup>([
  ['Product', lookup((ctx) => ctx.state.products, ProductView)],
  ['ProductVariant', lookup((ctx) => ctx.state.variants, VariantView)],
  ['InventoryItem', lookup((ctx) => ctx.state.inventoryItems, InventoryItemView)],
  ['Location', lookup((ctx) => ctx.state.locations, LocationView)],
  ['Collection', lookup((ctx) => ctx.state.collections, CollectionView)],
  ['MediaImage', lookup((ctx) => ctx.state.media, MediaImageView)],
  ['WebhookSubscription', lookup((ctx) => ctx.state.webhookSubscriptions, WebhookSubscriptionView)],
  ['BulkOperation', lookup((ctx) => ctx.core.bulk.ops, BulkOperationView)],
]);

/** `node(id:)`: the view of whatever the gid names, null when nothing does; a malformed id is an error. */
export function findNode(id: unknown, ctx: EmulatorContext): unknown {
  if (typeof id === 'string' && id.startsWith('gid://shopify/InventoryLevel/')) return inventoryLevelByGid(id, ctx);
  const ref = parseGid(id);
  if (!ref) throw new GraphQLError(`Invalid global id '${String(id)}'`, { extensions: { code: 'argumentLiteralsIncompatible' } });
  return NODES.get(ref.type)?.(ref.id, ctx) ?? null;
}

/** A root field such as `product(id:)`: the view when the gid names a record of that type, else null. */
export function findNodeOfType(id: unknown, type: string, ctx: EmulatorContext): unknown {
  const ref = parseGid(id, type);
  return ref ? (NODES.get(type)?.(ref.id, ctx) ?? null) : null;
}
