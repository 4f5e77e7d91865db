import { AppError } from '../errors';
import { ENTITY_FIELDS, type FieldSpec, fieldSpec, sameValue } from './fields';
import { type ChangeKind, type ChangeOp, type EntityType, type FieldDiff, type FieldValues, PRIORITIES, type Priority } from './model';

/**
 * The three-way classification of DESIGN.md, per entity and per field:
 *   local != base, remote == base  -> outgoing
 *   remote != base, local == base  -> incoming
 *   both moved and local != remote -> conflict
 *   local == remote != base        -> converged: base moves, nothing is staged
 * One entity can yield up to three staged changes (one per kind) when different fields moved on
 * different sides; each field is in at most one of them.
 */

export interface EntityDocs {
  local: FieldValues | null;
  base: FieldValues | null;
  remote: FieldValues | null;
}

export interface ProposedChange {
  kind: ChangeKind;
  op: ChangeOp;
  fields: FieldDiff[];
}

export interface Classification {
  changes: ProposedChange[];
  /** The new base when converged fields moved it (null: the entity is gone on both sides); undefined: unchanged. */
  base?: FieldValues | null;
  /** The master's document with fields adopted from Shopify (see classifyFields); undefined: unchanged. */
  local?: FieldValues;
}

export interface ClassifyOptions {
  /** Fields held by an approved or in-flight change: left alone until that change settles. */
  skipFields?: ReadonlySet<string>;
}

const NONE: Classification = { changes: [] };

function allSame(specs: readonly FieldSpec[], a: FieldValues, b: FieldValues): boolean {
  return specs.every((f) => sameValue(f, a[f.name], b[f.name]));
}

function wholeDiff(specs: readonly FieldSpec[], docs: EntityDocs): FieldDiff[] {
  return specs.map((f) => ({
    name: f.name,
    base: docs.base ? (docs.base[f.name] ?? null) : null,
    local: docs.local ? (docs.local[f.name] ?? null) : null,
    remote: docs.remote ? (docs.remote[f.name] ?? null) : null,
  }));
}

export function classifyEntity(entity: EntityType, docs: EntityDocs, options: ClassifyOptions = {}): Classification {
  const specs = ENTITY_FIELDS[entity].filter((f) => !options.skipFields?.has(f.name));
  const { local, base, remote } = docs;

  if (!local && !remote) return base ? { changes: [], base: null } : NONE;
  if (!base && !local && remote) return { changes: [{ kind: 'incoming', op: 'create', fields: wholeDiff(specs, docs) }] };
  if (!base && local && !remote) return { changes: [{ kind: 'outgoing', op: 'create', fields: wholeDiff(specs, docs) }] };
  if (base && local && !remote) {
    const kind: ChangeKind = allSame(specs, local, base) ? 'incoming' : 'conflict';
    return { changes: [{ kind, op: 'delete', fields: wholeDiff(specs, docs) }] };
  }
  if (base && !local && remote) {
    const kind: ChangeKind = allSame(specs, remote, base) ? 'outgoing' : 'conflict';
    return { changes: [{ kind, op: 'delete', fields: wholeDiff(specs, docs) }] };
  }
  return classifyFields(specs, local!, base, remote!);
}

