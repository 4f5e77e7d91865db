import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { type CatalogEntity, catalogEntities } from '../../drizzle/schema';
import { entityKeys, normalizeDecimal } from '../../lib/sync/fields';
import type { Db } from '../../server/db/client';

export interface PlannedEdits {
  titles: CatalogEntity[];
  prices: CatalogEntity[];
  inventory: CatalogEntity[];
  leaves: CatalogEntity[];
  joins: Array<{ key: string; productKey: string }>;
  total: number;
}

const bump = (price: unknown, by: number) => normalizeDecimal((Number(price) + by).toFixed(2))!;

/** Local edits, as the dashboard or a CSV import would make them, spread over the catalog's products. */
export async function makeLocalEdits(
  db: Db,
  storeId: string,
  want: { titles: number; prices: number; inventory: number; leaves: number; joins: number; products?: number },
): Promise<PlannedEdits> {
  const rows = await db
    .select()
    .from(catalogEntities)
    .where(and(eq(catalogEntities.storeId, storeId), isNotNull(catalogEntities.remote)));
  const products = rows.filter((r) => r.entity === 'product').slice(0, want.products ?? Infinity);
  const inScope = new Set(products.map((p) => p.key));
  const of = (entity: string) => rows.filter((r) => r.entity === entity && inScope.has(r.productKey!));
  const locations = [...new Set(of('inventory_level').map((r) => entityKeys.split(r.key)[1]))].slice(0, 2);
  const plan: PlannedEdits = {
    titles: products.slice(0, want.titles),
    prices: of('variant').slice(0, want.prices),
    inventory: of('inventory_level')
      .filter((r) => locations.includes(entityKeys.split(r.key)[1]))
      .slice(0, want.inventory),
    leaves: of('membership').slice(0, want.leaves),
    joins: [],
    total: 0,
  };
  const collections = [...new Set(rows.filter((r) => r.entity === 'membership').map((r) => entityKeys.split(r.key)[0]))];
  const memberKeys = new Set(rows.filter((r) => r.entity === 'membership').map((r) => r.key));
  for (const p of products) {
    if (plan.joins.length >= want.joins) break;
    const c = collections.find((id) => !memberKeys.has(entityKeys.membership(id, p.key)));
    if (c && !plan.leaves.some((l) => l.productKey === p.key)) plan.joins.push({ key: entityKeys.membership(c, p.key), productKey: p.key });
  }
  const set = (r: CatalogEntity, local: Record<string, unknown> | null) =>
    db
      .update(catalogEntities)
      .set({ local, localUpdatedAt: sql`now()` })
      .where(and(eq(catalogEntities.storeId, storeId), eq(catalogEntities.entity, r.entity), eq(catalogEntities.key, r.key)));
  for (const r of plan.titles) await set(r, { ...r.local, title: `${r.local!.title} (new)` });
  for (const r of plan.prices) await set(r, { ...r.local, price: bump(r.local!.price, 1) });
  for (const r of plan.inventory) await set(r, { available: Number(r.local!.available ?? 0) + 5 });
  for (const r of plan.leaves) await set(r, null);
  if (plan.joins.length) {
    await db.insert(catalogEntities).values(
      plan.joins.map((j) => ({
        storeId,
        entity: 'membership' as const,
        key: j.key,
        productKey: j.productKey,
        local: { member: true },
        base: null,
        remote: null,
      })),
    );
  }
  plan.total = plan.titles.length + plan.prices.length + plan.inventory.length + plan.leaves.length + plan.joins.length;
  return plan;
}
