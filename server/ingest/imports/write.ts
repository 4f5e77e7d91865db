import type { Executor } from '../../db/client';
import type { Logger } from '../../logger';
import { addRestaged, type RestageResult } from '../../staging/restage';
import { stageNewProduct, stageNewVariant } from '../creates';
import { applyMasterWrites, type LocalWrite } from '../edits';
import type { ProductPlan } from './plan';

/**
 * Writes planned products to the master and stages them, inside the caller's transaction, through
 * applyMasterWrites (the path every master edit takes, to every store that has the product): field
 * writes and the memberships of a "Custom Collections" column (joining is `{member: true}`, leaving
 * `{member: false}`). Products the file creates are made in the import's store only.
 */
export async function writeProducts(tx: Executor, storeId: string, products: ProductPlan[], logger?: Logger): Promise<RestageResult> {
  const memberships: LocalWrite[] = products.flatMap((p) =>
    p.memberships.map((m) => ({ entity: 'membership' as const, key: m.key, values: { member: m.member } })),
  );
  const writes = [...products.flatMap((p) => p.writes), ...memberships];
  const { result } = await applyMasterWrites(tx, storeId, writes, 'import', logger);
  // New products and variants: each staged as one create (new-rows.ts).
  for (const p of products) {
    if (p.create) addRestaged(result, (await stageNewProduct(tx, storeId, p.create, 'import', logger)).result);
    for (const v of p.newVariants ?? [])
      addRestaged(result, (await stageNewVariant(tx, { store_id: storeId, key: p.productKey }, v, 'import', logger)).result);
  }
  return result;
}
