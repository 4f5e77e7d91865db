import type { GraphQLResolveInfo } from 'graphql';
import { connection } from '../connection';
import type { Args, EmulatorContext } from '../context';
import { gid, optionValueIds, type ProductRecord, parseGid } from '../state';
import { TaxonomyCategoryView, taxonomyCategory } from '../taxonomy';
import { CollectionView } from './collection';
import { MediaImageView } from './media';
import { metafieldOf, metafieldsConnection } from './metafield';
import { RecordView, readsRecord } from './record';
import { VariantView } from './variant';

export class ProductView extends RecordView<ProductRecord> {
  readonly __typename = 'Product';
  get bodyHtml() {
    return this.record.descriptionHtml;
  }
  description(args: Args) {
    const text = this.record.descriptionHtml.replace(/<[^>]*>/g, '');
    const max = args.truncateAt as number | undefined;
    return max && text.length > max ? `${text.slice(0, max)}…` : text;
  }
  get seo() {
    return { __typename: 'SEO', title: this.record.seo.title, description: this.record.seo.description };
  }
  get category() {
    const record = taxonomyCategory(this.record.category);
    return record ? new TaxonomyCategoryView(record) : null;
  }
  get publishedAt() {
    return this.record.status === 'ACTIVE' ? this.record.createdAt : null;
  }
  get totalVariants() {
    return this.record.variantIds.length;
  }
  get variantsCount() {
    return { count: this.record.variantIds.length, precision: 'EXACT' };
  }
  get hasOnlyDefaultVariant() {
    return this.record.options.length === 1 && this.record.options[0]!.values[0] === 'Default Title';
  }
  get totalInventory() {
    const state = this.ctx.state;
    let total = 0;
    for (const v of this.record.variantIds) total += state.variantQuantity(state.variants.get(v)!);
    return total;
  }
  get tracksInventory() {
    const state = this.ctx.state;
    return this.record.variantIds.some((v) => state.inventoryItems.get(state.variants.get(v)!.inventoryItemId)?.tracked);
  }
  options(args: Args) {
    const list = this.record.options.map((o, i) => ({
      __typename: 'ProductOption',
      id: gid('ProductOption', o.id),
      name: o.name,
      position: i + 1,
      values: o.values,
      optionValues: o.values.map((value, j) => ({
        __typename: 'ProductOptionValue',
        id: gid('ProductOptionValue', optionValueIds(o)[j]!),
        name: value,
        hasVariants: true,
      })),
    }));
    return typeof args.first === 'number' ? list.slice(0, args.first) : list;
  }
  variants(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = this.record.variantIds.map((v) => ctx.state.variants.get(v)!);
    return connection(list, args, ctx, info, (v) => new VariantView(v, ctx));
  }
  collections(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const list = [...this.record.collectionIds]
      .sort((a, b) => a - b)
      .map((c) => ctx.state.collections.get(c)!)
      .filter(Boolean);
    return connection(list, args, ctx, info, (c) => new CollectionView(c, ctx));
  }
  media(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    const ids = this.record.mediaIds ?? [];
    const list = ids.map((m) => ctx.state.media.get(m)).filter((m) => m !== undefined);
    // Listed in the product's order: the cursor's sort value is the place in that order.
    return connection(
      list,
      args,
      ctx,
      info,
      (m) => new MediaImageView(m, ctx),
      (m) => ids.indexOf(m.id),
    );
  }
  get mediaCount() {
    return { count: this.record.mediaIds?.length ?? 0, precision: 'EXACT' };
  }
  metafields(args: Args, ctx: EmulatorContext, info: GraphQLResolveInfo) {
    return metafieldsConnection(this.record, 'PRODUCT', args, ctx, info);
  }
  metafield(args: Args, ctx: EmulatorContext) {
    return metafieldOf(this.record, 'PRODUCT', args, ctx);
  }
  inCollection(args: Args) {
    const ref = parseGid(args.id, 'Collection');
    return ref ? this.record.collectionIds.has(ref.id) : false;
  }
}

readsRecord(ProductView, ['title', 'handle', 'descriptionHtml', 'vendor', 'productType', 'status', 'tags', 'createdAt', 'updatedAt']);
