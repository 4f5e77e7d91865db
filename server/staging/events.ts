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
