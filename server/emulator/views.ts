import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { EmulatorCore } from './core';
import { connection, type SortValue } from './connection';
import { matchesSearch, parseSearch, type SearchFields } from './search';
import {
  gid,
  parseGid,
  type CollectionRecord,
  type InventoryItemRecord,
  type LocationRecord,
  type ProductRecord,
  type ShopState,
  type VariantRecord,
  type WebhookSubscriptionRecord,
} from './state';

/** What every resolver sees: the shop, who is calling, and whether this runs inside a bulk query. */
export interface EmulatorContext {
  state: ShopState;
  core: EmulatorCore;
  shop: { domain: string; plan: string; apiVersion: string; baseUrl: string };
  token: string;
  actor: 'app' | 'merchant' | 'bulk';
  /** Inside a bulk query: nested connections are unbounded and the root connection reads a window. */
  bulk?: { start: number; size: number; rootCount?: number };
}

export type Args = Record<string, unknown>;


const productSearch: SearchFields<ProductRecord> = {
  title: (p) => p.title,
  handle: (p) => p.handle,
  vendor: (p) => p.vendor,
  product_type: (p) => p.productType,
  status: (p) => p.status,
  tag: (p) => p.tags,
  tags: (p) => p.tags,
  id: (p) => p.id,
  updated_at: (p) => p.updatedAt,
  created_at: (p) => p.createdAt,
};

export function productSortValue(sortKey: string | null | undefined): (p: ProductRecord) => SortValue {
  switch (sortKey) {
    case 'UPDATED_AT':
      return (p) => p.updatedAt;
    case 'CREATED_AT':
      return (p) => p.createdAt;
    case 'TITLE':
      return (p) => p.title;
    default:
      return (p) => p.id;
  }
}

/** Filtered, sorted product lists per state version: paging a catalog re-reads the same list. */
const searchCache = new WeakMap<Map<number, ProductRecord>, Map<string, ProductRecord[]>>();

