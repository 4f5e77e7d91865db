import type { GraphQLResolveInfo } from 'graphql';
import { connection } from '../connection';
import type { Args, EmulatorContext } from '../context';
import { itemsWithLevelsMatching } from '../level-search';
import type { LocationRecord } from '../state';
import { InventoryLevelView } from './inventory';
import { RecordView, readsRecord } from './record';

export class LocationView extends RecordView<LocationRecord> {
  readonly __typename = 'Location';
  get fulfillsOnlineOrders() {
    return this.record.isActive;
  }
  get shipsInventory() {
    return this.record.isActive;
  }
  get hasActiveInventory() {
    return this.record.isActive;
  }
  get isFulfillmentService() {
    return false;
  }
  get deactivatedAt() {
    return this.record.isActive ? null : this.record.createdAt;
  }
  get updatedAt() {
    return this.record.createdAt;
  }
  get address() {
    return {
      __typename: 'LocationAddress',
      city: this.record.city,
      countryCode: this.record.countryCode,
      country: this.record.countryCode,
      address1: null,
      address2: null,
      zip: null,
      province: null,
      provinceCode: null,
      phone: null,
      formatted: [this.record.city, this.record.countryCode],
    };
  }
  inventoryLevels(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = itemsWithLevelsMatching(ctx.state.inventoryItems.values(), this.record.id, args.query as string | undefined);
    return connection(list, args, ctx, info, (i) => new InventoryLevelView(i, this.record.id, ctx));
  }
}

readsRecord(LocationView, ['name', 'isActive', 'isPrimary', 'createdAt']);
