import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { inventoryLevelPayload } from '../payloads';
import { ID_START, gid, parseGid, type InventoryItemRecord } from '../state';
import { InventoryItemView, LocationView, type Args, type EmulatorContext } from '../views';
import type { UserError } from './products';

const REASONS = new Set([
  'correction', 'cycle_count_available', 'damaged', 'movement_created', 'movement_updated', 'movement_received',
  'movement_canceled', 'other', 'promotion', 'quality_control', 'received', 'reservation_created',
  'reservation_deleted', 'reservation_updated', 'restock', 'safety_stock', 'shrinkage',
]);

/** The @idempotent(key:) directive on the mutation field; required for inventory writes since 2026-04. */
export function idempotencyKey(info: GraphQLResolveInfo): string {
  const directive = info.fieldNodes[0]?.directives?.find((d) => d.name.value === 'idempotent');
  const arg = directive?.arguments?.find((a) => a.name.value === 'key');
  if (!arg) {
    throw new GraphQLError(`The @idempotent directive is required for ${info.fieldName}: add @idempotent(key: "<unique key>") to the field.`, {
      extensions: { code: 'IDEMPOTENCY_KEY_REQUIRED' },
    });
  }
  const value = arg.value.kind === 'Variable' ? info.variableValues[arg.value.name.value] : arg.value.kind === 'StringValue' ? arg.value.value : undefined;
  if (typeof value !== 'string' || !value) throw new GraphQLError('The @idempotent key must be a non-empty string', { extensions: { code: 'IDEMPOTENCY_KEY_REQUIRED' } });
  return value;
}

