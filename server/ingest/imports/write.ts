import type { Executor } from '../../db/client';
import type { Logger } from '../../logger';
import { addRestaged, type RestageResult } from '../../staging/restage';
import { stageNewProduct, stageNewVariant } from '../creates';
import { applyLocalWrites, type LocalWrite } from '../edits';
import type { ProductPlan } from './plan';

/**
 * Writes planned products to the master and stages them, inside the caller's transaction, through
 * applyLocalWrites (the path every local edit takes): field writes and the memberships of a
 * "Custom Collections" column (joining is `{member: true}`, leaving `{member: false}`).
 */
export async function writeProducts(tx: Executor, storeId: string, products: ProductPlan[], logger?: Logger): Promise<RestageResult> {
  const memberships: LocalWrite[] = products.flatMap((p) =>
    p.memberships.map((m) => ({ entity: 'membership' as const, key: m.key, values: { member: m.member } })),
  );
  const result = await applyLocalWrites(tx, storeId, [...products.flatMap((p) => p.writes), ...memberships], 'import', logger);
  // New products and variants: each staged as one create (new-rows.ts).
  for (const p of products) {
    if (p.create) addRestaged(result, (await stageNewProduct(tx, storeId, p.create, 'import', logger)).result);
    for (const v of p.newVariants ?? [])
      addRestaged(result, (await stageNewVariant(tx, { store_id: storeId, key: p.productKey }, v, 'import', logger)).result);
  }
  return result;
}