function classifyFields(specs: readonly FieldSpec[], local: FieldValues, base: FieldValues | null, remote: FieldValues): Classification {
  const buckets: Record<ChangeKind, FieldDiff[]> = { incoming: [], outgoing: [], conflict: [] };
  let newBase: FieldValues | undefined;
  let newLocal: FieldValues | undefined;
  for (const f of specs) {
    const l = local[f.name];
    const r = remote[f.name];
    const hasBase = base !== null && f.name in base;
    const b = hasBase ? base![f.name] : undefined;
    // A field neither the base nor the master has ever held (it became synced after they were
    // written): nothing was decided about it, so Shopify's value is adopted, as a first pull adopts.
    if (base !== null && !hasBase && !(f.name in local)) {
      newBase ??= { ...base };
      newBase[f.name] = f.normalize(r);
      newLocal ??= { ...local };
      newLocal[f.name] = f.normalize(r);
      continue;
    }
    // A value Shopify owns (an image's URL once it re-hosts it) follows Shopify without a review.
    if (f.shopifyOwned && hasBase && !sameValue(f, r, b)) {
      newBase ??= { ...base! };
      newBase[f.name] = f.normalize(r);
      newLocal ??= { ...local };
      newLocal[f.name] = f.normalize(r);
      continue;
    }
    const lr = sameValue(f, l, r);
    if (hasBase && lr && sameValue(f, l, b)) continue;
    if (lr) {
      newBase ??= { ...(base ?? {}) };
      newBase[f.name] = f.normalize(r);
      continue;
    }
    const diff: FieldDiff = { name: f.name, base: hasBase ? b : null, local: l, remote: r };
    if (!hasBase) buckets.conflict.push(diff);
    else if (sameValue(f, r, b)) buckets.outgoing.push(diff);
    else if (sameValue(f, l, b)) buckets.incoming.push(diff);
    else buckets.conflict.push(diff);
  }
  const changes: ProposedChange[] = [];
  for (const kind of ['incoming', 'outgoing', 'conflict'] as const) {
    if (buckets[kind].length) changes.push({ kind, op: 'update', fields: buckets[kind] });
  }
  return { changes, ...(newBase ? { base: newBase } : {}), ...(newLocal ? { local: newLocal } : {}) };
}

/** A reviewer's choice for one field: Shopify's value, ours, or a custom value (validated). */
export type FieldResolution = 'local' | 'remote' | { value: unknown };

export interface ApprovalInput {
  /** Approve only these fields (default: all fields of the change). */
  fields?: string[];
  /** Per field; conflicts need one, incoming/outgoing default to their direction. */
  resolution?: Record<string, FieldResolution>;
  /** One choice for every field (and for whole-entity conflicts: create/delete). */
  resolveAll?: 'local' | 'remote';
}

export interface ApprovalPlan {
  fields: string[];
  /** What the master must become: field values (update), the whole document (create), or deletion. */
  master: { op: ChangeOp; values: FieldValues } | null;
  /** What Shopify must become, written by a push. */
  shopify: { op: ChangeOp; values: FieldValues } | null;
  /** The decided value of every approved field. */
  target: FieldValues;
}

function defaultResolution(kind: ChangeKind): 'local' | 'remote' | null {
  return kind === 'incoming' ? 'remote' : kind === 'outgoing' ? 'local' : null;
}

/**
 * Turns a decision on a staged change into the writes it implies. Throws AppError for a conflict
 * left unresolved, an unknown field, or a custom value that fails the field's validation.
 */
export function planApproval(entity: EntityType, change: ProposedChange, input: ApprovalInput = {}): ApprovalPlan {
  const names = change.fields.map((f) => f.name);
  const chosen = input.fields ?? names;
  const unknown = chosen.filter((n) => !names.includes(n));
  if (unknown.length) throw new AppError('validation:unknown_field', `Not fields of this change: ${unknown.join(', ')}`);
  if (chosen.length === 0) throw new AppError('validation:no_fields', 'Choose at least one field to approve');

  if (change.op !== 'update') return planWholeEntity(change, chosen, input);

  const target: FieldValues = {};
  const master: FieldValues = {};
  const shopify: FieldValues = {};
  for (const name of chosen) {
    const diff = change.fields.find((f) => f.name === name)!;
    const spec = fieldSpec(entity, name);
    const choice = input.resolution?.[name] ?? input.resolveAll ?? defaultResolution(change.kind);
    if (!choice) {
      throw new AppError(
        'validation:unresolved_conflict',
        `Field ${spec?.label ?? name} is in conflict: keep Shopify's value, ours, or give a custom value`,
        { field: name },
      );
    }
    let value: unknown;
    if (choice === 'local') value = diff.local;
    else if (choice === 'remote') value = diff.remote;
    else {
      const parsed = spec ? spec.schema.safeParse(choice.value) : { success: true as const, data: choice.value };
      if (!parsed.success) {
        throw new AppError('validation:custom_value', `${spec?.label ?? name} ${parsed.error.issues[0]?.message ?? 'is invalid'}`, {
          field: name,
        });
      }
      value = spec ? spec.normalize(parsed.data) : parsed.data;
      const unwritable = spec?.writable?.(value, diff.remote);
      if (unwritable) throw new AppError('validation:custom_value', `${spec!.label}: ${unwritable}`, { field: name });
    }
    target[name] = value;
    if (!sameValue(spec, value, diff.local)) master[name] = value;
    if (!sameValue(spec, value, diff.remote)) shopify[name] = value;
  }
  return {
    fields: chosen,
    target,
    master: Object.keys(master).length ? { op: 'update', values: master } : null,
    shopify: Object.keys(shopify).length ? { op: 'update', values: shopify } : null,
  };
}

