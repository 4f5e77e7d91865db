import type { GraphQLResolveInfo } from 'graphql';
import type { Args, EmulatorContext } from '../context';
import { inventoryLevelPayload } from '../payloads';
import { byGid, gid, ID_START, type InventoryItemRecord, inventoryLevelGid } from '../state';
import { InventoryItemView } from '../views/inventory';
import { LocationView } from '../views/location';
import { logWrite, type UserError } from './common';
import { onceFor } from './idempotency';

const REASONS = new Set([
  'correction',
  'cycle_count_available',
  'damaged',
  'movement_created',
  'movement_updated',
  'movement_received',
  'movement_canceled',
  'other',
  'promotion',
  'quality_control',
  'received',
  'reservation_created',
  'reservation_deleted',
  'reservation_updated',
  'restock',
  'safety_stock',
  'shrinkage',
]);

const QUANTITY_NAMES = ['available', 'on_hand'];

interface QuantityInput {
  name: string;
  reason: string;
  referenceDocumentUri?: string | null;
}

interface Change {
  item: InventoryItemRecord;
  locationId: number;
  delta: number;
  after: number;
}

type Target = { item: InventoryItemRecord; locationId: number };

function adjustmentGroup(ctx: EmulatorContext, input: QuantityInput, changes: Change[]) {
  const id = ctx.state.nextId('adjustment', ID_START.adjustment);
  const createdAt = ctx.state.now();
  return {
    __typename: 'InventoryAdjustmentGroup',
    id: gid('InventoryAdjustmentGroup', id),
    createdAt,
    reason: input.reason,
    referenceDocumentUri: input.referenceDocumentUri ?? null,
    changes: (args: Args) => {
      const names = args.quantityNames as string[] | undefined;
      const out = changes.map((c) => ({
        __typename: 'InventoryChange',
        name: input.name,
        delta: c.delta,
        quantityAfterChange: c.after,
        ledgerDocumentUri: null,
        item: new InventoryItemView(c.item, ctx),
        location: new LocationView(ctx.state.locations.get(c.locationId)!, ctx),
      }));
      return names ? out.filter((c) => names.includes(c.name)) : out;
    },
  };
}

function resolveTarget(
  ctx: EmulatorContext,
  itemId: unknown,
  locationId: unknown,
  field: string[],
  errors: UserError[],
): Target | undefined {
  const item = byGid(ctx.state.inventoryItems, itemId, 'InventoryItem');
  if (!item) {
    errors.push({
      field: [...field, 'inventoryItemId'],
      message: 'The specified inventory item could not be found.',
      code: 'INVALID_INVENTORY_ITEM',
    });
    return undefined;
  }
  const location = byGid(ctx.state.locations, locationId, 'Location');
  if (!location) {
    errors.push({ field: [...field, 'locationId'], message: 'The specified location could not be found.', code: 'INVALID_LOCATION' });
    return undefined;
  }
  if (!item.levels.has(location.id)) {
    errors.push({
      field: [...field, 'locationId'],
      message: 'The specified inventory item is not stocked at the location.',
      code: 'INVALID_LOCATION',
    });
    return undefined;
  }
  return { item, locationId: location.id };
}

/** The quantity a change starts from; undefined (and a user error) when the caller expected another one. */
function startingQuantity(target: Target, name: string, expected: unknown, field: string[], errors: UserError[]): number | undefined {
  const level = target.item.levels.get(target.locationId)!;
  const current = name === 'on_hand' ? level.onHand : level.available;
  if (expected == null || expected === current) return current;
  errors.push({
    field: [...field, 'changeFromQuantity'],
    message: 'The specified compare quantity does not match the current quantity.',
    code: 'CHANGE_FROM_QUANTITY_STALE',
  });
  return undefined;
}

function commit(ctx: EmulatorContext, mutation: string, name: string, changes: Change[], key: string, input: unknown): void {
  const now = ctx.state.now();
  for (const c of changes) {
    const level = c.item.levels.get(c.locationId)!;
    if (name === 'on_hand') {
      level.available += c.after - level.onHand;
      level.onHand = c.after;
    } else {
      level.onHand += c.after - level.available;
      level.available = c.after;
    }
    level.updatedAt = now;
    c.item.updatedAt = now;
  }
  ctx.state.touch();
  const targets = changes.map((c) => inventoryLevelGid(c.locationId, c.item.id));
  logWrite(ctx, mutation, targets, input, key);
  for (const c of changes) {
    const level = c.item.levels.get(c.locationId)!;
    ctx.core.webhooks.emit('INVENTORY_LEVELS_UPDATE', inventoryLevelPayload(c.item.id, c.locationId, level.available, level.updatedAt));
  }
}

