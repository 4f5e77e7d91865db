import type { ShopifyTransport } from './client';
import {
  entityStatesQuery,
  getProductMediaPageQuery,
  membershipStatesQuery,
  pushDriftCheckQuery,
  variantDriftCheckQuery,
} from './documents';
import {
  availableOf,
  type Connection,
  nodesOf,
  type RawInventoryLevel,
  type RawMedia,
  type RawProductFields,
  type RawVariantFields,
  reshapeMedia,
  reshapeProductDocument,
  reshapeVariantDocument,
} from './reshape';
import type { ProductDocument, ShopifyMedia, ShopifyProductState, ShopifyVariantState } from './types';

/**
 * Entities' current state in Shopify, re-read by id through nodes(ids): the push's drift checks
 * (what a write is about to change, just before writing) and a rollback's preview (many entities
 * in few requests). Ids go out in chunks sized to stay under Shopify's single-query cost limit by
 * the client's own estimate of the document.
 */

/** Shopify refuses a single query above this many points (MAX_COST_EXCEEDED). */
const MAX_QUERY_COST = 1000;
/** nodes(ids:) takes at most this many ids. */
const MAX_NODE_IDS = 250;

export interface EntityStatesRequest {
  productIds: readonly string[];
  variantIds: readonly string[];
  levels: ReadonlyArray<{ inventoryItemId: string; locationId: string }>;
  memberships: ReadonlyArray<{ collectionId: string; productId: string }>;
}

type LevelState = { inventoryItemId: string; locationId: string; available: number | null };

export interface EntityStates {
  products: Array<ProductDocument & { id: string }>;
  variants: ShopifyVariantState[];
  levels: LevelState[];
  /** The pairs asked for whose product is in the collection now. */
  memberships: Array<{ collectionId: string; productId: string }>;
}

/** A node as the documents select it: an inventory level read by its own id, or an inventory item's levels. */
type StateNode =
  | ({ __typename: 'Product'; id: string; collections?: Connection<{ id: string }> } & RawProductFields)
  | ({ __typename: 'ProductVariant'; id: string } & RawVariantFields)
  | ({ __typename: 'InventoryLevel'; item: { id: string } } & RawInventoryLevel)
  | { __typename: 'InventoryItem'; id: string; inventoryLevels: Connection<RawInventoryLevel> }
  | { __typename: string; id?: string }
  | null;

const isNode = <N extends string>(node: StateNode, type: N): node is Extract<NonNullable<StateNode>, { __typename: N }> =>
  node?.__typename === type;

const levelState = (inventoryItemId: string, level: RawInventoryLevel): LevelState => ({
  inventoryItemId,
  locationId: level.location.id,
  available: availableOf(level),
});

/** The states the nodes hold, in their order; nodes of other types (and ids that no longer exist) are passed over. */
function statesOf(nodes: readonly StateNode[]): Omit<EntityStates, 'memberships'> {
  const out: Omit<EntityStates, 'memberships'> = { products: [], variants: [], levels: [] };
  for (const node of nodes) {
    if (isNode(node, 'Product')) out.products.push({ id: node.id, ...reshapeProductDocument(node) });
    else if (isNode(node, 'ProductVariant')) out.variants.push({ id: node.id, ...reshapeVariantDocument(node) });
    else if (isNode(node, 'InventoryLevel')) out.levels.push(levelState(node.item.id, node));
    else if (isNode(node, 'InventoryItem')) out.levels.push(...nodesOf(node.inventoryLevels).map((level) => levelState(node.id, level)));
  }
  return out;
}

const numeric = (gid: string) => gid.slice(gid.lastIndexOf('/') + 1);

/** An inventory level's id: Shopify's form, `InventoryLevel/<location>?inventory_item_id=<item>`. */
export const inventoryLevelId = (inventoryItemId: string, locationId: string) =>
  `gid://shopify/InventoryLevel/${numeric(locationId)}?inventory_item_id=${numeric(inventoryItemId)}`;

/** `n` ids of a type, for pricing a document that reads that many. */
const placeholderIds = (type: string, n: number) => Array.from({ length: Math.max(1, n) }, (_, i) => `gid://shopify/${type}/${i}`);

/** How many items fit in one request of `document` under the cost limit (at least one, at most `most`). */
function chunkSize(t: ShopifyTransport, document: string, variables: (n: number) => Record<string, unknown>, most: number): number {
  const one = Math.max(1, t.estimateCost(document, variables(1)));
  return Math.max(1, Math.min(most, Math.floor(MAX_QUERY_COST / one)));
}

/** nodes(ids) of `document` for every id, in as few requests as the cost limit allows. */
async function readNodes(t: ShopifyTransport, document: string, ids: readonly string[]): Promise<StateNode[]> {
  const size = chunkSize(t, document, (n) => ({ ids: ids.slice(0, n) }), MAX_NODE_IDS);
  const nodes: StateNode[] = [];
  for (let i = 0; i < ids.length; i += size) {
    const { data } = await t.request<{ nodes: StateNode[] }>(document, { ids: ids.slice(i, i + size) });
    nodes.push(...data.nodes);
  }
  return nodes;
}

