import { eq } from 'drizzle-orm';
import { catalogEntities, type StagedChange, type Store, stagedChanges, stores } from '../../drizzle/schema';
import { normalizeDocument } from '../../lib/sync/fields';
import type { EntityType, FieldValues } from '../../lib/sync/model';
import type { Db } from '../../server/db/client';
import { restage } from '../../server/staging/restage';

export async function createStore(
  db: Db,
  options: { shopDomain?: string; adminUrl?: string | null; accessToken?: string; bulkThreshold?: number } = {},
): Promise<Store> {
  const [store] = await db
    .insert(stores)
    .values({
      shopDomain: options.shopDomain ?? `shop-${Math.random().toString(36).slice(2, 8)}.myshopify.com`,
      name: 'Test shop',
      adminUrl: options.adminUrl ?? null,
      accessToken: options.accessToken ?? 'test-token',
      source: 'settings',
      settings: options.bulkThreshold ? { bulkThreshold: options.bulkThreshold } : {},
    })
    .returning();
  return store!;
}

export interface EntitySeed {
  entity: EntityType;
  key: string;
  productKey?: string | null;
  local: FieldValues | null;
  base: FieldValues | null;
  remote: FieldValues | null;
  meta?: Record<string, unknown>;
}

/** Catalog rows with the three documents normalized, as a pull and local edits would leave them. */
export async function seedEntities(db: Db, storeId: string, seeds: EntitySeed[]): Promise<void> {
  for (let i = 0; i < seeds.length; i += 500) {
    await db.insert(catalogEntities).values(
      seeds.slice(i, i + 500).map((s) => ({
        storeId,
        entity: s.entity,
        key: s.key,
        productKey: s.productKey ?? (s.entity === 'product' ? s.key : null),
        local: normalizeDocument(s.entity, s.local),
        base: normalizeDocument(s.entity, s.base),
        remote: normalizeDocument(s.entity, s.remote),
        meta: s.meta ?? {},
      })),
    );
  }
}

/** Runs staging's restage over the whole store: the staged changes the review pages would show. */
export async function stageAll(db: Db, storeId: string): Promise<StagedChange[]> {
  await db.transaction((tx) => restage(tx, { storeId, all: true }, 'edit'));
  return db.select().from(stagedChanges).where(eq(stagedChanges.storeId, storeId));
}

export const product = (n: number, extra: FieldValues = {}): FieldValues => ({
  title: `Product ${n}`,
  handle: `product-${n}`,
  descriptionHtml: '<p>hi</p>',
  vendor: 'Acme',
  productType: 'Shirt',
  status: 'ACTIVE',
  tags: ['a'],
  ...extra,
});

export const variant = (price: string, extra: FieldValues = {}): FieldValues => ({
  sku: null,
  barcode: null,
  price,
  compareAtPrice: null,
  inventoryPolicy: 'DENY',
  taxable: true,
  tracked: true,
  cost: null,
  ...extra,
});
