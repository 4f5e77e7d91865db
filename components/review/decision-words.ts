import { formatValue } from '../ui/controls';
import { fieldLabel } from './field-label';
import { metafieldShort } from './metafield-value';

/**
 * What each decision will do, said on its button (DESIGN.md "Every decision converges"): approving
 * pushes to Shopify or adopts into the master; rejecting discards a master edit (Shopify keeps its
 * value) or keeps the master's value and proposes restoring it in Shopify; a conflict is resolved,
 * not rejected.
 */

export interface DecisionSubject {
  entity: string;
  kind: 'incoming' | 'outgoing' | 'conflict';
  op?: string;
  origin?: string | null;
  valueNames?: Readonly<Record<string, string>> | null;
  fields: ReadonlyArray<{ name: string; local: unknown; remote: unknown }>;
}

export const RESTORE_ORIGIN = 'restore_shopify';
/** A change staged by reverting its product to a point in time (the change's `originAt`). */
export const REVERT_ORIGIN = 'revert';

/** "revert to 7 Dec 2026, 21:04": what a revert's mark says. */
export function revertWords(originAt: string | null | undefined): string {
  if (!originAt) return 'revert';
  return `revert to ${new Date(originAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' })}`;
}

/** One field's value on a side ("12.00"), or the fields' labels when there are several ("Title and Price"). */
function what(change: DecisionSubject, side: 'local' | 'remote'): { one: boolean; text: string } {
  if (change.fields.length === 1) {
    const value = change.fields[0]![side];
    return { one: true, text: change.entity === 'metafield' ? metafieldShort(value, change.valueNames) : formatValue(value) };
  }
  const labels = change.fields.map((f) => fieldLabel(change.entity, f.name));
  const text = labels.length > 3 ? `${labels.slice(0, 3).join(', ')} and ${labels.length - 3} more` : labels.join(', ');
  return { one: false, text };
}

/** The whole entity's create or delete, in words for its kind of entity. */
function wholeEntity(change: DecisionSubject): { make: string; remove: string } {
  if (change.entity === 'membership')
    return { make: 'add the product to the collection', remove: 'remove the product from the collection' };
  return { make: 'create it', remove: 'delete it' };
}

export function approveWords(change: DecisionSubject, chosen = change.fields.length): string {
  if (change.kind === 'conflict') return 'Resolve and approve';
  const w = wholeEntity(change);
  if (change.op === 'create') return change.kind === 'outgoing' ? `Approve: ${w.make} in Shopify` : `Approve: ${w.make} in the master`;
  if (change.op === 'delete') return change.kind === 'outgoing' ? `Approve: ${w.remove} in Shopify` : `Approve: ${w.remove} in the master`;
  if (chosen < change.fields.length) {
    const n = `${chosen} chosen field${chosen === 1 ? '' : 's'}`;
    const them = chosen === 1 ? 'it' : 'them';
    return change.kind === 'outgoing' ? `Approve ${n}: push ${them} to Shopify` : `Approve ${n}: adopt ${them} into the master`;
  }
  if (change.kind === 'incoming') return `Approve: adopt ${what(change, 'remote').text} into the master`;
  if (change.origin === RESTORE_ORIGIN) return `Approve: restore ${what(change, 'local').text} in Shopify`;
  const local = what(change, 'local');
  return local.one ? `Approve: push ${local.text} to Shopify` : `Approve: push the master's ${local.text} to Shopify`;
}

/** The reject button's words; null for a conflict, which is resolved instead. */
export function rejectWords(change: DecisionSubject): string | null {
  if (change.kind === 'conflict') return null;
  const w = wholeEntity(change);
  if (change.op === 'create') {
    return change.kind === 'outgoing'
      ? `Reject: discard the master's new entry (Shopify has none)`
      : `Reject: keep it out of the master and propose to ${w.remove} in Shopify`;
  }
  if (change.op === 'delete') {
    return change.kind === 'outgoing'
      ? `Reject: undo the master's removal, Shopify keeps it`
      : `Reject: keep it in the master and propose to ${w.make} again in Shopify`;
  }
  const local = what(change, 'local');
  const remote = what(change, 'remote');
  if (change.kind === 'incoming') {
    return local.one
      ? `Reject: keep ${local.text} in the master and propose restoring it in Shopify`
      : `Reject: keep the master's ${local.text} and propose restoring them in Shopify`;
  }
  if (change.origin === RESTORE_ORIGIN) return `Reject: adopt Shopify's ${remote.text} into the master instead`;
  return remote.one
    ? `Reject: discard the master edit, Shopify keeps ${remote.text}`
    : `Reject: discard the master edits, Shopify keeps its ${remote.text}`;
}