export function searchProducts(state: ShopState, query: string | null | undefined, sortKey?: string | null): ProductRecord[] {
  let cache = searchCache.get(state.products);
  if (!cache) searchCache.set(state.products, (cache = new Map()));
  const key = `${state.version}\u0000${sortKey ?? ''}\u0000${query ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const list = filterAndSort(state, query, sortKey);
  if (cache.size >= 32) cache.clear();
  cache.set(key, list);
  return list;
}

function filterAndSort(state: ShopState, query: string | null | undefined, sortKey?: string | null): ProductRecord[] {
  const parsed = parseSearch(query);
  const fields: SearchFields<ProductRecord> = {
    ...productSearch,
    sku: (p) => p.variantIds.map((v) => state.inventoryItems.get(state.variants.get(v)!.inventoryItemId)?.sku ?? null),
    barcode: (p) => p.variantIds.map((v) => state.variants.get(v)!.barcode),
  };
  let list = [...state.products.values()];
  if (parsed.length) list = list.filter((p) => matchesSearch(p, parsed, fields, 'title'));
  switch (sortKey) {
    case 'UPDATED_AT':
      list.sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id - b.id));
      break;
    case 'CREATED_AT':
      list.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));
      break;
    case 'TITLE':
      list.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id - b.id));
      break;
    default:
      // ID and RELEVANCE: records are kept in id order.
      break;
  }
  return list;
}

export class ProductView {
  readonly __typename = 'Product';
  constructor(
    private readonly p: ProductRecord,
    private readonly ctx: EmulatorContext,
  ) {}
  get id() { return gid('Product', this.p.id); }
  get legacyResourceId() { return String(this.p.id); }
  get title() { return this.p.title; }
  get handle() { return this.p.handle; }
  get descriptionHtml() { return this.p.descriptionHtml; }
  get bodyHtml() { return this.p.descriptionHtml; }
  description(args: Args) {
    const text = this.p.descriptionHtml.replace(/<[^>]*>/g, '');
    const max = args.truncateAt as number | undefined;
    return max && text.length > max ? `${text.slice(0, max)}…` : text;
  }
  get vendor() { return this.p.vendor; }
  get productType() { return this.p.productType; }
  get status() { return this.p.status; }
  get tags() { return this.p.tags; }
  get createdAt() { return this.p.createdAt; }
  get updatedAt() { return this.p.updatedAt; }
  get publishedAt() { return this.p.status === 'ACTIVE' ? this.p.createdAt : null; }
  get totalVariants() { return this.p.variantIds.length; }
  get variantsCount() { return { count: this.p.variantIds.length, precision: 'EXACT' }; }
  get hasOnlyDefaultVariant() { return this.p.options.length === 1 && this.p.options[0]!.values[0] === 'Default Title'; }
  get totalInventory() {
    let total = 0;
    for (const v of this.p.variantIds) total += this.ctx.state.variantQuantity(this.ctx.state.variants.get(v)!);
    return total;
  }
  get tracksInventory() {
    return this.p.variantIds.some((v) => this.ctx.state.inventoryItems.get(this.ctx.state.variants.get(v)!.inventoryItemId)?.tracked);
  }
  options(args: Args) {
    const list = this.p.options.map((o, i) => ({
      __typename: 'ProductOption',
      id: gid('ProductOption', o.id),
      name: o.name,
      position: i + 1,
      values: o.values,
      optionValues: o.values.map((value, j) => ({ __typename: 'ProductOptionValue', id: gid('ProductOptionValue', o.id * 100 + j), name: value, hasVariants: true })),
    }));
    return typeof args.first === 'number' ? list.slice(0, args.first) : list;
  }
  variants(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = this.p.variantIds.map((v) => ctx.state.variants.get(v)!);
    return connection(list, args, ctx, info, (v) => new VariantView(v, ctx));
  }
  collections(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = [...this.p.collectionIds].sort((a, b) => a - b).map((c) => ctx.state.collections.get(c)!).filter(Boolean);
    return connection(list, args, ctx, info, (c) => new CollectionView(c, ctx));
  }
  inCollection(args: Args) {
    const ref = parseGid(args.id, 'Collection');
    return ref ? this.p.collectionIds.has(ref.id) : false;
  }
}

export class VariantView {
  readonly __typename = 'ProductVariant';
  constructor(
    private readonly v: VariantRecord,
    private readonly ctx: EmulatorContext,
  ) {}
  private get item() { return this.ctx.state.inventoryItems.get(this.v.inventoryItemId); }
  get id() { return gid('ProductVariant', this.v.id); }
  get legacyResourceId() { return String(this.v.id); }
  get title() { return this.v.title; }
  get displayName() { return `${this.ctx.state.products.get(this.v.productId)?.title ?? ''} - ${this.v.title}`; }
  get price() { return this.v.price; }
  get compareAtPrice() { return this.v.compareAtPrice; }
  get barcode() { return this.v.barcode; }
  get sku() { return this.item?.sku ?? null; }
  get inventoryPolicy() { return this.v.inventoryPolicy; }
  get taxable() { return this.v.taxable; }
  get position() { return this.v.position; }
  get selectedOptions() { return this.v.selectedOptions.map((o) => ({ ...o, __typename: 'SelectedOption' })); }
  get inventoryQuantity() { return this.ctx.state.variantQuantity(this.v); }
  get availableForSale() { return this.v.inventoryPolicy === 'CONTINUE' || this.ctx.state.variantQuantity(this.v) > 0; }
  get createdAt() { return this.v.createdAt; }
  get updatedAt() { return this.v.updatedAt; }
  get inventoryItem() { const item = this.item; return item ? new InventoryItemView(item, this.ctx) : null; }
  get product() { const p = this.ctx.state.products.get(this.v.productId); return p ? new ProductView(p, this.ctx) : null; }
}

export class InventoryItemView {
  readonly __typename = 'InventoryItem';
  constructor(
    private readonly i: InventoryItemRecord,
    private readonly ctx: EmulatorContext,
  ) {}
  get id() { return gid('InventoryItem', this.i.id); }
  get legacyResourceId() { return String(this.i.id); }
  get sku() { return this.i.sku; }
  get tracked() { return this.i.tracked; }
  get requiresShipping() { return true; }
  get unitCost() { return this.i.cost === null ? null : { amount: this.i.cost, currencyCode: 'USD' }; }
  get createdAt() { return this.i.createdAt; }
  get updatedAt() { return this.i.updatedAt; }
  get locationsCount() { return { count: this.i.levels.size, precision: 'EXACT' }; }
  get variant() { const v = this.ctx.state.variants.get(this.i.variantId); return v ? new VariantView(v, this.ctx) : null; }
  inventoryLevels(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = [...this.i.levels.keys()].sort((a, b) => a - b).map((locationId) => ({ id: locationId, locationId }));
    return connection(list, args, ctx, info, (l) => new InventoryLevelView(this.i, l.locationId, ctx));
  }
  inventoryLevel(args: Args) {
    const ref = parseGid(args.locationId, 'Location');
    return ref && this.i.levels.has(ref.id) ? new InventoryLevelView(this.i, ref.id, this.ctx) : null;
  }
}

export class InventoryLevelView {
  readonly __typename = 'InventoryLevel';
  constructor(
    private readonly i: InventoryItemRecord,
    private readonly locationId: number,
    private readonly ctx: EmulatorContext,
  ) {}
  private get level() { return this.i.levels.get(this.locationId)!; }
  get id() { return `gid://shopify/InventoryLevel/${this.locationId}?inventory_item_id=${this.i.id}`; }
  get isActive() { return true; }
  get canDeactivate() { return true; }
  get createdAt() { return this.i.createdAt; }
  get updatedAt() { return this.level.updatedAt; }
  get item() { return new InventoryItemView(this.i, this.ctx); }
  get location() { const l = this.ctx.state.locations.get(this.locationId); return l ? new LocationView(l, this.ctx) : null; }
  quantities(args: Args) {
    const level = this.level;
    const names = (args.names as string[]) ?? [];
    return names.map((name) => {
      const quantity = quantityByName(level, name);
      if (quantity === undefined) throw new GraphQLError(`InventoryLevel.quantities name "${name}" is not emulated (available, on_hand, committed, incoming, reserved, damaged, safety_stock, quality_control)`);
      return { __typename: 'InventoryQuantity', id: `gid://shopify/InventoryQuantity/${this.locationId}?inventory_item_id=${this.i.id}&name=${name}`, name, quantity, updatedAt: level.updatedAt };
    });
  }
}

