import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { type StagedChange, stagedChanges } from '../../drizzle/schema';
import { AppError, notFound } from '../../lib/errors';
import { type ChangeStatus, OPEN_CHANGE_STATUSES } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import type { Decider } from './decide';

/**
 * Puts a change whose push failed back among the approved ones, with the values it was approved
 * with, so the next push writes it again. Refused for any other status (a drifted change is
 * re-read and staged afresh instead) and when a newer open change of the entity exists.
 */
export async function retryFailedChange(db: Executor, id: string, by: Decider): Promise<StagedChange> {
  return db.transaction(async (tx) => {
    const [change] = await tx.select().from(stagedChanges).where(eq(stagedChanges.id, id)).for('update');
    if (!change) throw notFound('staged_change', id);
    if (change.status !== 'failed')
      throw new AppError('conflict:change_not_failed', `Only a failed change can be pushed again; this one is ${change.status}`);
    const newer = await otherChangeOf(tx, change, OPEN_CHANGE_STATUSES);
    if (newer)
      throw new AppError('conflict:newer_change', 'A newer change of this item is open; decide that one instead', { id: newer.id });
    const [updated] = await tx
      .update(stagedChanges)
      .set({ status: 'approved', error: null, batchId: null, decidedBy: by.id, decidedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(stagedChanges.id, id))
      .returning();
    return updated!;
  });
}

/**
 * Another change of the same entity in one of `statuses` (of the same kind when asked): the one a
 * person should decide instead of this one.
 */
export async function otherChangeOf(
  tx: Executor,
  change: StagedChange,
  statuses: readonly ChangeStatus[],
  options: { sameKind?: boolean } = {},
): Promise<{ id: string } | undefined> {
  const [other] = await tx
    .select({ id: stagedChanges.id })
    .from(stagedChanges)
    .where(
      and(
        eq(stagedChanges.storeId, change.storeId),
        eq(stagedChanges.entity, change.entity),
        eq(stagedChanges.entityKey, change.entityKey),
        ne(stagedChanges.id, change.id),
        inArray(stagedChanges.status, [...statuses]),
        options.sameKind ? eq(stagedChanges.kind, change.kind) : undefined,
      ),
    )
    .limit(1);
  return other;
}
