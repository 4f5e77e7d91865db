import {
  type MetafieldState,
  type NewProduct,
  type NewVariant,
  type ProductDocument,
  type ShopifyClient,
  ShopifyRequestError,
  ShopifyUserError,
  type VariantDocument,
  type VariantUpdate,
} from '../../lib/shopify';
import { entityKeys, normalizeDocument } from '../../lib/sync/fields';
import { type MetafieldValue, metafieldKey, splitMetafieldKey, toShopifyValue } from '../../lib/sync/metafields';
import type { EntityType, FieldValues } from '../../lib/sync/model';
import { BULK_POLL_MS } from './cost-model';
import {
  type CreatedProduct,
  type InventoryWrite,
  type MediaAdd,
  type NewVariantWrite,
  type ReadNeed,
  type RemoteProductState,
  RetryableShopifyError,
  type ShopifyPort,
  type VariantWrite,
  type WriteUserError,
} from './port';

const metafieldDoc = (m: MetafieldState): FieldValues => normalizeDocument('metafield', { value: { type: m.type, value: m.value } })!;
const stateKey = (m: MetafieldState) => metafieldKey(m.ownerId, m.namespace, m.key);

const variantUpdate = (v: VariantWrite): VariantUpdate => ({ id: v.id, ...(v.values as Partial<VariantDocument>) });

/** Variants to create as lib/shopify takes them; ones without option values are told apart by a Title option. */
function newVariants(variants: NewVariantWrite[]): NewVariant[] {
  const names = variants.map((v, i) => (variants.length === 1 ? 'Default Title' : String(v.values.sku ?? `Variant ${i + 1}`)));
  const unique = names.map((n, i) => (names.indexOf(n) === i ? n : `${n} ${i + 1}`));
  return variants.map((v, i) => ({
    ...(v.values as Partial<VariantDocument>),
    options: v.options.length ? Object.fromEntries(v.options.map((o) => [o.name, o.value])) : { Title: unique[i]! },
    inventoryQuantities: v.inventory,
  }));
}

/**
 * The push engine's port over a store's Shopify client (the store's gateway: its throttle bucket,
 * the push's timeouts and retries). It only translates between the sync model's field documents
 * and the lib/shopify verbs: a userError is an answer for the engine (the items fail with
 * Shopify's message), an error the client gave up retrying is a RetryableShopifyError (the unit is
 * tried again later), anything else propagates.
 */
export class ShopifyStorePort implements ShopifyPort {
  constructor(private readonly client: ShopifyClient) {}

  private async call<T>(verb: () => Promise<T>): Promise<T> {
    try {
      return await verb();
    } catch (err) {
      if (err instanceof ShopifyRequestError && err.retryable) throw new RetryableShopifyError(err.message, { cause: err });
      throw err;
    }
  }

  /** A write whose only answer the engine needs is Shopify's userErrors (none: applied). */
  private async write(verb: () => Promise<unknown>): Promise<WriteUserError[]> {
    try {
      await this.call(verb);
      return [];
    } catch (err) {
      if (err instanceof ShopifyUserError) return err.userErrors;
      throw err;
    }
  }

  async readState(productId: string, need: ReadNeed): Promise<RemoteProductState | null> {
    const state = await this.call(() => this.client.getProductState(productId, need));
    if (!state) return null;
    const metafields = need.metafieldKeys.length
      ? await this.call(() => this.client.getMetafieldStates(need.metafieldKeys.map(splitMetafieldKey)))
      : [];
    return {
      metafields: new Map(metafields.map((m) => [stateKey(m), { doc: metafieldDoc(m), digest: m.compareDigest ?? null }])),
      product: normalizeDocument('product', state.product)!,
      variants: new Map(state.variants.map((v) => [v.id, normalizeDocument('variant', v)!])),
      inventory: new Map(state.levels.map((l) => [entityKeys.inventoryLevel(l.inventoryItemId, l.locationId), { available: l.available }])),
      collections: new Set(state.collectionIds),
      media: new Map(state.media.map((m) => [entityKeys.media(productId, m.id), normalizeDocument('media', m)!])),
    };
  }

