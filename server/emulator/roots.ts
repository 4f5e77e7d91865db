import { randomUUID } from 'node:crypto';
import type { GraphQLResolveInfo } from 'graphql';
import { BulkOperationView } from './bulk';
import { collectionCreate, productDelete, productSet, productUpdate, productVariantsBulkUpdate } from './mutations/products';
import { inventoryAdjustQuantities, inventorySetQuantities } from './mutations/inventory';
import { matchesSearch, parseSearch } from './search';
import { ID_START, gid, parseGid } from './state';
import {
  CollectionView,
  InventoryItemView,
  LocationView,
  ProductView,
  VariantView,
  WebhookSubscriptionView,
  connection,
  findNode,
  productSortValue,
  searchProducts,
  type Args,
  type EmulatorContext,
} from './views';

const PLAN_NAMES: Record<string, { displayName: string; shopifyPlus: boolean }> = {
  standard: { displayName: 'Basic', shopifyPlus: false },
  advanced: { displayName: 'Advanced', shopifyPlus: false },
  plus: { displayName: 'Shopify Plus', shopifyPlus: true },
  enterprise: { displayName: 'Commerce Components', shopifyPlus: true },
};

function shopView(ctx: EmulatorContext) {
  const plan = PLAN_NAMES[ctx.shop.plan] ?? PLAN_NAMES.standard!;
  return {
    __typename: 'Shop',
    id: gid('Shop', 1),
    name: 'Emulator Store',
    myshopifyDomain: ctx.shop.domain,
    email: 'owner@emulator-store.example',
    contactEmail: 'owner@emulator-store.example',
    currencyCode: 'USD',
    ianaTimezone: 'UTC',
    timezoneAbbreviation: 'UTC',
    weightUnit: 'KILOGRAMS',
    url: `https://${ctx.shop.domain}`,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    plan: { __typename: 'ShopPlan', displayName: plan.displayName, publicDisplayName: plan.displayName, shopifyPlus: plan.shopifyPlus, partnerDevelopment: false },
  };
}