/** A rollback preview's read: the products, variants, inventory levels and collection memberships asked for, as Shopify holds them now. */
export async function getEntityStates(t: ShopifyTransport, request: EntityStatesRequest): Promise<EntityStates> {
  const ids = [
    ...request.productIds,
    ...request.variantIds,
    ...request.levels.map((l) => inventoryLevelId(l.inventoryItemId, l.locationId)),
  ];
  const states = statesOf(await readNodes(t, entityStatesQuery, ids));
  return { ...states, memberships: await readMemberships(t, request.memberships) };
}

async function readMemberships(t: ShopifyTransport, pairs: EntityStatesRequest['memberships']): Promise<EntityStates['memberships']> {
  const out: EntityStates['memberships'] = [];
  if (pairs.length === 0) return out;
  const variables = (chunk: EntityStatesRequest['memberships']) =>
    Object.fromEntries(
      chunk.flatMap((m, i) => [
        [`c${i}`, m.collectionId],
        [`p${i}`, m.productId],
      ]),
    );
  const size = chunkSize(t, membershipStatesQuery(1), (n) => variables(pairs.slice(0, n)), MAX_NODE_IDS);
  for (let i = 0; i < pairs.length; i += size) {
    const chunk = pairs.slice(i, i + size);
    const { data } = await t.request<Record<string, { hasProduct: boolean } | null>>(membershipStatesQuery(chunk.length), variables(chunk));
    chunk.forEach((m, j) => {
      if (data[`m${j}`]?.hasProduct) out.push(m);
    });
  }
  return out;
}

/** The push's drift-check read sizes: collections and media (at most 250 a product) only when asked for. */
const DRIFT_SIZES = { collectionsFirst: 250, levelsFirst: 50 };

/**
 * Re-reads exactly what a write is about to change, in one nodes(ids) query: the product's fields,
 * the named variants, the available quantity of the named inventory items at every location, and
 * (when asked) the product's collections. Null when the product no longer exists.
 */
export async function getProductState(
  t: ShopifyTransport,
  productId: string,
  need: { variantIds: readonly string[]; inventoryItemIds: readonly string[]; collections: boolean; media?: boolean },
): Promise<ShopifyProductState | null> {
  const { data } = await t.request<{ nodes: StateNode[] }>(pushDriftCheckQuery, {
    ids: [productId, ...need.variantIds, ...need.inventoryItemIds],
    withCollections: need.collections,
    ...DRIFT_SIZES,
  });
  const product = data.nodes.find((n) => isNode(n, 'Product'));
  if (!product || !isNode(product, 'Product')) return null;
  const { products, variants, levels } = statesOf(data.nodes);
  return {
    product: products[0]!,
    variants,
    levels,
    collectionIds: nodesOf(product.collections).map((c) => c.id),
    media: need.media ? await getProductMedia(t, productId) : [],
  };
}

/** Media read per page: a page of 250 media and their images requests about 500 points. */
const MEDIA_PAGE = 250;

/** A product's media in Shopify's order, every page (the drift read of a unit that writes images). */
export async function getProductMedia(t: ShopifyTransport, productId: string): Promise<ShopifyMedia[]> {
  const out: ShopifyMedia[] = [];
  for (let after: string | null = null; ; ) {
    const answer: { data: { product: { media: Connection<RawMedia> } | null } } = await t.request(getProductMediaPageQuery, {
      id: productId,
      first: MEDIA_PAGE,
      after,
    });
    const media = answer.data.product?.media;
    if (!media) return out;
    for (const raw of nodesOf(media)) out.push(reshapeMedia(raw, productId, out.length + 1));
    if (!media.pageInfo?.hasNextPage) return out;
    after = media.pageInfo.endCursor;
  }
}

/**
 * Points the client expects a drift-check read of `ids` nodes to cost in the end (its estimate of
 * the document, corrected by what Shopify charged for it before): the push's cost model prices units with it.
 */
export function driftReadCost(t: ShopifyTransport, ids: number): number {
  return t.estimateActualCost(pushDriftCheckQuery, { ids: placeholderIds('Node', ids), withCollections: false, ...DRIFT_SIZES });
}

/**
 * Re-reads variants' synced fields by id (a bulk write's drift check); ids that no longer exist are
 * absent. As many ids per request as keep its requested cost within Shopify's per-query limit (at most 250).
 */
export async function getVariantsByIds(t: ShopifyTransport, ids: readonly string[]): Promise<ShopifyVariantState[]> {
  return statesOf(await readNodes(t, variantDriftCheckQuery, ids)).variants;
}

/** Points the client expects a bulk run's drift read of `ids` variants to cost in the end. */
export function variantReadCost(t: ShopifyTransport, ids: number): number {
  return t.estimateActualCost(variantDriftCheckQuery, { ids: placeholderIds('ProductVariant', ids) });
}
