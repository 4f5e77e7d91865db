import { runBulkMutation } from '../../lib/shopify/bulk';
import { createTransport, type ShopifyTransport } from '../../lib/shopify/client';
import { productDeleteMutation, productSetMutation, productUpdateMutation, productVariantsBulkUpdateMutation } from '../../lib/shopify/documents/products';
import { inventorySetQuantitiesMutation } from '../../lib/shopify/documents/inventory';
import { pushDriftCheckQuery } from '../../lib/shopify/documents/push';
import { ShopifyRequestError } from '../../lib/shopify/errors';
import { ThrottleBucket } from '../../lib/shopify/throttle';
import { entityKeys, normalizeDocument } from '../../lib/sync/fields';
import type { FieldValues } from '../../lib/sync/model';
import type { Store } from '../../drizzle/schema';
import type { Logger } from '../logger';
import { RetryableShopifyError, type CreatedProduct, type InventoryWrite, type ReadNeed, type RemoteProductState, type ShopifyPort, type VariantWrite, type WriteUserError } from './port';

type UserErrors = { userErrors?: Array<{ field?: string[] | null; message: string; code?: string | null }> | null };

interface DriftNode {
  __typename: string;
  id: string;
  [field: string]: unknown;
}

function variantDoc(node: DriftNode): FieldValues {
  const item = node.inventoryItem as { tracked?: boolean; unitCost?: { amount: string } | null } | null;
  return normalizeDocument('variant', { ...node, tracked: item?.tracked ?? false, cost: item?.unitCost?.amount ?? null })!;
}

const edges = <T>(conn: { edges?: Array<{ node: T }> } | null | undefined): T[] => conn?.edges?.map((e) => e.node) ?? [];

/** Product fields of the sync model that productUpdate / productSet accept as they are. */
const PRODUCT_INPUT = ['title', 'handle', 'descriptionHtml', 'vendor', 'productType', 'status', 'tags'] as const;

export function variantInput(values: FieldValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const item: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k === 'sku' || k === 'tracked' || k === 'cost') item[k] = v;
    else out[k] = v;
  }
  if (Object.keys(item).length) out.inventoryItem = item;
  return out;
}

function productInput(values: FieldValues): Record<string, unknown> {
  return Object.fromEntries(PRODUCT_INPUT.filter((k) => k in values).map((k) => [k, values[k]]));
}

/**
 * The push engine's view of one store, over the project's Shopify transport (its throttle bucket
 * and retries). Errors the transport gave up on come out as RetryableShopifyError when retrying
 * the unit later may still succeed.
 */
export class ShopifyStorePort implements ShopifyPort {
  constructor(private readonly transport: ShopifyTransport) {}

  static forStore(store: Store, logger?: Logger, bucket = new ThrottleBucket(), tuning: { requestTimeoutMs?: number; maxRetries?: number } = {}): ShopifyStorePort {
    const transport = createTransport({
      shopDomain: store.shopDomain,
      accessToken: store.accessToken,
      apiVersion: store.apiVersion,
      adminUrl: store.adminUrl ?? undefined,
      bucket,
      logger,
      requestTimeoutMs: tuning.requestTimeoutMs ?? 15_000,
      maxRetries: tuning.maxRetries ?? 3,
      retryBaseDelayMs: 200,
      retryMaxDelayMs: 5_000,
    });
    return new ShopifyStorePort(transport);
  }

  get bucket(): ThrottleBucket {
    return this.transport.bucket;
  }

  private async call<T>(document: string, variables: Record<string, unknown>): Promise<T> {
    try {
      return (await this.transport.request<T>(document, variables)).data;
    } catch (err) {
      if (err instanceof ShopifyRequestError && err.retryable) throw new RetryableShopifyError(err.message, { cause: err });
      throw err;
    }
  }

  async readState(productId: string, need: ReadNeed): Promise<RemoteProductState | null> {
    const ids = [productId, ...need.variantIds, ...need.inventoryItemIds];
    const data = await this.call<{ nodes: Array<DriftNode | null> }>(pushDriftCheckQuery, {
      ids,
      withCollections: need.collections,
      collectionsFirst: 250,
      levelsFirst: 50,
    });
    const product = data.nodes.find((n) => n?.__typename === 'Product') ?? null;
    if (!product) return null;
    const state: RemoteProductState = {
      product: normalizeDocument('product', product)!,
      variants: new Map(),
      inventory: new Map(),
      collections: new Set(edges(product.collections as { edges: Array<{ node: { id: string } }> }).map((c) => c.id)),
    };
    for (const node of data.nodes) {
      if (node?.__typename === 'ProductVariant') state.variants.set(node.id, variantDoc(node));
      if (node?.__typename === 'InventoryItem') {
        for (const level of edges(node.inventoryLevels as { edges: Array<{ node: { location: { id: string }; quantities: Array<{ name: string; quantity: number }> } }> })) {
          const available = level.quantities.find((q) => q.name === 'available')?.quantity ?? null;
          state.inventory.set(entityKeys.inventoryLevel(node.id, level.location.id), { available });
        }
      }
    }
    return state;
  }

