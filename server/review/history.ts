import type { FieldDiff } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { changesOfEntity } from './plans';

interface HistoryRow extends Record<string, unknown> {
  id: string;
  kind: string;
  op: string;
  status: string;
  fields: FieldDiff[];
  source: string;
  origin: string | null;
  origin_change_id: string | null;
  decided_by: string | null;
  decided_at: string | Date | null;
  reason: string | null;
  auto_rule: string | null;
  batch_id: string | null;
  created_at: string | Date;
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

/** Changes of an entity kept beside the one shown. */
const HISTORY_LIMIT = 50;

/**
 * The entity's other staged changes, newest first, with who decided what and why: a restore shows
 * the rejected incoming change (and its reason) it came from; a rejected change stays in the list.
 */
export async function entityHistory(db: Executor, change: { id: string; storeId: string; entity: string; entityKey: string }) {
  const rows = await queryRows<HistoryRow>(db, changesOfEntity(change.storeId, change.entity, change.entityKey, HISTORY_LIMIT + 1));
  return rows
    .filter((r) => r.id !== change.id)
    .slice(0, HISTORY_LIMIT)
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      op: r.op,
      status: r.status,
      fields: r.fields.map((f) => f.name),
      source: r.source,
      origin: r.origin,
      originChangeId: r.origin_change_id,
      decidedBy: r.decided_by,
      decidedAt: iso(r.decided_at),
      reason: r.reason,
      autoRule: r.auto_rule,
      batchId: r.batch_id,
      createdAt: iso(r.created_at),
    }));
}
