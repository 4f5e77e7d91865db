import type { MetafieldDefinition } from '../sync/metafields';
import type { ShopifyTransport } from './client';
import { metafieldDefinitionsQuery, metafieldStatesQuery, metafieldsDeleteMutation, metafieldsSetMutation } from './documents';
import { assertNoUserErrors, type ShopifyUserErrorEntry } from './errors';
import { type Connection, nodesOf } from './reshape';
import type { ShopifyMetafield } from './types';

/** metafieldsSet takes at most 25 metafields a call (and applies them all or none). */
export const METAFIELDS_PER_SET = 25;

export interface MetafieldRef {
  ownerId: string;
  namespace: string;
  key: string;
}

export type MetafieldState = ShopifyMetafield & { ownerId: string };

export interface MetafieldWrite extends MetafieldRef {
  type: string;
  /** Shopify's string form (lib/sync/metafields.ts toShopifyValue). */
  value: string;
  /** The digest read just before: Shopify refuses the write if the value moved since (INVALID_COMPARE_DIGEST). */
  compareDigest?: string | null;
}

type RawDefinition = Omit<MetafieldDefinition, 'type'> & { type: { name: string } };

/** The store's metafield definitions of one owner type, all pages. */
export async function getMetafieldDefinitions(
  t: ShopifyTransport,
  ownerType: MetafieldDefinition['ownerType'],
): Promise<MetafieldDefinition[]> {
  const out: MetafieldDefinition[] = [];
  let after: string | null = null;
  do {
    const response = await t.request<{ metafieldDefinitions: Connection<RawDefinition> }>(metafieldDefinitionsQuery, {
      ownerType,
      first: 250,
      after,
    });
    const page: Connection<RawDefinition> = response.data.metafieldDefinitions;
    for (const d of nodesOf(page)) out.push({ ...d, ownerType, type: d.type.name });
    const info = page.pageInfo;
    after = info?.hasNextPage ? info.endCursor : null;
  } while (after);
  return out;
}

type OwnerNode = { __typename: string; id: string; metafields?: Connection<ShopifyMetafield> } | null;

/** Owners per request: each brings at most `keys` metafields, so the request stays far under the cost limit. */
const OWNERS_PER_READ = 50;

/** The metafields asked for as Shopify holds them now; one absent from the answer has no value (or its owner is gone). */
export async function getMetafieldStates(t: ShopifyTransport, refs: readonly MetafieldRef[]): Promise<MetafieldState[]> {
  const owners = [...new Set(refs.map((r) => r.ownerId))];
  const keys = [...new Set(refs.map((r) => `${r.namespace}.${r.key}`))];
  const wanted = new Set(refs.map((r) => `${r.ownerId}|${r.namespace}.${r.key}`));
  const out: MetafieldState[] = [];
  for (let i = 0; i < owners.length; i += OWNERS_PER_READ) {
    const { data } = await t.request<{ nodes: OwnerNode[] }>(metafieldStatesQuery, {
      ids: owners.slice(i, i + OWNERS_PER_READ),
      keys,
      first: Math.min(250, keys.length),
    });
    for (const owner of data.nodes) {
      for (const m of nodesOf(owner?.metafields)) {
        if (wanted.has(`${owner!.id}|${m.namespace}.${m.key}`)) out.push({ ...m, ownerId: owner!.id });
      }
    }
  }
  return out;
}

/** One metafieldsSet call (at most 25, all or none); throws ShopifyUserError with Shopify's errors (elementIndex names the input). */
export async function setMetafields(t: ShopifyTransport, writes: readonly MetafieldWrite[]): Promise<void> {
  if (writes.length > METAFIELDS_PER_SET) throw new RangeError(`metafieldsSet takes at most ${METAFIELDS_PER_SET} metafields`);
  const metafields = writes.map((w) => ({
    ownerId: w.ownerId,
    namespace: w.namespace,
    key: w.key,
    type: w.type,
    value: w.value,
    ...(w.compareDigest !== undefined ? { compareDigest: w.compareDigest } : {}),
  }));
  const { data } = await t.request<{
    metafieldsSet: { userErrors: Array<Partial<ShopifyUserErrorEntry> & { elementIndex?: number | null }> };
  }>(metafieldsSetMutation, { metafields });
  const errors = data.metafieldsSet.userErrors.map((e) => ({
    ...e,
    field: e.field ?? (typeof e.elementIndex === 'number' ? ['metafields', String(e.elementIndex)] : null),
  }));
  assertNoUserErrors('metafieldsSet', { userErrors: errors });
}

export async function deleteMetafields(t: ShopifyTransport, refs: readonly MetafieldRef[]): Promise<void> {
  for (let i = 0; i < refs.length; i += 250) {
    const { data } = await t.request<{ metafieldsDelete: { userErrors: Array<Partial<ShopifyUserErrorEntry>> } }>(
      metafieldsDeleteMutation,
      {
        metafields: refs.slice(i, i + 250).map((r) => ({ ownerId: r.ownerId, namespace: r.namespace, key: r.key })),
      },
    );
    assertNoUserErrors('metafieldsDelete', data.metafieldsDelete);
  }
}