export class QueryRoot {
  shop(_args: Args, ctx: EmulatorContext) {
    return shopView(ctx);
  }
  products(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const sortKey = args.sortKey as string | undefined;
    const list = searchProducts(ctx.state, args.query as string | undefined, sortKey);
    return connection(list, args, ctx, info, (p) => new ProductView(p, ctx), productSortValue(sortKey));
  }
  productsCount(args: Args, ctx: EmulatorContext) {
    const count = searchProducts(ctx.state, args.query as string | undefined).length;
    const limit = args.limit as number | null | undefined;
    return limit != null && count > limit ? { count: limit, precision: 'AT_LEAST' } : { count, precision: 'EXACT' };
  }
  product(args: Args, ctx: EmulatorContext) {
    const ref = parseGid(args.id, 'Product');
    const p = ref ? ctx.state.products.get(ref.id) : undefined;
    return p ? new ProductView(p, ctx) : null;
  }
  productVariant(args: Args, ctx: EmulatorContext) {
    const ref = parseGid(args.id, 'ProductVariant');
    const v = ref ? ctx.state.variants.get(ref.id) : undefined;
    return v ? new VariantView(v, ctx) : null;
  }
  productVariants(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const state = ctx.state;
    const parsed = parseSearch(args.query as string | undefined);
    const list = [...state.variants.values()].filter((v) =>
      matchesSearch(v, parsed, {
        sku: (x) => state.inventoryItems.get(x.inventoryItemId)?.sku ?? null,
        barcode: (x) => x.barcode,
        product_id: (x) => x.productId,
        id: (x) => x.id,
        title: (x) => x.title,
        updated_at: (x) => x.updatedAt,
      }, 'title'),
    );
    return connection(list, args, ctx, info, (v) => new VariantView(v, ctx));
  }
  inventoryItem(args: Args, ctx: EmulatorContext) {
    const ref = parseGid(args.id, 'InventoryItem');
    const i = ref ? ctx.state.inventoryItems.get(ref.id) : undefined;
    return i ? new InventoryItemView(i, ctx) : null;
  }
  inventoryItems(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const parsed = parseSearch(args.query as string | undefined);
    const list = [...ctx.state.inventoryItems.values()].filter((i) => matchesSearch(i, parsed, { sku: (x) => x.sku, id: (x) => x.id, updated_at: (x) => x.updatedAt }, 'sku'));
    return connection(list, args, ctx, info, (i) => new InventoryItemView(i, ctx));
  }
  locations(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = [...ctx.state.locations.values()].filter((l) => l.isActive || args.includeInactive === true);
    return connection(list, args, ctx, info, (l) => new LocationView(l, ctx));
  }
  location(args: Args, ctx: EmulatorContext) {
    if (args.id == null) {
      const primary = [...ctx.state.locations.values()].find((l) => l.isPrimary);
      return primary ? new LocationView(primary, ctx) : null;
    }
    const ref = parseGid(args.id, 'Location');
    const l = ref ? ctx.state.locations.get(ref.id) : undefined;
    return l ? new LocationView(l, ctx) : null;
  }
  collections(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const parsed = parseSearch(args.query as string | undefined);
    const list = [...ctx.state.collections.values()].filter((c) =>
      matchesSearch(c, parsed, { title: (x) => x.title, handle: (x) => x.handle, id: (x) => x.id, updated_at: (x) => x.updatedAt, collection_type: () => 'custom' }, 'title'),
    );
    return connection(list, args, ctx, info, (c) => new CollectionView(c, ctx));
  }
  collection(args: Args, ctx: EmulatorContext) {
    const ref = parseGid(args.id, 'Collection');
    const c = ref ? ctx.state.collections.get(ref.id) : undefined;
    return c ? new CollectionView(c, ctx) : null;
  }
  node(args: Args, ctx: EmulatorContext) {
    return findBulkOrNode(args.id, ctx);
  }
  nodes(args: Args, ctx: EmulatorContext) {
    return (args.ids as string[]).map((id) => findBulkOrNode(id, ctx));
  }
  webhookSubscriptions(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const topics = args.topics as string[] | undefined;
    const list = [...ctx.state.webhookSubscriptions.values()].filter((w) => w.token === ctx.token && (!topics || topics.includes(w.topic)) && (!args.uri || w.uri === args.uri));
    return connection(list, args, ctx, info, (w) => new WebhookSubscriptionView(w, ctx));
  }
  bulkOperation(args: Args, ctx: EmulatorContext) {
    const ref = parseGid(args.id, 'BulkOperation');
    const op = ref ? ctx.core.bulk.ops.get(ref.id) : undefined;
    return op ? new BulkOperationView(op) : null;
  }
  bulkOperations(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const parsed = parseSearch(args.query as string | undefined);
    const list = [...ctx.core.bulk.ops.values()].filter(
      (o) => o.token === ctx.token && matchesSearch(o, parsed, { status: (x) => x.status, operation_type: (x) => x.type, created_at: (x) => x.createdAt, id: (x) => x.id }, 'status'),
    );
    const byCompleted = args.sortKey === 'COMPLETED_AT';
    list.sort((a, b) => (byCompleted ? (a.completedAt ?? '').localeCompare(b.completedAt ?? '') || a.id - b.id : a.id - b.id));
    return connection(list, args, ctx, info, (o) => new BulkOperationView(o), byCompleted ? (o) => o.completedAt ?? '' : (o) => o.id);
  }
}

function findBulkOrNode(id: unknown, ctx: EmulatorContext) {
  const ref = parseGid(id, 'BulkOperation');
  if (ref) {
    const op = ctx.core.bulk.ops.get(ref.id);
    return op ? new BulkOperationView(op) : null;
  }
  return findNode(id, ctx);
}

export class MutationRoot {
  productUpdate = productUpdate;
  productVariantsBulkUpdate = productVariantsBulkUpdate;
  productSet = productSet;
  productDelete = productDelete;
  inventorySetQuantities = inventorySetQuantities;
  inventoryAdjustQuantities = inventoryAdjustQuantities;
  collectionCreate = collectionCreate;