function quantityByName(level: { available: number; onHand: number }, name: string): number | undefined {
  switch (name) {
    case 'available':
      return level.available;
    case 'on_hand':
      return level.onHand;
    case 'committed':
      return Math.max(0, level.onHand - level.available);
    case 'incoming':
    case 'reserved':
    case 'damaged':
    case 'safety_stock':
    case 'quality_control':
      return 0;
    default:
      return undefined;
  }
}

export class LocationView {
  readonly __typename = 'Location';
  constructor(
    private readonly l: LocationRecord,
    private readonly ctx: EmulatorContext,
  ) {}
  get id() { return gid('Location', this.l.id); }
  get legacyResourceId() { return String(this.l.id); }
  get name() { return this.l.name; }
  get isActive() { return this.l.isActive; }
  get isPrimary() { return this.l.isPrimary; }
  get fulfillsOnlineOrders() { return this.l.isActive; }
  get shipsInventory() { return this.l.isActive; }
  get hasActiveInventory() { return this.l.isActive; }
  get isFulfillmentService() { return false; }
  get deactivatedAt() { return this.l.isActive ? null : this.l.createdAt; }
  get createdAt() { return this.l.createdAt; }
  get updatedAt() { return this.l.createdAt; }
  get address() {
    return { __typename: 'LocationAddress', city: this.l.city, countryCode: this.l.countryCode, country: this.l.countryCode, address1: null, address2: null, zip: null, province: null, provinceCode: null, phone: null, formatted: [this.l.city, this.l.countryCode] };
  }
  inventoryLevels(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = [...ctx.state.inventoryItems.values()].filter((i) => i.levels.has(this.l.id));
    return connection(list, args, ctx, info, (i) => new InventoryLevelView(i, this.l.id, ctx));
  }
}