function planWholeEntity(change: ProposedChange, chosen: string[], input: ApprovalInput): ApprovalPlan {
  const names = change.fields.map((f) => f.name);
  if (chosen.length !== names.length) {
    throw new AppError('validation:partial_create_delete', 'A create or delete is approved as a whole, not field by field');
  }
  const choice = input.resolveAll ?? defaultResolution(change.kind);
  if (!choice) {
    throw new AppError(
      'validation:unresolved_conflict',
      "This entity was deleted on one side and edited on the other: keep Shopify's version or ours",
    );
  }
  const side = (s: 'local' | 'remote') => Object.fromEntries(change.fields.map((f) => [f.name, f[s]])) as FieldValues;
  const localExists = change.fields.some((f) => f.local !== null);
  const remoteExists = change.fields.some((f) => f.remote !== null);
  if (choice === 'remote') {
    // The master follows Shopify: adopt its document, or delete ours.
    return {
      fields: names,
      target: remoteExists ? side('remote') : {},
      master: remoteExists ? { op: localExists ? 'update' : 'create', values: side('remote') } : { op: 'delete', values: {} },
      shopify: null,
    };
  }
  return {
    fields: names,
    target: localExists ? side('local') : {},
    master: null,
    shopify: localExists ? { op: remoteExists ? 'update' : 'create', values: side('local') } : { op: 'delete', values: {} },
  };
}

/** The push class of a write (DESIGN.md): inventory to or from zero is CRITICAL; else the highest field class. */
export function writePriority(entity: EntityType, before: FieldValues | null, target: FieldValues): Priority {
  if (entity === 'inventory_level' && 'available' in target) {
    const from = Number(before?.available ?? 0);
    const to = Number(target.available);
    if (from !== to && (from === 0 || to === 0)) return 'critical';
  }
  let best: Priority = 'low';
  for (const name of Object.keys(target)) {
    const p = fieldSpec(entity, name)?.priority ?? 'normal';
    if (PRIORITIES.indexOf(p) < PRIORITIES.indexOf(best)) best = p;
  }
  return best;
}

/** Size of a change for auto-approval rules and highlighting: largest price move in %, quantity delta. */
export function changeMagnitude(
  entity: EntityType,
  fields: FieldDiff[],
  direction: 'incoming' | 'outgoing' | 'conflict',
): Record<string, number> | null {
  const out: Record<string, number> = {};
  for (const f of fields) {
    const from = Number(direction === 'outgoing' ? f.remote : f.local);
    const to = Number(direction === 'outgoing' ? f.local : f.remote);
    if (!Number.isFinite(from) || !Number.isFinite(to) || f.local === null || f.remote === null) continue;
    if (entity === 'variant' && (f.name === 'price' || f.name === 'compareAtPrice')) {
      const pct = from === 0 ? (to === 0 ? 0 : 100) : (Math.abs(to - from) / from) * 100;
      out.pricePercent = Math.max(out.pricePercent ?? 0, Math.round(pct * 100) / 100);
    }
    if (entity === 'inventory_level' && f.name === 'available') out.quantityDelta = to - from;
  }
  return Object.keys(out).length ? out : null;
}
