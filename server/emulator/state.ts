import type { RawProductFields } from '../../lib/shopify/reshape';

/** The emulator's in-memory shop: plain records keyed by numeric id, as Shopify's legacy ids are. */

export type { ProductStatus } from '../../lib/shopify/types';

/** A product as the shop keeps it: Shopify's fields (the shapes the Admin API answers) under a numeric id. */
export interface ProductRecord extends Omit<RawProductFields, 'seo' | 'category'> {
  id: number;
  seo: { title: string | null; description: string | null };
  /** The TaxonomyCategory GID (taxonomy.ts); absent in a state file from before categories. */
  category?: string | null;
  /** `valueIds`: the values' ids once a reorder moved them (until then `optionValueIds` derives them from the position). */
  options: Array<{ id: number; name: string; values: string[]; valueIds?: number[] }>;
  variantIds: number[];
  collectionIds: Set<number>;
  /** `namespace.key` -> metafield (absent until the product has one). */
  metafields?: Map<string, MetafieldRecord>;
  /** The product's media in order (position 1 first); absent in state files saved before media existed. */
  mediaIds?: number[];
  createdAt: string;
  updatedAt: string;
}

/**
 * An image (MediaImage): a file that may be attached to products. `url` is the source it was added
 * from; null for a generated image, which the emulator serves itself (/__emulator/media/<id>.svg).
 */
export interface MediaRecord {
  id: number;
  alt: string;
  url: string | null;
  width: number;
  height: number;
  /** Products the file is attached to (fileUpdate referencesToAdd / referencesToRemove). */
  productIds: Set<number>;
  createdAt: string;
  updatedAt: string;
}

/** A metafield value of a product or variant, kept on its owner. `value` is Shopify's string. */
export interface MetafieldRecord {
  id: number;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface MetafieldDefinitionRecord {
  id: number;
  ownerType: 'PRODUCT' | 'PRODUCTVARIANT';
  namespace: string;
  key: string;
  name: string;
  description: string | null;
  type: string;
  validations: Array<{ name: string; value: string | null }>;
}

export interface VariantRecord {
  id: number;
  productId: number;
  title: string;
  price: string;
  compareAtPrice: string | null;
  barcode: string | null;
  inventoryPolicy: 'DENY' | 'CONTINUE';
  taxable: boolean;
  position: number;
  selectedOptions: Array<{ name: string; value: string }>;
  inventoryItemId: number;
  /** `namespace.key` -> metafield (absent until the variant has one). */
  metafields?: Map<string, MetafieldRecord>;
  createdAt: string;
  updatedAt: string;
}

export interface InventoryLevelRecord {
  available: number;
  onHand: number;
  updatedAt: string;
}

export interface InventoryItemRecord {
  id: number;
  variantId: number;
  sku: string | null;
  tracked: boolean;
  cost: string | null;
  /** Absent in a state file from before weights. */
  weight?: { value: number; unit: 'GRAMS' | 'KILOGRAMS' | 'OUNCES' | 'POUNDS' } | null;
  createdAt: string;
  updatedAt: string;
  /** locationId → level */
  levels: Map<number, InventoryLevelRecord>;
}

export interface LocationRecord {
  id: number;
  name: string;
  isActive: boolean;
  isPrimary: boolean;
  city: string;
  countryCode: string;
  createdAt: string;
}

export interface CollectionRecord {
  id: number;
  title: string;
  handle: string;
  descriptionHtml: string;
  productIds: Set<number>;
  updatedAt: string;
}

export interface WebhookSubscriptionRecord {
  id: number;
  topic: string;
  uri: string;
  format: 'JSON' | 'XML';
  includeFields: string[];
  filter: string | null;
  token: string;
  createdAt: string;
  updatedAt: string;
}

export class ShopState {
  products = new Map<number, ProductRecord>();
  variants = new Map<number, VariantRecord>();
  inventoryItems = new Map<number, InventoryItemRecord>();
  locations = new Map<number, LocationRecord>();
  collections = new Map<number, CollectionRecord>();
  media = new Map<number, MediaRecord>();
  webhookSubscriptions = new Map<number, WebhookSubscriptionRecord>();
  metafieldDefinitions = new Map<number, MetafieldDefinitionRecord>();
  handles = new Map<string, number>();
  /** Bumped on every write; caches of sorted views compare against it. */
  version = 0;
  private nextIds = new Map<string, number>();
  /** Added to every kind's first id: a second store with the same catalog has other ids, as two real shops do. */
  idOffset = 0;
  /** A clock that never goes backwards and moves at least 1 ms per write, so updated_at filters are exact. */
  private lastTime = 0;

  nextId(kind: string, start: number): number {
    const id = this.nextIds.get(kind) ?? start + this.idOffset;
    this.nextIds.set(kind, id + 1);
    return id;
  }

  now(): string {
    const t = Math.max(Date.now(), this.lastTime + 1);
    this.lastTime = t;
    return new Date(t).toISOString();
  }

  touch(): void {
    this.version += 1;
  }

  /** Total available across locations, as Shopify's inventoryQuantity. */
  variantQuantity(variant: VariantRecord): number {
    const item = this.inventoryItems.get(variant.inventoryItemId);
    if (!item) return 0;
    let total = 0;
    for (const level of item.levels.values()) total += level.available;
    return total;
  }

  uniqueHandle(base: string, ownId?: number): string {
    let handle = base || 'product';
    let n = 1;
    while (this.handles.has(handle) && this.handles.get(handle) !== ownId) handle = `${base}-${++n}`;
    return handle;
  }
}

export const ID_START = {
  product: 7_400_000_001,
  variant: 44_100_000_001,
  inventoryItem: 46_200_000_001,
  location: 71_000_001,
  collection: 420_000_001,
  webhook: 1_300_000_001,
  bulk: 5_200_000_001,
  adjustment: 9_100_000_001,
  media: 31_500_000_001,
  job: 6_600_000_001,
  metafield: 31_000_000_001,
  metafieldDefinition: 88_000_001,
} as const;

/** The ids of an option's values: stable across renames and reorders, as Shopify's ProductOptionValue ids are. */
export function optionValueIds(option: ProductRecord['options'][number]): number[] {
  return option.valueIds ?? option.values.map((_, j) => option.id * 100 + j);
}

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** Parses a gid of the given type; undefined when it is not one. */
export function parseGid(value: unknown, type?: string): { type: string; id: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
  if (!match) return undefined;
  if (type && match[1] !== type) return undefined;
  return { type: match[1]!, id: Number(match[2]) };
}

/** The record a gid of the given type names; undefined for another type, a malformed id or no such record. */
export function byGid<R>(records: ReadonlyMap<number, R>, value: unknown, type: string): R | undefined {
  const ref = parseGid(value, type);
  return ref ? records.get(ref.id) : undefined;
}

/** An inventory level has no id of its own: Shopify names it by location and inventory item. */
export function inventoryLevelGid(locationId: number, itemId: number): string {
  return `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${itemId}`;
}

export function parseInventoryLevelGid(value: unknown): { locationId: number; itemId: number } | undefined {
  const match = typeof value === 'string' ? /^gid:\/\/shopify\/InventoryLevel\/(\d+)\?inventory_item_id=(\d+)$/.exec(value) : null;
  return match ? { locationId: Number(match[1]), itemId: Number(match[2]) } : undefined;
}

export function handleize(title: string): string {
  return title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200);
}
