import type { GraphQLResolveInfo } from 'graphql';
import type { BulkOperationRecord } from '../bulk/runner';
import { connection } from '../connection';
import type { Args, EmulatorContext } from '../context';
import { jobById } from '../mutations/media';
import { filterBySearch, type SearchFields } from '../search';
import type { CollectionRecord, InventoryItemRecord, ShopState, VariantRecord } from '../state';
import { taxonomyCategories } from '../taxonomy';
import { BulkOperationView } from '../views/bulk-operation';
import { CollectionView } from '../views/collection';
import { InventoryItemView } from '../views/inventory';
import { LocationView } from '../views/location';
import { MetafieldDefinitionView } from '../views/metafield';
import { findNode, findNodeOfType } from '../views/node';
import { ProductView } from '../views/product';
import { productSortValue, searchProducts } from '../views/product-search';
import { shopView } from '../views/shop';
import { VariantView } from '../views/variant';
import { WebhookSubscriptionView } from '../views/webhook';

const query = (args: Args) => args.query as string | undefined;

/** The `query:` fields of each searchable root connection (products: views/product-search.ts). */
const variantSearch = (state: ShopState): SearchFields<VariantRecord> => ({
  sku: (x) => state.inventoryItems.get(x.inventoryItemId)?.sku ?? null,
  barcode: (x) => x.barcode,
  product_id: (x) => x.productId,
  id: (x) => x.id,
  title: (x) => x.title,
  updated_at: (x) => x.updatedAt,
});
const inventoryItemSearch: SearchFields<InventoryItemRecord> = { sku: (x) => x.sku, id: (x) => x.id, updated_at: (x) => x.updatedAt };
const collectionSearch: SearchFields<CollectionRecord> = {
  title: (x) => x.title,
  handle: (x) => x.handle,
  id: (x) => x.id,
  updated_at: (x) => x.updatedAt,
  collection_type: () => 'custom',
};
const bulkOperationSearch: SearchFields<BulkOperationRecord> = {
  status: (x) => x.status,
  operation_type: (x) => x.type,
  created_at: (x) => x.createdAt,
  id: (x) => x.id,
};

/** The root query fields the emulator answers; each reads the state through the resource's view. */
export class QueryRoot {
  shop(_args: Args, ctx: EmulatorContext) {
    return shopView(ctx);
  }
  taxonomy() {
    return { __typename: 'Taxonomy', categories: taxonomyCategories };
  }
  products(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const sortKey = args.sortKey as string | undefined;
    const list = searchProducts(ctx.state, query(args), sortKey);
    return connection(list, args, ctx, info, (p) => new ProductView(p, ctx), productSortValue(sortKey));
  }
  productsCount(args: Args, ctx: EmulatorContext) {
    const count = searchProducts(ctx.state, query(args)).length;
    const limit = args.limit as number | null | undefined;
    return limit != null && count > limit ? { count: limit, precision: 'AT_LEAST' } : { count, precision: 'EXACT' };
  }
  product(args: Args, ctx: EmulatorContext) {
    return findNodeOfType(args.id, 'Product', ctx);
  }
  job(args: Args) {
    return jobById(args.id);
  }
  productVariant(args: Args, ctx: EmulatorContext) {
    return findNodeOfType(args.id, 'ProductVariant', ctx);
  }
  productVariants(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = filterBySearch(ctx.state.variants.values(), query(args), variantSearch(ctx.state), 'title');
    return connection(list, args, ctx, info, (v) => new VariantView(v, ctx));
  }
  inventoryItem(args: Args, ctx: EmulatorContext) {
    return findNodeOfType(args.id, 'InventoryItem', ctx);
  }
  inventoryItems(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = filterBySearch(ctx.state.inventoryItems.values(), query(args), inventoryItemSearch, 'sku');
    return connection(list, args, ctx, info, (i) => new InventoryItemView(i, ctx));
  }
  locations(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = [...ctx.state.locations.values()].filter((l) => l.isActive || args.includeInactive === true);
    return connection(list, args, ctx, info, (l) => new LocationView(l, ctx));
  }
  location(args: Args, ctx: EmulatorContext) {
    if (args.id != null) return findNodeOfType(args.id, 'Location', ctx);
    const primary = [...ctx.state.locations.values()].find((l) => l.isPrimary);
    return primary ? new LocationView(primary, ctx) : null;
  }
  collections(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = filterBySearch(ctx.state.collections.values(), query(args), collectionSearch, 'title');
    return connection(list, args, ctx, info, (c) => new CollectionView(c, ctx));
  }
  collection(args: Args, ctx: EmulatorContext) {
    return findNodeOfType(args.id, 'Collection', ctx);
  }
  node(args: Args, ctx: EmulatorContext) {
    return findNode(args.id, ctx);
  }
  nodes(args: Args, ctx: EmulatorContext) {
    return (args.ids as string[]).map((id) => findNode(id, ctx));
  }
  metafieldDefinitions(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = [...ctx.state.metafieldDefinitions.values()].filter(
      (d) =>
        d.ownerType === args.ownerType &&
        (args.namespace == null || d.namespace === args.namespace) &&
        (args.key == null || d.key === args.key),
    );
    return connection(list, args, ctx, info, (d) => new MetafieldDefinitionView(d, ctx));
  }
  webhookSubscriptions(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const topics = args.topics as string[] | undefined;
    const list = [...ctx.state.webhookSubscriptions.values()].filter(
      (w) => w.token === ctx.token && (!topics || topics.includes(w.topic)) && (!args.uri || w.uri === args.uri),
    );
    return connection(list, args, ctx, info, (w) => new WebhookSubscriptionView(w, ctx));
  }
  bulkOperation(args: Args, ctx: EmulatorContext) {
    return findNodeOfType(args.id, 'BulkOperation', ctx);
  }
  bulkOperations(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const own = [...ctx.core.bulk.ops.values()].filter((o) => o.token === ctx.token);
    const list = filterBySearch(own, query(args), bulkOperationSearch, 'status');
    const byCompleted = args.sortKey === 'COMPLETED_AT';
    list.sort((a, b) => (byCompleted ? (a.completedAt ?? '').localeCompare(b.completedAt ?? '') || a.id - b.id : a.id - b.id));
    return connection(list, args, ctx, info, (o) => new BulkOperationView(o, ctx), byCompleted ? (o) => o.completedAt ?? '' : (o) => o.id);
  }
}