  async readVariants(variantIds: string[]): Promise<Map<string, FieldValues>> {
    const variants = await this.call(() => this.client.getVariantsByIds(variantIds));
    return new Map(variants.map((v) => [v.id, normalizeDocument('variant', v)!]));
  }

  async readEntities(refs: ReadonlyArray<{ entity: EntityType; key: string }>): Promise<Map<string, FieldValues>> {
    const keysOf = (entity: EntityType) => [...new Set(refs.filter((r) => r.entity === entity).map((r) => r.key))];
    const pairs = (entity: EntityType) => keysOf(entity).map((k) => entityKeys.split(k));
    const states = await this.call(() =>
      this.client.getEntityStates({
        productIds: keysOf('product'),
        variantIds: keysOf('variant'),
        levels: pairs('inventory_level').map(([inventoryItemId, locationId]) => ({ inventoryItemId, locationId })),
        memberships: pairs('membership').map(([collectionId, productId]) => ({ collectionId, productId })),
      }),
    );
    const out = await this.readMediaEntities(keysOf('media'));
    for (const p of states.products) out.set(p.id, normalizeDocument('product', p)!);
    for (const v of states.variants) out.set(v.id, normalizeDocument('variant', v)!);
    for (const l of states.levels) out.set(entityKeys.inventoryLevel(l.inventoryItemId, l.locationId), { available: l.available });
    for (const m of states.memberships) out.set(entityKeys.membership(m.collectionId, m.productId), { member: true });
    const metafieldRefs = keysOf('metafield').map(splitMetafieldKey);
    if (metafieldRefs.length) {
      for (const m of await this.call(() => this.client.getMetafieldStates(metafieldRefs))) out.set(stateKey(m), metafieldDoc(m));
    }
    return out;
  }

  /** Media are read through their products (a position is a place in the product's list): one drift read per product. */
  private async readMediaEntities(keys: string[]): Promise<Map<string, FieldValues>> {
    const out = new Map<string, FieldValues>();
    for (const productId of new Set(keys.map((k) => entityKeys.split(k)[0]))) {
      const need = { variantIds: [], inventoryItemIds: [], collections: false, media: true, metafieldKeys: [] };
      const state = await this.readState(productId, need);
      for (const [key, doc] of state?.media ?? []) out.set(key, doc);
    }
    return out;
  }

  updateMediaAlt(media: Array<{ id: string; alt: string | null }>): Promise<WriteUserError[]> {
    return this.write(() => this.client.updateMediaAlt(media));
  }

  async addMedia(productId: string, media: MediaAdd[]): Promise<{ ids: string[] | null; userErrors: WriteUserError[] }> {
    try {
      const added = await this.call(() => this.client.addMedia(productId, media));
      return { ids: added.map((m) => m.id), userErrors: [] };
    } catch (err) {
      if (err instanceof ShopifyUserError) return { ids: null, userErrors: err.userErrors };
      throw err;
    }
  }

  detachMedia(productId: string, mediaIds: string[]): Promise<WriteUserError[]> {
    return this.write(() => this.client.detachMedia(productId, mediaIds));
  }

  attachMedia(productId: string, mediaIds: string[]): Promise<WriteUserError[]> {
    return this.write(() => this.client.attachMedia(productId, mediaIds));
  }

  reorderMedia(productId: string, moves: Array<{ id: string; newPosition: number }>): Promise<WriteUserError[]> {
    return this.write(() => this.client.reorderMedia(productId, moves));
  }

