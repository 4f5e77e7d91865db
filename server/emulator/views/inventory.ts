import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { connection } from '../connection';
import type { Args, EmulatorContext } from '../context';
import { locationsWithLevelsMatching } from '../level-search';
import { type InventoryItemRecord, type InventoryLevelRecord, inventoryLevelGid, parseGid, parseInventoryLevelGid } from '../state';
import { LocationView } from './location';
import { RecordView, readsRecord } from './record';
import { VariantView } from './variant';

export class InventoryItemView extends RecordView<InventoryItemRecord> {
  readonly __typename = 'InventoryItem';
  get requiresShipping() {
    return true;
  }
  get unitCost() {
    return this.record.cost === null ? null : { amount: this.record.cost, currencyCode: 'USD' };
  }
  get measurement() {
    const weight = this.record.weight ?? null;
    return {
      __typename: 'InventoryItemMeasurement',
      id: `gid://shopify/InventoryItemMeasurement/${this.record.id}`,
      weight: weight && { __typename: 'Weight', value: weight.value, unit: weight.unit },
    };
  }
  get locationsCount() {
    return { count: this.record.levels.size, precision: 'EXACT' };
  }
  get variant() {
    const v = this.ctx.state.variants.get(this.record.variantId);
    return v ? new VariantView(v, this.ctx) : null;
  }
  inventoryLevels(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = locationsWithLevelsMatching(this.record, args.query as string | undefined).map((locationId) => ({
      id: locationId,
      locationId,
    }));
    return connection(list, args, ctx, info, (l) => new InventoryLevelView(this.record, l.locationId, ctx));
  }
  inventoryLevel(args: Args) {
    const ref = parseGid(args.locationId, 'Location');
    return ref && this.record.levels.has(ref.id) ? new InventoryLevelView(this.record, ref.id, this.ctx) : null;
  }
}

readsRecord(InventoryItemView, ['sku', 'tracked', 'createdAt', 'updatedAt']);

/** An item's stock at one location; its id names both (state.ts inventoryLevelGid). */
export class InventoryLevelView {
  readonly __typename = 'InventoryLevel';
  constructor(
    private readonly i: InventoryItemRecord,
    private readonly locationId: number,
    private readonly ctx: EmulatorContext,
  ) {}
  private get level() {
    return this.i.levels.get(this.locationId)!;
  }
  get id() {
    return inventoryLevelGid(this.locationId, this.i.id);
  }
  get isActive() {
    return true;
  }
  get canDeactivate() {
    return true;
  }
  get createdAt() {
    return this.i.createdAt;
  }
  get updatedAt() {
    return this.level.updatedAt;
  }
  get item() {
    return new InventoryItemView(this.i, this.ctx);
  }
  get location() {
    const l = this.ctx.state.locations.get(this.locationId);
    return l ? new LocationView(l, this.ctx) : null;
  }
  quantities(args: Args) {
    const level = this.level;
    const names = (args.names as string[]) ?? [];
    return names.map((name) => {
      const quantity = quantityByName(level, name);
      if (quantity === undefined)
        throw new GraphQLError(`InventoryLevel.quantities name "${name}" is not emulated (${QUANTITY_NAMES.join(', ')})`);
      return {
        __typename: 'InventoryQuantity',
        id: `gid://shopify/InventoryQuantity/${this.locationId}?inventory_item_id=${this.i.id}&name=${name}`,
        name,
        quantity,
        updatedAt: level.updatedAt,
      };
    });
  }
}

/** The level an InventoryLevel gid names, or null when the item is not stocked there. */
export function inventoryLevelByGid(id: unknown, ctx: EmulatorContext): InventoryLevelView | null {
  const ref = parseInventoryLevelGid(id);
  const item = ref ? ctx.state.inventoryItems.get(ref.itemId) : undefined;
  return ref && item?.levels.has(ref.locationId) ? new InventoryLevelView(item, ref.locationId, ctx) : null;
}

const QUANTITY_NAMES = ['available', 'on_hand', 'committed', 'incoming', 'reserved', 'damaged', 'safety_stock', 'quality_control'];

function quantityByName(level: InventoryLevelRecord, name: string): number | undefined {
  switch (name) {
    case 'available':
      return level.available;
    case 'on_hand':
      return level.onHand;
    case 'committed':
      return Math.max(0, level.onHand - level.available);
    case 'incoming':
    case 'reserved':
    case 'damaged':
    case 'safety_stock':
    case 'quality_control':
      return 0;
    default:
      return undefined;
  }
}
