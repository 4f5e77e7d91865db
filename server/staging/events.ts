import { rooms } from '../../lib/realtime/events';
import type { RealtimeHub } from '../realtime/hub';
import type { RestageResult } from './restage';

/** Ids sent with a staged_changes_updated event at most; a client reloads its list beyond that. */
const MAX_IDS = 200;

/** Tells review lists of the store that changes were staged, updated or superseded. */
export async function publishStaged(hub: RealtimeHub, storeId: string, result: RestageResult, source: string): Promise<void> {
  if (result.changeIds.length === 0 && result.superseded === 0) return;
  await hub
    .publish('staged_changes_updated', [rooms.store(storeId)], {
      store_id: storeId,
      source,
      counts: { ...result.counts, inserted: result.inserted, updated: result.updated, superseded: result.superseded },
      ids: result.changeIds.slice(0, MAX_IDS),
      truncated: result.changeIds.length > MAX_IDS,
      message: `${result.changeIds.length} change(s) staged from ${source}`,
    })
    .catch(() => {});
}

/**
 * Tells review lists that changes were decided (approved, rejected, taken back), so another
 * reviewer's open list and counts move without a reload.
 */
export async function publishDecided(
  hub: RealtimeHub,
  changes: ReadonlyArray<{ id: string; storeId: string }>,
  decision: 'approved' | 'rejected' | 'unapproved',
): Promise<void> {
  const byStore = new Map<string, string[]>();
  for (const change of changes) {
    const ids = byStore.get(change.storeId) ?? [];
    ids.push(change.id);
    byStore.set(change.storeId, ids);
  }
  for (const [storeId, ids] of byStore) {
    await hub
      .publish('staged_changes_updated', [rooms.store(storeId)], {
        store_id: storeId,
        source: 'review',
        status: decision,
        counts: { [decision]: ids.length },
        ids: ids.slice(0, MAX_IDS),
        truncated: ids.length > MAX_IDS,
        message: `${ids.length} change(s) ${decision}`,
      })
      .catch(() => {});
  }
}