  webhookSubscriptionCreate(args: Args, ctx: EmulatorContext) {
    const input = args.webhookSubscription as { uri?: string; callbackUrl?: string; format?: 'JSON' | 'XML'; includeFields?: string[]; filter?: string };
    const uri = input.uri ?? input.callbackUrl;
    if (!uri || !/^https?:\/\/\S+$/.test(uri)) return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'uri'], message: 'Address is invalid' }] };
    const topic = args.topic as string;
    const taken = [...ctx.state.webhookSubscriptions.values()].some((w) => w.token === ctx.token && w.topic === topic && w.uri === uri);
    if (taken) return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'uri'], message: 'Address for this topic has already been taken' }] };
    const now = ctx.state.now();
    const id = ctx.state.nextId('webhook', ID_START.webhook);
    const record = { id, topic, uri, format: input.format ?? 'JSON', includeFields: input.includeFields ?? [], filter: input.filter ?? null, token: ctx.token, createdAt: now, updatedAt: now };
    ctx.state.webhookSubscriptions.set(id, record);
    ctx.core.log({ mutation: 'webhookSubscriptionCreate', actor: ctx.actor, token: ctx.token, idempotencyKey: null, target: [gid('WebhookSubscription', id)], input: args });
    return { webhookSubscription: new WebhookSubscriptionView(record, ctx), userErrors: [] };
  }

  webhookSubscriptionDelete(args: Args, ctx: EmulatorContext) {
    const ref = parseGid(args.id, 'WebhookSubscription');
    const record = ref ? ctx.state.webhookSubscriptions.get(ref.id) : undefined;
    if (!record || record.token !== ctx.token) return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
    ctx.state.webhookSubscriptions.delete(record.id);
    ctx.core.log({ mutation: 'webhookSubscriptionDelete', actor: ctx.actor, token: ctx.token, idempotencyKey: null, target: [gid('WebhookSubscription', record.id)], input: args });
    return { deletedWebhookSubscriptionId: gid('WebhookSubscription', record.id), userErrors: [] };
  }

  stagedUploadsCreate(args: Args, ctx: EmulatorContext) {
    const inputs = args.input as Array<{ resource: string; filename: string; mimeType: string; httpMethod?: string }>;
    const userErrors: Array<{ field: string[]; message: string }> = [];
    const stagedTargets = inputs.map((input, i) => {
      if (input.resource !== 'BULK_MUTATION_VARIABLES') {
        userErrors.push({ field: ['input', String(i), 'resource'], message: `The emulator stages only BULK_MUTATION_VARIABLES uploads, not ${input.resource}` });
        return null;
      }
      const key = `tmp/bulk/${randomUUID()}/${input.filename}`;
      return {
        __typename: 'StagedMediaUploadTarget',
        url: `${ctx.shop.baseUrl}/__emulator/staged-uploads`,
        resourceUrl: `${ctx.shop.baseUrl}/__emulator/staged-uploads/${key}`,
        parameters: [
          { name: 'key', value: key },
          { name: 'Content-Type', value: input.mimeType },
          { name: 'success_action_status', value: '201' },
          { name: 'acl', value: 'private' },
        ],
      };
    });
    if (userErrors.length) return { stagedTargets: null, userErrors };
    return { stagedTargets, userErrors };
  }

  bulkOperationRunQuery(args: Args, ctx: EmulatorContext) {
    const { op, userErrors } = ctx.core.bulk.runQuery(args.query as string, ctx);
    return { bulkOperation: op ? new BulkOperationView(op) : null, userErrors };
  }

  bulkOperationRunMutation(args: Args, ctx: EmulatorContext) {
    const path = args.stagedUploadPath as string;
    const { op, userErrors } = ctx.core.bulk.runMutation(args.mutation as string, ctx.core.uploads.get(path), ctx, (args.clientIdentifier as string) ?? null);
    return { bulkOperation: op ? new BulkOperationView(op) : null, userErrors };
  }

  bulkOperationCancel(args: Args, ctx: EmulatorContext) {
    const ref = parseGid(args.id, 'BulkOperation');
    const existing = ref ? ctx.core.bulk.ops.get(ref.id) : undefined;
    if (!existing || existing.token !== ctx.token) return { bulkOperation: null, userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }] };
    if (existing.status !== 'CREATED' && existing.status !== 'RUNNING') {
      return { bulkOperation: new BulkOperationView(existing), userErrors: [{ field: ['id'], message: `A bulk operation cannot be canceled when it is ${existing.status.toLowerCase()}` }] };
    }
    const op = ctx.core.bulk.cancel(existing.id)!;
    return { bulkOperation: new BulkOperationView(op), userErrors: [] };
  }
}
