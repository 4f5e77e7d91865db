import type { Executor } from '../db/client';
import type { Logger } from '../logger';

/**
 * Listeners told about changes newly staged or updated, per store (auto-approval registers here).
 * They run inside the staging transaction (`tx`), so what they write commits or rolls back with it;
 * a listener that throws is logged and does not undo the staging.
 */
export interface StagedEvent {
  storeId: string;
  /** Ids of pending changes inserted or whose fields changed. */
  changeIds: string[];
  source: string;
  tx: Executor;
}

export type StagedListener = (event: StagedEvent) => Promise<void> | void;

const listeners = new Set<StagedListener>();

/** Registers a listener; returns a function that removes it. */
export function onStaged(listener: StagedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function emitStaged(event: StagedEvent, logger?: Logger): Promise<void> {
  if (event.changeIds.length === 0) return;
  for (const listener of [...listeners]) {
    try {
      // A savepoint: a listener whose query fails must not abort the staging transaction.
      const tx = event.tx as Executor & { transaction?: <T>(fn: (sp: Executor) => Promise<T>) => Promise<T> };
      if (tx.transaction) await tx.transaction(async (sp) => listener({ ...event, tx: sp }));
      else await listener(event);
    } catch (err) {
      logger?.warn({ err, storeId: event.storeId }, 'staged-change listener failed');
    }
  }
}
