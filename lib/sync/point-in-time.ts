import type { ChangeOp, EntityType, FieldValues } from './model';

/** One write that landed (a push, an adoption into the master, a rollback), as a product's history holds it. */
export interface LandedWrite {
  entity: EntityType;
  entityKey: string;
  op: ChangeOp;
  before: FieldValues | null;
  after: FieldValues | null;
  /** When it settled. */
  at: Date;
}

/** What an entity held at a point in time, as far as the history knows it. */
export interface EntityAt {
  entity: EntityType;
  entityKey: string;
  /** Absent from the history's view at T: made after T (its first write after T is a create). */
  createdAfter: boolean;
  /** Removed at T: its last write at or before T was a delete. */
  absent: boolean;
  /** The value of each field the history names, at T. */
  fields: FieldValues;
}

/**
 * The value each field of each entity had at `at`, from the writes that landed: the `after` of the
 * last write at or before T that names the field, else the `before` of the first write after T
 * that names it; a field no write names is not known (left out: it has not changed since). Writes
 * are read in the order they settled; `writes` may come in any order.
 */
export function valuesAt(writes: readonly LandedWrite[], at: Date): EntityAt[] {
  const ordered = [...writes].sort((a, b) => a.at.getTime() - b.at.getTime());
  const byEntity = new Map<string, LandedWrite[]>();
  for (const w of ordered) {
    const id = `${w.entity}|${w.entityKey}`;
    const list = byEntity.get(id);
    if (list) list.push(w);
    else byEntity.set(id, [w]);
  }
  const out: EntityAt[] = [];
  for (const list of byEntity.values()) {
    const first = list[0]!;
    const until = list.filter((w) => w.at.getTime() <= at.getTime());
    const later = list.filter((w) => w.at.getTime() > at.getTime());
    const lastBefore = until.at(-1);
    const createdAfter = until.length === 0 && later[0]?.op === 'create';
    const absent = lastBefore ? lastBefore.after === null : later[0] ? later[0].before === null : false;
    const fields: FieldValues = {};
    const names = new Set(list.flatMap((w) => [...Object.keys(w.before ?? {}), ...Object.keys(w.after ?? {})]));
    for (const name of names) {
      const settled = until.findLast((w) => w.after !== null && name in w.after);
      if (settled) fields[name] = settled.after![name];
      else {
        const next = later.find((w) => w.before !== null && name in w.before);
        if (next) fields[name] = next.before![name];
      }
    }
    out.push({ entity: first.entity, entityKey: first.entityKey, createdAfter, absent, fields });
  }
  return out;
}
