import type { Args, EmulatorContext } from '../context';
import { byGid, gid, ID_START, inventoryLevelGid, type LocationRecord } from '../state';
import { InventoryLevelView } from '../views/inventory';
import { LocationView } from '../views/location';
import { logWrite, type UserError } from './common';

type LocationAddInput = { name: string; address: { city?: string | null; countryCode: string }; fulfillsOnlineOrders?: boolean | null };

/** locationAdd: a new active location (no stock until an item is activated there); names are unique, as Shopify's are. */
export function locationAdd(args: Args, ctx: EmulatorContext) {
  const input = args.input as LocationAddInput;
  const name = input.name.trim();
  const fail = (message: string, code: string) => ({ location: null, userErrors: [{ field: ['input', 'name'], message, code }] });
  if (!name) return fail("Name can't be blank", 'BLANK');
  if ([...ctx.state.locations.values()].some((l) => l.name.toLowerCase() === name.toLowerCase()))
    return fail('You already have a location with this name', 'TAKEN');
  const id = ctx.state.nextId('location', ID_START.location);
  const record: LocationRecord = {
    id,
    name,
    city: input.address.city ?? '',
    countryCode: input.address.countryCode,
    isActive: true,
    isPrimary: false,
    createdAt: ctx.state.now(),
  };
  ctx.state.locations.set(id, record);
  ctx.state.touch();
  logWrite(ctx, 'locationAdd', [gid('Location', id)], input);
  return { location: new LocationView(record, ctx), userErrors: [] };
}

/**
 * inventoryActivate: stocks an item at a location (a level with `available`, default 0), which
 * inventorySetQuantities needs first. Activating a level that exists changes nothing, as in Shopify.
 */
export function inventoryActivate(args: Args, ctx: EmulatorContext) {
  const errors: UserError[] = [];
  const item = byGid(ctx.state.inventoryItems, args.inventoryItemId, 'InventoryItem');
  const location = byGid(ctx.state.locations, args.locationId, 'Location');
  if (!item) errors.push({ field: ['inventoryItemId'], message: 'Inventory item does not exist' });
  if (!location) errors.push({ field: ['locationId'], message: 'Location does not exist' });
  else if (!location.isActive) errors.push({ field: ['locationId'], message: 'Location is not active' });
  if (!item || !location || errors.length) return { inventoryLevel: null, userErrors: errors };
  if (!item.levels.has(location.id)) {
    const now = ctx.state.now();
    const available = (args.available as number | null | undefined) ?? 0;
    const onHand = (args.onHand as number | null | undefined) ?? available;
    item.levels.set(location.id, { available, onHand, updatedAt: now });
    item.updatedAt = now;
    ctx.state.touch();
    logWrite(ctx, 'inventoryActivate', [inventoryLevelGid(location.id, item.id)], args);
  }
  return { inventoryLevel: new InventoryLevelView(item, location.id, ctx), userErrors: [] };
}