function checkCommon(input: QuantityInput, errors: UserError[]): void {
  if (!QUANTITY_NAMES.includes(input.name))
    errors.push({
      field: ['input', 'name'],
      message: `The quantity name must be one of: ${QUANTITY_NAMES.join(', ')}.`,
      code: 'INVALID_NAME',
    });
  if (!REASONS.has(input.reason))
    errors.push({ field: ['input', 'reason'], message: 'The specified reason is invalid.', code: 'INVALID_REASON' });
  if (input.referenceDocumentUri && !/^[a-z][a-z0-9+.-]*:\/?\/?\S+$/i.test(input.referenceDocumentUri)) {
    errors.push({
      field: ['input', 'referenceDocumentUri'],
      message: 'The reference document URI is invalid.',
      code: 'INVALID_REFERENCE_DOCUMENT',
    });
  }
}

/**
 * An inventory write: @idempotent, the common input checked, the changes collected (each bad one a
 * user error), then all applied or none.
 */
function quantityMutation<I extends QuantityInput>(
  mutation: string,
  collect: (ctx: EmulatorContext, input: I, errors: UserError[]) => Change[],
) {
  return (args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) =>
    onceFor(ctx, info, args, (key) => {
      const input = args.input as I;
      const errors: UserError[] = [];
      checkCommon(input, errors);
      const changes = collect(ctx, input, errors);
      if (errors.length) return { inventoryAdjustmentGroup: null, userErrors: errors };
      commit(ctx, mutation, input.name, changes, key, input);
      return { inventoryAdjustmentGroup: adjustmentGroup(ctx, input, changes), userErrors: [] };
    });
}

type SetInput = QuantityInput & { quantities: Array<Record<string, unknown>> };

function setChanges(ctx: EmulatorContext, input: SetInput, errors: UserError[]): Change[] {
  const changes: Change[] = [];
  const seen = new Set<string>();
  for (const [i, q] of input.quantities.entries()) {
    const field = ['input', 'quantities', String(i)];
    if (!('changeFromQuantity' in q)) {
      errors.push({
        field: [...field, 'changeFromQuantity'],
        message: 'changeFromQuantity is required: pass the expected current quantity, or null to skip the check.',
        code: 'COMPARE_QUANTITY_REQUIRED',
      });
      continue;
    }
    const target = resolveTarget(ctx, q.inventoryItemId, q.locationId, field, errors);
    if (!target) continue;
    const pair = `${target.item.id}:${target.locationId}`;
    if (seen.has(pair)) {
      errors.push({
        field,
        message: 'The same inventory item and location appear twice.',
        code: 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR',
      });
      continue;
    }
    seen.add(pair);
    const quantity = q.quantity as number;
    if (quantity > 1_000_000_000) {
      errors.push({ field: [...field, 'quantity'], message: 'The quantity is too high.', code: 'INVALID_QUANTITY_TOO_HIGH' });
      continue;
    }
    if (quantity < -1_000_000_000) {
      errors.push({ field: [...field, 'quantity'], message: 'The quantity is too low.', code: 'INVALID_QUANTITY_TOO_LOW' });
      continue;
    }
    const current = startingQuantity(target, input.name, q.changeFromQuantity, field, errors);
    if (current !== undefined) changes.push({ ...target, delta: quantity - current, after: quantity });
  }
  return changes;
}

type AdjustInput = QuantityInput & { changes: Array<Record<string, unknown>> };

function adjustChanges(ctx: EmulatorContext, input: AdjustInput, errors: UserError[]): Change[] {
  const changes: Change[] = [];
  for (const [i, c] of input.changes.entries()) {
    const field = ['input', 'changes', String(i)];
    const target = resolveTarget(ctx, c.inventoryItemId, c.locationId, field, errors);
    const current = target && startingQuantity(target, input.name, c.changeFromQuantity, field, errors);
    if (target && current !== undefined) changes.push({ ...target, delta: c.delta as number, after: current + (c.delta as number) });
  }
  return changes;
}

export const inventorySetQuantities = quantityMutation('inventorySetQuantities', setChanges);
export const inventoryAdjustQuantities = quantityMutation('inventoryAdjustQuantities', adjustChanges);
