import type { GraphQLResolveInfo } from 'graphql';
import { connection } from '../connection';
import type { Args, EmulatorContext } from '../context';
import { type CollectionRecord, parseGid } from '../state';
import { ProductView } from './product';
import { RecordView, readsRecord } from './record';

/** A custom collection: manual sort, no rules. */
export class CollectionView extends RecordView<CollectionRecord> {
  readonly __typename = 'Collection';
  get sortOrder() {
    return 'MANUAL';
  }
  get ruleSet() {
    return null;
  }
  get productsCount() {
    return { count: this.record.productIds.size, precision: 'EXACT' };
  }
  hasProduct(args: Args) {
    const ref = parseGid(args.id, 'Product');
    return ref ? this.record.productIds.has(ref.id) : false;
  }
  products(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = [...this.record.productIds].map((id) => ctx.state.products.get(id)!).filter(Boolean);
    return connection(list, args, ctx, info, (p) => new ProductView(p, ctx));
  }
}

readsRecord(CollectionView, ['title', 'handle', 'descriptionHtml', 'updatedAt']);
