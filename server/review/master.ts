import type { CatalogEntity, StagedChange } from '../../drizzle/schema';
import type { ApprovalPlan } from '../../lib/sync/classify';
import { fieldSpec, sameValue } from '../../lib/sync/fields';
import type { ChangeOp, EntityType, FieldValues } from '../../lib/sync/model';
import { normalizeOptions, optionsWithVariants } from '../../lib/sync/options';

/**
 * What a decision does to the catalog's documents, computed on the rows the decision locked (pure:
 * decide.ts reads and writes them). Several changes of one request may touch one entity (its
 * incoming and its outgoing change), so each applies to the state the previous one left.
 *
 * DESIGN.md, "Every decision converges":
 * - approve: the master takes the decided values where it lacks them (incoming, Shopify's side of a
 *   conflict, a custom value); base follows where Shopify holds them already.
 * - reject outgoing: the master edit is discarded, the master and base return to Shopify's value
 *   (a master create is removed, a master delete restored).
 * - reject incoming: the master keeps its value and base moves to Shopify's, so the entity now
 *   classifies as outgoing: the restore of Shopify to the master's value, staged for review.
 */

export interface EntityState {
  entity: EntityType;
  key: string;
  productKey: string | null;
  local: FieldValues | null;
  base: FieldValues | null;
  remote: FieldValues | null;
  meta?: Record<string, unknown>;
  /** Written by this request: local changed (edited) or only base (moved). */
  edited: boolean;
  moved: boolean;
}

/** One write into the master, recorded as an applied item of the request's adopt batch (rollback restores `before`). */
export interface MasterItem {
  changeId: string;
  entity: EntityType;
  key: string;
  productKey: string | null;
  op: ChangeOp;
  before: FieldValues | null;
  target: FieldValues | null;
}

export const stateKey = (entity: string, key: string) => `${entity}\u0000${key}`;

export function stateOf(row: CatalogEntity): EntityState {
  return { ...row, edited: false, moved: false };
}

/** The inventory item a variant's levels are keyed by (a variant made in the master: its own key). */
export function inventoryItemOf(state: EntityState | undefined): string | null {
  const id = state?.meta?.inventoryItemId;
  return typeof id === 'string' && id ? id : null;
}

const pick = (doc: FieldValues | null, names: string[]): FieldValues => Object.fromEntries(names.map((n) => [n, doc?.[n] ?? null]));

/** The master side of an approval (plan.master must be set). */
export function applyApproval(state: EntityState, change: StagedChange, plan: ApprovalPlan): MasterItem {
  const master = plan.master!;
  const names = Object.keys(master.values);
  const before = state.local ? pick(state.local, names) : null;
  if (master.op === 'delete') {
    state.local = null;
    if (!state.remote) state.base = null;
  } else {
    state.local = { ...(master.op === 'create' ? {} : (state.local ?? {})), ...master.values };
    const base = { ...(state.base ?? {}) };
    for (const [name, value] of Object.entries(master.values)) {
      if (state.remote && sameValue(fieldSpec(change.entity, name), value, state.remote[name])) base[name] = value;
    }
    state.base = base;
  }
  state.edited = true;
  return item(change, master.op, before, master.op === 'delete' ? null : master.values);
}

/**
 * Rejecting an outgoing change: the master returns to Shopify's value. A product's create or delete
 * takes its rows along (`rows`: the product's variants, levels and memberships).
 */
export function discardMasterEdit(state: EntityState, change: StagedChange, rows: EntityState[]): MasterItem {
  if (change.op === 'create') {
    const before = state.local;
    for (const s of [state, ...rows]) {
      if (s.remote || !s.local) continue;
      s.local = null;
      s.edited = true;
    }
    return item(change, 'delete', before, null);
  }
  if (change.op === 'delete') {
    for (const s of [state, ...rows]) {
      if (s.local || !s.remote) continue;
      s.local = { ...s.remote };
      s.base = { ...s.remote };
      s.edited = true;
    }
    return item(change, 'create', null, state.local);
  }
  const names = change.fields.map((f) => f.name);
  const before = pick(state.local, names);
  const target = pick(state.remote, names);
  state.local = { ...(state.local ?? {}), ...target };
  state.base = { ...(state.base ?? {}), ...target };
  state.edited = true;
  return item(change, 'update', before, target);
}

/**
 * Approving a create or delete into the master: the entity's rows follow it (a product's variants,
 * levels and memberships; a variant's levels), each recorded so that a rollback restores it.
 */
export function followIntoMaster(change: StagedChange, op: ChangeOp, rows: EntityState[]): MasterItem[] {
  const items: MasterItem[] = [];
  for (const s of rows) {
    if (op === 'create' && s.remote && !s.local) {
      s.local = { ...s.remote };
      s.base = { ...s.remote };
      s.edited = true;
      items.push({ ...item(change, 'create', null, s.local), entity: s.entity, key: s.key, productKey: s.productKey });
    } else if (op === 'delete' && s.local) {
      const before = s.local;
      s.local = null;
      if (!s.remote) s.base = null;
      s.edited = true;
      items.push({ ...item(change, 'delete', before, null), entity: s.entity, key: s.key, productKey: s.productKey });
    }
  }
  return items;
}

/**
 * Approving a variant Shopify created into the master: the values it added to its product's options
 * (Shopify adds them with the variant; restage leaves them to this change) join the master's
 * options too, unless the master edited its options meanwhile (that conflict stays in review).
 */
export function followOptions(change: StagedChange, variant: EntityState, product: EntityState | undefined): MasterItem | null {
  if (change.entity !== 'variant' || !product?.local || !product.base || !product.remote) return null;
  const spec = fieldSpec('product', 'options');
  if (!sameValue(spec, product.local.options, product.base.options)) return null;
  const selected = variant.meta?.selectedOptions;
  if (!Array.isArray(selected)) return null;
  const before = normalizeOptions(product.base.options);
  const options = optionsWithVariants(before, normalizeOptions(product.remote.options), [selected]);
  if (!options || sameValue(spec, options, before)) return null;
  product.local = { ...product.local, options };
  product.base = { ...product.base, options };
  product.edited = true;
  return { ...item(change, 'update', { options: before }, { options }), entity: 'product', key: product.key, productKey: product.key };
}

/** Rejecting an incoming change: base takes Shopify's value, the master keeps its own (restage proposes the restore). */
export function keepMasterValue(state: EntityState, change: StagedChange): void {
  if (change.op === 'create') state.base = state.remote ? { ...state.remote } : null;
  else if (change.op === 'delete') state.base = null;
  else
    state.base = {
      ...(state.base ?? {}),
      ...pick(
        state.remote,
        change.fields.map((f) => f.name),
      ),
    };
  state.moved = true;
}

function item(change: StagedChange, op: ChangeOp, before: FieldValues | null, target: FieldValues | null): MasterItem {
  return {
    changeId: change.id,
    entity: change.entity,
    key: change.entityKey,
    productKey: change.productKey ?? (change.entity === 'product' ? change.entityKey : null),
    op,
    before,
    target,
  };
}