/** Runs `apply` once per key: a repeat with the same input answers the first result without writing. */
function onceFor(ctx: EmulatorContext, info: GraphQLResolveInfo, args: Args, apply: (key: string) => { userErrors: UserError[] } & Record<string, unknown>) {
  const key = idempotencyKey(info);
  const scoped = `${ctx.token}:${info.fieldName}:${key}`;
  const fingerprint = JSON.stringify(args);
  const seen = ctx.core.idempotency.get(scoped);
  if (seen) {
    if (seen.fingerprint !== fingerprint) {
      return { inventoryAdjustmentGroup: null, userErrors: [{ field: ['input'], message: 'The same idempotency key was used with different parameters.', code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH' }] };
    }
    return seen.result;
  }
  const result = apply(key);
  // Shopify keeps the key only for a request that got through; a rejected one may be retried as is.
  if (result.userErrors.length === 0) ctx.core.idempotency.set(scoped, { fingerprint, result });
  return result;
}

interface Change {
  item: InventoryItemRecord;
  locationId: number;
  delta: number;
  after: number;
}

function adjustmentGroup(ctx: EmulatorContext, reason: string, referenceDocumentUri: string | null, name: string, changes: Change[]) {
  const id = ctx.state.nextId('adjustment', ID_START.adjustment);
  const createdAt = ctx.state.now();
  return {
    __typename: 'InventoryAdjustmentGroup',
    id: gid('InventoryAdjustmentGroup', id),
    createdAt,
    reason,
    referenceDocumentUri,
    changes: (args: Args) => {
      const names = args.quantityNames as string[] | undefined;
      const out = changes.map((c) => ({
        __typename: 'InventoryChange',
        name,
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

function resolveTarget(ctx: EmulatorContext, itemId: unknown, locationId: unknown, field: string[], errors: UserError[]) {
  const itemRef = parseGid(itemId, 'InventoryItem');
  const item = itemRef ? ctx.state.inventoryItems.get(itemRef.id) : undefined;
  if (!item) {
    errors.push({ field: [...field, 'inventoryItemId'], message: 'The specified inventory item could not be found.', code: 'INVALID_INVENTORY_ITEM' });
    return undefined;
  }
  const locRef = parseGid(locationId, 'Location');
  const location = locRef ? ctx.state.locations.get(locRef.id) : undefined;
  if (!location) {
    errors.push({ field: [...field, 'locationId'], message: 'The specified location could not be found.', code: 'INVALID_LOCATION' });
    return undefined;
  }
  if (!item.levels.has(location.id)) {
    errors.push({ field: [...field, 'locationId'], message: 'The specified inventory item is not stocked at the location.', code: 'INVALID_LOCATION' });
    return undefined;
  }
  return { item, locationId: location.id };
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
  ctx.core.log({ mutation, actor: ctx.actor, token: ctx.token, idempotencyKey: key, target: changes.map((c) => `gid://shopify/InventoryLevel/${c.locationId}?inventory_item_id=${c.item.id}`), input });
  for (const c of changes) {
    const level = c.item.levels.get(c.locationId)!;
    ctx.core.webhooks.emit('INVENTORY_LEVELS_UPDATE', inventoryLevelPayload(c.item.id, c.locationId, level.available, level.updatedAt));
  }
}

function checkCommon(input: { name: string; reason: string; referenceDocumentUri?: string | null }, errors: UserError[], names: string[]) {
  if (!names.includes(input.name)) errors.push({ field: ['input', 'name'], message: `The quantity name must be one of: ${names.join(', ')}.`, code: 'INVALID_NAME' });
  if (!REASONS.has(input.reason)) errors.push({ field: ['input', 'reason'], message: 'The specified reason is invalid.', code: 'INVALID_REASON' });
  if (input.referenceDocumentUri && !/^[a-z][a-z0-9+.-]*:\/?\/?\S+$/i.test(input.referenceDocumentUri)) {
    errors.push({ field: ['input', 'referenceDocumentUri'], message: 'The reference document URI is invalid.', code: 'INVALID_REFERENCE_DOCUMENT' });
  }
}

export function inventorySetQuantities(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
  return onceFor(ctx, info, args, (key) => {
    const input = args.input as { name: string; reason: string; referenceDocumentUri?: string | null; quantities: Array<Record<string, unknown>> };
    const errors: UserError[] = [];
    checkCommon(input, errors, ['available', 'on_hand']);
    const changes: Change[] = [];
    const seen = new Set<string>();
    input.quantities.forEach((q, i) => {
      const field = ['input', 'quantities', String(i)];
      if (!('changeFromQuantity' in q)) {
        errors.push({ field: [...field, 'changeFromQuantity'], message: 'changeFromQuantity is required: pass the expected current quantity, or null to skip the check.', code: 'COMPARE_QUANTITY_REQUIRED' });
        return;
      }
      const target = resolveTarget(ctx, q.inventoryItemId, q.locationId, field, errors);
      if (!target) return;
      const pair = `${target.item.id}:${target.locationId}`;
      if (seen.has(pair)) return errors.push({ field, message: 'The same inventory item and location appear twice.', code: 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR' });
      seen.add(pair);
      const quantity = q.quantity as number;
      if (quantity > 1_000_000_000) return errors.push({ field: [...field, 'quantity'], message: 'The quantity is too high.', code: 'INVALID_QUANTITY_TOO_HIGH' });
      if (quantity < -1_000_000_000) return errors.push({ field: [...field, 'quantity'], message: 'The quantity is too low.', code: 'INVALID_QUANTITY_TOO_LOW' });
      const level = target.item.levels.get(target.locationId)!;
      const current = input.name === 'on_hand' ? level.onHand : level.available;
      if (q.changeFromQuantity !== null && q.changeFromQuantity !== current) {
        return errors.push({ field: [...field, 'changeFromQuantity'], message: 'The specified compare quantity does not match the current quantity.', code: 'CHANGE_FROM_QUANTITY_STALE' });
      }
      changes.push({ item: target.item, locationId: target.locationId, delta: quantity - current, after: quantity });
    });
    if (errors.length) return { inventoryAdjustmentGroup: null, userErrors: errors };
    commit(ctx, 'inventorySetQuantities', input.name, changes, key, input);
    return { inventoryAdjustmentGroup: adjustmentGroup(ctx, input.reason, input.referenceDocumentUri ?? null, input.name, changes), userErrors: [] };
  });
}

export function inventoryAdjustQuantities(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
  return onceFor(ctx, info, args, (key) => {
    const input = args.input as { name: string; reason: string; referenceDocumentUri?: string | null; changes: Array<Record<string, unknown>> };
    const errors: UserError[] = [];
    checkCommon(input, errors, ['available', 'on_hand']);
    const changes: Change[] = [];
    input.changes.forEach((c, i) => {
      const field = ['input', 'changes', String(i)];
      const target = resolveTarget(ctx, c.inventoryItemId, c.locationId, field, errors);
      if (!target) return;
      const level = target.item.levels.get(target.locationId)!;
      const current = input.name === 'on_hand' ? level.onHand : level.available;
      if (c.changeFromQuantity != null && c.changeFromQuantity !== current) {
        return errors.push({ field: [...field, 'changeFromQuantity'], message: 'The specified compare quantity does not match the current quantity.', code: 'CHANGE_FROM_QUANTITY_STALE' });
      }
      const delta = c.delta as number;
      changes.push({ item: target.item, locationId: target.locationId, delta, after: current + delta });
    });
    if (errors.length) return { inventoryAdjustmentGroup: null, userErrors: errors };
    commit(ctx, 'inventoryAdjustQuantities', input.name, changes, key, input);
    return { inventoryAdjustmentGroup: adjustmentGroup(ctx, input.reason, input.referenceDocumentUri ?? null, input.name, changes), userErrors: [] };
  });
}