  bulkUpdateVariants(
    lines: Array<{ productId: string; variants: VariantWrite[] }>,
    clientIdentifier: string,
  ): Promise<Array<WriteUserError[] | null>> {
    return this.call(() =>
      this.client.bulkUpdateVariants(
        lines.map((l) => ({ productId: l.productId, variants: l.variants.map(variantUpdate) })),
        // Polled soon and often at first: a small run ends within a second (the cost model counts the same polls).
        { clientIdentifier, pollIntervalMs: BULK_POLL_MS, maxPollIntervalMs: 5_000 },
      ),
    );
  }

  updateProduct(productId: string, values: FieldValues, membership: { join: string[]; leave: string[] }): Promise<WriteUserError[]> {
    return this.write(() =>
      this.client.updateProduct(
        { id: productId, ...(values as Partial<ProductDocument>) },
        { collectionsToJoin: membership.join, collectionsToLeave: membership.leave },
      ),
    );
  }

  updateVariants(productId: string, variants: VariantWrite[]): Promise<WriteUserError[]> {
    return this.write(() => this.client.updateVariants(productId, variants.map(variantUpdate)));
  }

  setInventory(quantities: InventoryWrite[], idempotencyKey: string): Promise<WriteUserError[]> {
    return this.write(() =>
      this.client.setInventoryQuantities({
        reason: 'correction',
        referenceDocumentUri: `catalog-sync-desk://push/${idempotencyKey}`,
        quantities,
        idempotencyKey,
      }),
    );
  }

  /**
   * productSet with the variants' own option values; variants made without options get one
   * option, Title, whose values name them (their sku, else their position).
   */
  async createProduct(
    values: FieldValues,
    variants: NewVariantWrite[],
  ): Promise<{ product: CreatedProduct | null; userErrors: WriteUserError[] }> {
    try {
      // Only the synced product fields reach productSet (a missing title stays missing, as Shopify then says).
      const product = { ...values, variants: variants.length ? newVariants(variants) : undefined } as NewProduct;
      const created = await this.call(() => this.client.createProduct(product, { identifyByHandle: true }));
      return {
        product: {
          id: created.id,
          variantIds: created.variants.map((v) => v.id),
          inventoryItemIds: created.variants.map((v) => v.inventoryItemId),
        },
        userErrors: [],
      };
    } catch (err) {
      if (err instanceof ShopifyUserError) return { product: null, userErrors: err.userErrors };
      throw err;
    }
  }

  async createVariants(
    productId: string,
    variants: NewVariantWrite[],
  ): Promise<{ variants: Array<{ id: string; inventoryItemId: string }> | null; userErrors: WriteUserError[] }> {
    try {
      return { variants: await this.call(() => this.client.createVariants(productId, newVariants(variants))), userErrors: [] };
    } catch (err) {
      if (err instanceof ShopifyUserError) return { variants: null, userErrors: err.userErrors };
      throw err;
    }
  }

  setMetafields(writes: Array<{ key: string; value: FieldValues; digest: string | null }>): Promise<WriteUserError[]> {
    return this.write(() =>
      this.client.setMetafields(
        writes.map((w) => {
          const mf = w.value.value as MetafieldValue;
          // With no digest (no value yet) nothing is compared: Shopify's compareDigest has no "must not exist".
          return {
            ...splitMetafieldKey(w.key),
            type: mf.type,
            value: toShopifyValue(mf),
            ...(w.digest ? { compareDigest: w.digest } : {}),
          };
        }),
      ),
    );
  }

  deleteMetafields(keys: string[]): Promise<WriteUserError[]> {
    return this.write(() => this.client.deleteMetafields(keys.map(splitMetafieldKey)));
  }

  deleteProduct(productId: string): Promise<WriteUserError[]> {
    return this.write(() => this.client.deleteProduct(productId));
  }

  throttle() {
    const s = this.client.bucket.stats();
    return { available: s.currentlyAvailable, maximum: s.maximumAvailable, restoreRate: s.restoreRate, latencyMs: s.latencyMs };
  }

  readCosts() {
    return { unit: (ids: number) => this.client.driftReadCost(ids), variants: (ids: number) => this.client.variantReadCost(ids) };
  }
}