  async readVariants(variantIds: string[]): Promise<Map<string, FieldValues>> {
    const out = new Map<string, FieldValues>();
    for (let i = 0; i < variantIds.length; i += 100) {
      const data = await this.call<{ nodes: Array<DriftNode | null> }>(pushDriftCheckQuery, { ids: variantIds.slice(i, i + 100), withCollections: false, collectionsFirst: 1, levelsFirst: 1 });
      for (const node of data.nodes) if (node?.__typename === 'ProductVariant') out.set(node.id, variantDoc(node));
    }
    return out;
  }

  async bulkUpdateVariants(lines: Array<{ productId: string; variants: VariantWrite[] }>, clientIdentifier: string): Promise<Array<WriteUserError[] | null>> {
    try {
      const result = await runBulkMutation(
        this.transport,
        productVariantsBulkUpdateMutation,
        lines.map((l) => ({ productId: l.productId, variants: l.variants.map((v) => ({ id: v.id, ...variantInput(v.values) })), allowPartialUpdates: false })),
        { clientIdentifier },
      );
      return result.results.map((r) => (r ? [...r.userErrors, ...r.errors.map((e) => ({ message: e.message }))] : null));
    } catch (err) {
      if (err instanceof ShopifyRequestError && err.retryable) throw new RetryableShopifyError(err.message, { cause: err });
      throw err;
    }
  }

  async updateProduct(productId: string, values: FieldValues, membership: { join: string[]; leave: string[] }): Promise<WriteUserError[]> {
    const product: Record<string, unknown> = { id: productId, ...productInput(values) };
    if (membership.join.length) product.collectionsToJoin = membership.join;
    if (membership.leave.length) product.collectionsToLeave = membership.leave;
    const data = await this.call<{ productUpdate: UserErrors }>(productUpdateMutation, { product });
    return data.productUpdate?.userErrors ?? [];
  }

  async updateVariants(productId: string, variants: VariantWrite[]): Promise<WriteUserError[]> {
    const errors: WriteUserError[] = [];
    for (let i = 0; i < variants.length; i += 250) {
      const data = await this.call<{ productVariantsBulkUpdate: UserErrors }>(productVariantsBulkUpdateMutation, {
        productId,
        variants: variants.slice(i, i + 250).map((v) => ({ id: v.id, ...variantInput(v.values) })),
        allowPartialUpdates: false,
      });
      errors.push(...(data.productVariantsBulkUpdate?.userErrors ?? []));
    }
    return errors;
  }

  async setInventory(quantities: InventoryWrite[], idempotencyKey: string): Promise<WriteUserError[]> {
    const data = await this.call<{ inventorySetQuantities: UserErrors }>(inventorySetQuantitiesMutation, {
      input: { name: 'available', reason: 'correction', referenceDocumentUri: `catalog-sync-desk://push/${idempotencyKey}`, quantities },
      idempotencyKey,
    });
    return data.inventorySetQuantities?.userErrors ?? [];
  }

  async createProduct(values: FieldValues, variants: FieldValues[]): Promise<{ product: CreatedProduct | null; userErrors: WriteUserError[] }> {
    const names = variants.map((v, i) => String(v.title ?? v.sku ?? `Variant ${i + 1}`));
    const unique = names.map((n, i) => (names.indexOf(n) === i ? n : `${n} ${i + 1}`));
    const input: Record<string, unknown> = { ...productInput(values) };
    if (variants.length) {
      input.productOptions = [{ name: 'Title', values: unique.map((name) => ({ name })) }];
      input.variants = variants.map((v, i) => {
        const { title: _title, ...rest } = v;
        return { ...variantInput(rest), optionValues: [{ optionName: 'Title', name: unique[i] }] };
      });
    }
    const data = await this.call<{ productSet: UserErrors & { product: { id: string; variants: { edges: Array<{ node: { id: string } }> } } | null } }>(productSetMutation, {
      input,
      // Keyed by handle: a create retried after a lost answer or a crash updates the same product.
      identifier: values.handle ? { handle: values.handle } : null,
      synchronous: true,
    });
    const p = data.productSet?.product;
    return { product: p ? { id: p.id, variantIds: edges(p.variants).map((v) => v.id) } : null, userErrors: data.productSet?.userErrors ?? [] };
  }

  async deleteProduct(productId: string): Promise<WriteUserError[]> {
    const data = await this.call<{ productDelete: UserErrors }>(productDeleteMutation, { input: { id: productId } });
    return data.productDelete?.userErrors ?? [];
  }

  throttle() {
    const s = this.transport.bucket.stats();
    return { available: s.currentlyAvailable, maximum: s.maximumAvailable, restoreRate: s.restoreRate };
  }
}
