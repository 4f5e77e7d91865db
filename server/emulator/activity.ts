import { type DocumentNode, parse } from 'graphql';
import type { EmulatorContext } from './context';
import { createRandom } from './generator';
import type { AdminGraphQL } from './graphql';
import { gid } from './state';

const UPDATE = parse(
  /* GraphQL */ `mutation Edit($product: ProductUpdateInput!) { productUpdate(product: $product) { userErrors { field message } } }`,
);
const PRICE = parse(
  /* GraphQL */ `mutation Price($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
    productVariantsBulkUpdate(productId: $productId, variants: $variants) { userErrors { field message } }
  }`,
);
const DELETE = parse(
  /* GraphQL */ `mutation Delete($input: ProductDeleteInput!) { productDelete(input: $input) { userErrors { field message } } }`,
);
const stockDocument = (key: string): DocumentNode =>
  parse(
    /* GraphQL */ `mutation Stock($input: InventorySetQuantitiesInput!) {
      inventorySetQuantities(input: $input) @idempotent(key: "${key}") { userErrors { field message code } }
    }`,
  );

/**
 * Store activity: a merchant editing in the Shopify admin at a chosen rate — titles, prices,
 * inventory, collection memberships, now and then a delete — through the same GraphQL path, so
 * the same webhooks fire.
 */
export class StoreActivity {
  private timer: NodeJS.Timeout | undefined;
  private random = createRandom(4242);
  private counter = 0;
  edits = 0;

  constructor(
    private readonly graphql: AdminGraphQL,
    private readonly context: () => EmulatorContext,
  ) {}

  get perMinute(): number {
    return this.rate;
  }
  private rate = 0;

  start(perMinute: number): void {
    this.stop();
    this.rate = perMinute;
    if (perMinute <= 0) return;
    this.timer = setInterval(() => this.editOnce(), Math.max(5, 60_000 / perMinute));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.rate = 0;
  }

  editOnce(): void {
    const ctx = this.context();
    const ids = [...ctx.state.products.keys()];
    if (ids.length === 0) return;
    const product = ctx.state.products.get(ids[Math.floor(this.random() * ids.length)]!)!;
    const roll = this.random();
    this.counter += 1;
    this.edits += 1;
    if (roll < 0.3) {
      this.graphql.run(
        UPDATE,
        { product: { id: gid('Product', product.id), title: `${product.title.replace(/ \(edited \d+\)$/, '')} (edited ${this.counter})` } },
        ctx,
      );
    } else if (roll < 0.6) {
      const variantId = product.variantIds[0];
      if (variantId === undefined) return;
      const variant = ctx.state.variants.get(variantId)!;
      const price = (Number(variant.price) * (0.9 + this.random() * 0.2)).toFixed(2);
      this.graphql.run(PRICE, { productId: gid('Product', product.id), variants: [{ id: gid('ProductVariant', variantId), price }] }, ctx);
    } else if (roll < 0.85) {
      const variant = ctx.state.variants.get(product.variantIds[0]!);
      const item = variant && ctx.state.inventoryItems.get(variant.inventoryItemId);
      const locationId = item && [...item.levels.keys()][0];
      if (!item || locationId === undefined) return;
      const input = {
        name: 'available',
        reason: 'correction',
        quantities: [
          {
            inventoryItemId: gid('InventoryItem', item.id),
            locationId: gid('Location', locationId),
            quantity: Math.floor(this.random() * 100),
            changeFromQuantity: null,
          },
        ],
      };
      this.graphql.run(stockDocument(`activity-${Date.now()}-${this.counter}`), { input }, ctx);
    } else if (roll < 0.98) {
      const collections = [...ctx.state.collections.keys()];
      const collectionId = collections[Math.floor(this.random() * collections.length)]!;
      const leave = product.collectionIds.has(collectionId);
      const key = leave ? 'collectionsToLeave' : 'collectionsToJoin';
      this.graphql.run(UPDATE, { product: { id: gid('Product', product.id), [key]: [gid('Collection', collectionId)] } }, ctx);
    } else {
      this.graphql.run(DELETE, { input: { id: gid('Product', product.id) } }, ctx);
    }
  }
}