export type KindCounts = Record<'incoming' | 'outgoing' | 'conflict', number>;
/** The whole entries a bulk decision creates or removes, per side of the proposal (conflicts wait for a resolution). */
export type OpCounts = Record<'incoming' | 'outgoing', Record<'create' | 'delete', number>>;
export const NO_OPS: OpCounts = { incoming: { create: 0, delete: 0 }, outgoing: { create: 0, delete: 0 } };

/**
 * What a bulk decision will do to each kind of change it takes, one line per kind present, each
 * followed by the creates and deletes among them in the words of a single create or delete.
 */
export function bulkWords(action: 'approve' | 'reject', kinds: KindCounts, ops: OpCounts = NO_OPS): string[] {
  const n = (k: keyof KindCounts, one: string, many = `${one}s`) => `${kinds[k].toLocaleString()} ${kinds[k] === 1 ? one : many}`;
  const lines: string[] = [];
  const whole = (k: keyof OpCounts) => lines.push(...wholeLines(action, k, ops[k]));
  if (action === 'approve') {
    if (kinds.outgoing) lines.push(`${n('outgoing', 'outgoing change')}: written to Shopify by the next push.`);
    whole('outgoing');
    if (kinds.incoming)
      lines.push(`${n('incoming', 'incoming change')}: adopted into the master now, recorded as one batch you can roll back.`);
    whole('incoming');
    if (kinds.conflict) lines.push(`${n('conflict', 'conflict')}: left for a resolution, one by one.`);
  } else {
    if (kinds.outgoing) lines.push(`${n('outgoing', 'outgoing change')}: the master edits are discarded; Shopify keeps its values.`);
    whole('outgoing');
    if (kinds.incoming)
      lines.push(`${n('incoming', 'incoming change')}: the master keeps its values; restoring them in Shopify is proposed for review.`);
    whole('incoming');
    if (kinds.conflict) lines.push(`${n('conflict', 'conflict')}: skipped; a conflict is resolved, not rejected.`);
  }
  return lines;
}

/** "Including 1 deletion: the entry deleted in Shopify is removed from the master now." */
function wholeLines(action: 'approve' | 'reject', kind: keyof OpCounts, ops: OpCounts[keyof OpCounts]): string[] {
  const lines: string[] = [];
  for (const op of ['delete', 'create'] as const) {
    const count = ops[op];
    if (!count) continue;
    const one = count === 1;
    const noun = op === 'delete' ? (one ? 'deletion' : 'deletions') : one ? 'creation' : 'creations';
    const the = one ? 'the entry' : 'the entries';
    const is = one ? 'is' : 'are';
    const it = one ? 'it' : 'them';
    const does = {
      approve: {
        incoming: {
          delete: `${the} deleted in Shopify ${is} removed from the master now`,
          create: `${the} new in Shopify ${is} created in the master now`,
        },
        outgoing: {
          delete: `${the} removed in the master ${is} deleted from Shopify by the next push`,
          create: `${the} new in the master ${is} created in Shopify by the next push`,
        },
      },
      reject: {
        incoming: {
          delete: `${the} deleted in Shopify ${is} kept in the master; creating ${it} again in Shopify is proposed for review`,
          create: `${the} new in Shopify ${is} kept out of the master; deleting ${it} in Shopify is proposed for review`,
        },
        outgoing: {
          delete: `${the} removed in the master ${is} restored there; Shopify keeps ${it}`,
          create: `${the} new in the master ${is} discarded; Shopify has none`,
        },
      },
    }[action][kind][op];
    lines.push(`Including ${count.toLocaleString()} ${noun}: ${does}.`);
  }
  return lines;
}