export class CollectionView {
  readonly __typename = 'Collection';
  constructor(
    private readonly c: CollectionRecord,
    private readonly ctx: EmulatorContext,
  ) {}
  get id() { return gid('Collection', this.c.id); }
  get legacyResourceId() { return String(this.c.id); }
  get title() { return this.c.title; }
  get handle() { return this.c.handle; }
  get descriptionHtml() { return this.c.descriptionHtml; }
  get updatedAt() { return this.c.updatedAt; }
  get sortOrder() { return 'MANUAL'; }
  get ruleSet() { return null; }
  get productsCount() { return { count: this.c.productIds.size, precision: 'EXACT' }; }
  hasProduct(args: Args) {
    const ref = parseGid(args.id, 'Product');
    return ref ? this.c.productIds.has(ref.id) : false;
  }
  products(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = [...this.c.productIds].map((id) => ctx.state.products.get(id)!).filter(Boolean);
    return connection(list, args, ctx, info, (p) => new ProductView(p, ctx));
  }
}

export class WebhookSubscriptionView {
  readonly __typename = 'WebhookSubscription';
  constructor(private readonly w: WebhookSubscriptionRecord, private readonly ctx: EmulatorContext) {}
  get id() { return gid('WebhookSubscription', this.w.id); }
  get legacyResourceId() { return String(this.w.id); }
  get topic() { return this.w.topic; }
  get uri() { return this.w.uri; }
  get callbackUrl() { return this.w.uri; }
  get format() { return this.w.format; }
  get includeFields() { return this.w.includeFields; }
  get metafieldNamespaces() { return []; }
  get filter() { return this.w.filter; }
  get name() { return null; }
  get apiVersion() { return { __typename: 'ApiVersion', handle: this.ctx.shop.apiVersion, displayName: this.ctx.shop.apiVersion, supported: true }; }
  get endpoint() { return { __typename: 'WebhookHttpEndpoint', callbackUrl: this.w.uri }; }
  get createdAt() { return this.w.createdAt; }
  get updatedAt() { return this.w.updatedAt; }
}

export function findNode(id: unknown, ctx: EmulatorContext): unknown {
  if (typeof id === 'string' && id.startsWith('gid://shopify/InventoryLevel/')) {
    const match = /^gid:\/\/shopify\/InventoryLevel\/(\d+)\?inventory_item_id=(\d+)$/.exec(id);
    const item = match ? ctx.state.inventoryItems.get(Number(match[2])) : undefined;
    return item && item.levels.has(Number(match![1])) ? new InventoryLevelView(item, Number(match![1]), ctx) : null;
  }
  const ref = parseGid(id);
  if (!ref) throw new GraphQLError(`Invalid global id '${String(id)}'`, { extensions: { code: 'argumentLiteralsIncompatible' } });
  const s = ctx.state;
  switch (ref.type) {
    case 'Product': { const r = s.products.get(ref.id); return r ? new ProductView(r, ctx) : null; }
    case 'ProductVariant': { const r = s.variants.get(ref.id); return r ? new VariantView(r, ctx) : null; }
    case 'InventoryItem': { const r = s.inventoryItems.get(ref.id); return r ? new InventoryItemView(r, ctx) : null; }
    case 'Location': { const r = s.locations.get(ref.id); return r ? new LocationView(r, ctx) : null; }
    case 'Collection': { const r = s.collections.get(ref.id); return r ? new CollectionView(r, ctx) : null; }
    case 'WebhookSubscription': { const r = s.webhookSubscriptions.get(ref.id); return r ? new WebhookSubscriptionView(r, ctx) : null; }
    default:
      return null;
  }
}

export { connection, MAX_PAGE } from './connection';
