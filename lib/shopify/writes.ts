import type { ShopifyTransport } from './client';
import {
  inventorySetQuantitiesMutation,
  listWebhookSubscriptionsQuery,
  productDeleteMutation,
  productSetMutation,
  productUpdateMutation,
  productVariantsBulkCreateMutation,
  productVariantsBulkUpdateMutation,
  webhookSubscriptionCreateMutation,
} from './documents';
import { assertNoUserErrors, type ShopifyUserErrorEntry } from './errors';
import { updateProductOptions } from './option-writes';
import { type Connection, nodesOf } from './reshape';
import { writeInput } from './selection';
import type { ProductDocument, ShopifyWebhookSubscription, VariantDocument } from './types';

/** Shopify rejects input arrays over 250 items. */
export const MAX_INPUT_ITEMS = 250;

type Payload = { userErrors: Array<Partial<ShopifyUserErrorEntry>> };

function chunks<T>(items: readonly T[], size = MAX_INPUT_ITEMS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type ProductUpdate = { id: string } & Partial<ProductDocument>;

export interface MembershipChanges {
  collectionsToJoin?: string[];
  collectionsToLeave?: string[];
}

/** The synced product fields as ProductUpdateInput / ProductSetInput take them (anything else is left out). */
export function productInput(p: Partial<ProductDocument>): Record<string, unknown> {
  return writeInput('product', p);
}

export async function updateProduct(
  t: ShopifyTransport,
  input: ProductUpdate,
  membership: MembershipChanges = {},
): Promise<{ id: string; updatedAt: string | null }> {
  // Options are not in ProductUpdateInput: they have their own mutations, sent first.
  const { options, ...fields } = input;
  if (options !== undefined) await updateProductOptions(t, input.id, options);
  const product: Record<string, unknown> = { id: input.id, ...productInput(fields) };
  if (membership.collectionsToJoin?.length) product.collectionsToJoin = membership.collectionsToJoin;
  if (membership.collectionsToLeave?.length) product.collectionsToLeave = membership.collectionsToLeave;
  if (options !== undefined && Object.keys(product).length === 1) return { id: input.id, updatedAt: null };
  const { data } = await t.request<{ productUpdate: Payload & { product: { id: string; updatedAt: string | null } | null } }>(
    productUpdateMutation,
    { product },
  );
  assertNoUserErrors('productUpdate', data.productUpdate);
  return data.productUpdate.product ?? { id: input.id, updatedAt: null };
}

export type VariantUpdate = { id: string } & Partial<VariantDocument>;

/** The synced variant fields as ProductVariantsBulkInput (sku, tracked and cost belong to the inventory item). */
export function variantInput(v: Partial<VariantDocument> & { id?: string }): Record<string, unknown> {
  return { ...(v.id !== undefined ? { id: v.id } : {}), ...writeInput('variant', v) };
}

/** productVariantsBulkUpdate, 250 variants per call; all or nothing per call (allowPartialUpdates false). */
export async function updateVariants(
  t: ShopifyTransport,
  productId: string,
  variants: readonly VariantUpdate[],
): Promise<Array<{ id: string; updatedAt: string | null }>> {
  const out: Array<{ id: string; updatedAt: string | null }> = [];
  for (const chunk of chunks(variants)) {
    const { data } = await t.request<{
      productVariantsBulkUpdate: Payload & { productVariants: Array<{ id: string; updatedAt: string | null }> | null };
    }>(productVariantsBulkUpdateMutation, { productId, variants: chunk.map(variantInput), allowPartialUpdates: false });
    assertNoUserErrors('productVariantsBulkUpdate', data.productVariantsBulkUpdate);
    out.push(...(data.productVariantsBulkUpdate.productVariants ?? []));
  }
  return out;
}

export interface InventoryQuantity {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
  /** What we believe Shopify holds now (compare-and-set); null skips the check. */
  changeFromQuantity: number | null;
}

export interface InventoryChange {
  item: { id: string };
  location: { id: string };
  name: string;
  delta: number;
  quantityAfterChange: number | null;
}

export interface SetInventoryInput {
  /** One of Shopify's reasons: correction, cycle_count_available, received, restock... */
  reason: string;
  quantities: readonly InventoryQuantity[];
  /** Same key, same effect: a retried call is applied once. Calls over 250 quantities get `key:n` per chunk. */
  idempotencyKey: string;
  referenceDocumentUri?: string;
  name?: 'available' | 'on_hand';
}

/** inventorySetQuantities with changeFromQuantity; a stale quantity is a ShopifyUserError with code CHANGE_FROM_QUANTITY_STALE. */
export async function setInventoryQuantities(t: ShopifyTransport, input: SetInventoryInput): Promise<InventoryChange[]> {
  const parts = chunks(input.quantities);
  const out: InventoryChange[] = [];
  for (const [index, quantities] of parts.entries()) {
    const { data } = await t.request<{
      inventorySetQuantities: Payload & { inventoryAdjustmentGroup: { changes: InventoryChange[] } | null };
    }>(inventorySetQuantitiesMutation, {
      input: {
        name: input.name ?? 'available',
        reason: input.reason,
        ...(input.referenceDocumentUri ? { referenceDocumentUri: input.referenceDocumentUri } : {}),
        quantities: quantities.map((q) => ({
          inventoryItemId: q.inventoryItemId,
          locationId: q.locationId,
          quantity: q.quantity,
          changeFromQuantity: q.changeFromQuantity,
        })),
      },
      idempotencyKey: parts.length === 1 ? input.idempotencyKey : `${input.idempotencyKey}:${index}`,
    });
    assertNoUserErrors('inventorySetQuantities', data.inventorySetQuantities);
    out.push(...(data.inventorySetQuantities.inventoryAdjustmentGroup?.changes ?? []));
  }
  return out;
}

export interface NewVariant extends Partial<VariantDocument> {
  /** Option values by option name, e.g. { Size: 'M', Color: 'Blue' }; omitted for a single default variant. */
  options?: Record<string, string>;
  /** Initial `available` per location. */
  inventoryQuantities?: Array<{ locationId: string; quantity: number }>;
}

export interface NewProduct extends Partial<ProductDocument> {
  title: string;
  variants?: NewVariant[];
  /** Collections (custom) to put the product in. */
  collectionIds?: string[];
}

export interface CreatedProduct {
  id: string;
  handle: string;
  variants: Array<{ id: string; sku: string | null; inventoryItemId: string }>;
}

/**
 * productSet (synchronous) for a create: options are derived from the variants' option values.
 * `identifyByHandle` keys the call by the product's handle, so a create retried after a lost
 * answer (or a crash) updates the product the first attempt made instead of failing or duplicating.
 */
export async function createProduct(
  t: ShopifyTransport,
  product: NewProduct,
  options: { identifyByHandle?: boolean } = {},
): Promise<CreatedProduct> {
  const { variants = [{}], collectionIds, ...fields } = product;
  const optionNames = [...new Set(variants.flatMap((v) => Object.keys(v.options ?? {})))];
  const names = optionNames.length > 0 ? optionNames : ['Title'];
  const productOptions = names.map((name) => ({
    name,
    values: [...new Set(variants.map((v) => v.options?.[name] ?? 'Default Title'))].map((value) => ({ name: value })),
  }));
  const input: Record<string, unknown> = {
    ...productInput(fields),
    productOptions,
    ...(collectionIds?.length ? { collections: collectionIds } : {}),
    variants: variants.map(({ options, inventoryQuantities, ...v }) => ({
      ...variantInput(v),
      ...(v.sku !== undefined ? { sku: v.sku } : {}),
      optionValues: names.map((optionName) => ({ optionName, name: options?.[optionName] ?? 'Default Title' })),
      ...(inventoryQuantities?.length ? { inventoryQuantities: inventoryQuantities.map((q) => ({ ...q, name: 'available' })) } : {}),
    })),
  };
  const { data } = await t.request<{
    productSet: Payload & {
      product: {
        id: string;
        handle: string;
        variants: Connection<{ id: string; sku: string | null; inventoryItem: { id: string } }>;
      } | null;
    };
  }>(productSetMutation, {
    input,
    identifier: options.identifyByHandle && fields.handle ? { handle: fields.handle } : null,
    synchronous: true,
  });
  assertNoUserErrors('productSet', data.productSet);
  const created = data.productSet.product!;
  return {
    id: created.id,
    handle: created.handle,
    variants: nodesOf(created.variants).map((v) => ({ id: v.id, sku: v.sku, inventoryItemId: v.inventoryItem.id })),
  };
}

export interface CreatedVariant {
  id: string;
  inventoryItemId: string;
}

/**
 * productVariantsBulkCreate: new variants of an existing product, with their option values and
 * their first stock per location; all or none (a userError refuses the call).
 */
export async function createVariants(t: ShopifyTransport, productId: string, variants: readonly NewVariant[]): Promise<CreatedVariant[]> {
  const out: CreatedVariant[] = [];
  for (const chunk of chunks(variants)) {
    const { data } = await t.request<{
      productVariantsBulkCreate: Payload & { productVariants: Array<{ id: string; inventoryItem: { id: string } }> | null };
    }>(productVariantsBulkCreateMutation, {
      productId,
      strategy: 'PRESERVE_STANDALONE_VARIANT',
      variants: chunk.map(({ options, inventoryQuantities, ...v }) => ({
        ...variantInput(v),
        optionValues: Object.entries(options ?? {}).map(([optionName, name]) => ({ optionName, name })),
        ...(inventoryQuantities?.length
          ? { inventoryQuantities: inventoryQuantities.map((q) => ({ locationId: q.locationId, availableQuantity: q.quantity })) }
          : {}),
      })),
    });
    assertNoUserErrors('productVariantsBulkCreate', data.productVariantsBulkCreate);
    out.push(...(data.productVariantsBulkCreate.productVariants ?? []).map((v) => ({ id: v.id, inventoryItemId: v.inventoryItem.id })));
  }
  return out;
}

export async function deleteProduct(t: ShopifyTransport, id: string): Promise<string | null> {
  const { data } = await t.request<{ productDelete: Payload & { deletedProductId: string | null } }>(productDeleteMutation, {
    input: { id },
  });
  assertNoUserErrors('productDelete', data.productDelete);
  return data.productDelete.deletedProductId;
}

export async function listWebhookSubscriptions(t: ShopifyTransport): Promise<ShopifyWebhookSubscription[]> {
  const out: ShopifyWebhookSubscription[] = [];
  let after: string | null = null;
  do {
    const connection: Connection<ShopifyWebhookSubscription> = (
      await t.request<{ webhookSubscriptions: Connection<ShopifyWebhookSubscription> }>(listWebhookSubscriptionsQuery, {
        first: 100,
        after,
      })
    ).data.webhookSubscriptions;
    out.push(...nodesOf(connection));
    after = connection.pageInfo?.hasNextPage ? connection.pageInfo.endCursor : null;
  } while (after);
  return out;
}

/** `topic` in GraphQL enum form (PRODUCTS_UPDATE) or REST form (products/update). */
export async function createWebhookSubscription(
  t: ShopifyTransport,
  input: { topic: string; uri: string; includeFields?: string[]; filter?: string },
): Promise<ShopifyWebhookSubscription> {
  const topic = input.topic.includes('/') ? input.topic.replace('/', '_').toUpperCase() : input.topic;
  const { data } = await t.request<{ webhookSubscriptionCreate: Payload & { webhookSubscription: ShopifyWebhookSubscription | null } }>(
    webhookSubscriptionCreateMutation,
    {
      topic,
      webhookSubscription: {
        uri: input.uri,
        format: 'JSON',
        ...(input.includeFields ? { includeFields: input.includeFields } : {}),
        ...(input.filter ? { filter: input.filter } : {}),
      },
    },
  );
  assertNoUserErrors('webhookSubscriptionCreate', data.webhookSubscriptionCreate);
  return data.webhookSubscriptionCreate.webhookSubscription!;
}
