import type { Executor } from '../../db/client';
import type { Logger } from '../../logger';
import type { RestageResult } from '../../staging/restage';
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
  return applyLocalWrites(tx, storeId, [...products.flatMap((p) => p.writes), ...memberships], 'import', logger);
}
