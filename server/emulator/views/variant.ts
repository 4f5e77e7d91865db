import type { GraphQLResolveInfo } from 'graphql';
import type { Args, EmulatorContext } from '../context';
import type { VariantRecord } from '../state';
import { InventoryItemView } from './inventory';
import { metafieldOf, metafieldsConnection } from './metafield';
import { ProductView } from './product';
import { RecordView, readsRecord } from './record';

export class VariantView extends RecordView<VariantRecord> {
  readonly __typename = 'ProductVariant';
  private get item() {
    return this.ctx.state.inventoryItems.get(this.record.inventoryItemId);
  }
  get displayName() {
    return `${this.ctx.state.products.get(this.record.productId)?.title ?? ''} - ${this.record.title}`;
  }
  get sku() {
    return this.item?.sku ?? null;
  }
  get selectedOptions() {
    return this.record.selectedOptions.map((o) => ({ ...o, __typename: 'SelectedOption' }));
  }
  get inventoryQuantity() {
    return this.ctx.state.variantQuantity(this.record);
  }
  get availableForSale() {
    return this.record.inventoryPolicy === 'CONTINUE' || this.ctx.state.variantQuantity(this.record) > 0;
  }
  get inventoryItem() {
    const item = this.item;
    return item ? new InventoryItemView(item, this.ctx) : null;
  }
  metafields(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    return metafieldsConnection(this.record, 'PRODUCTVARIANT', args, ctx, info);
  }
  metafield(args: Args, ctx: EmulatorContext) {
    return metafieldOf(this.record, 'PRODUCTVARIANT', args, ctx);
  }
  get product() {
    const p = this.ctx.state.products.get(this.record.productId);
    return p ? new ProductView(p, this.ctx) : null;
  }
}

readsRecord(VariantView, [
  'title',
  'price',
  'compareAtPrice',
  'barcode',
  'inventoryPolicy',
  'taxable',
  'position',
  'createdAt',
  'updatedAt',
]);
