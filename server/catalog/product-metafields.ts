import { type MetafieldDefinition, type MetafieldValue, metafieldKey, referenceIds } from '../../lib/sync/metafields';
import type { Executor } from '../db/client';
import { referenceTargets } from './references';

/** A catalog row of a metafield, as the product read loads it. */
export interface MetafieldRow {
  key: string;
  local: Record<string, unknown> | null;
  remote: Record<string, unknown> | null;
  meta: Record<string, unknown>;
}

const heldValue = (doc: Record<string, unknown> | null) => (doc?.value ?? null) as MetafieldValue | null;

/**
 * The product's own metafields for the editor: one per definition of the store (a defined metafield
 * without a value is listed too, so a person can give it one), then the ones without a definition,
 * each with the name and type people read and the master's value (null: none).
 */
export function productMetafields(productKey: string, rows: readonly MetafieldRow[], definitions: readonly MetafieldDefinition[]) {
  const own = rows.filter((r) => r.key.startsWith(`${productKey}|`));
  const byKey = new Map(own.map((r) => [r.key, r]));
  const defined = definitions.map((d) => {
    const row = byKey.get(metafieldKey(productKey, d.namespace, d.key));
    return present(d.namespace, d.key, d.name, d.type, row, d.validations);
  });
  const known = new Set(definitions.map((d) => metafieldKey(productKey, d.namespace, d.key)));
  const undefinedOnes = own
    .filter((r) => !known.has(r.key))
    .map((r) => {
      const held = heldValue(r.local) ?? heldValue(r.remote);
      return present(String(r.meta.namespace ?? ''), String(r.meta.key ?? ''), null, held?.type ?? 'single_line_text_field', r, []);
    })
    .filter((m) => m.namespace && m.key);
  return [...defined, ...undefinedOnes];
}

function present(
  namespace: string,
  key: string,
  name: string | null,
  type: string,
  row: MetafieldRow | undefined,
  validations: MetafieldDefinition['validations'],
) {
  const local = heldValue(row?.local ?? null);
  return {
    namespace,
    key,
    name,
    type,
    validations,
    value: row?.local ? (local?.value ?? null) : null,
    inShopify: Boolean(row?.remote),
  };
}
export type ProductMetafieldView = ReturnType<typeof productMetafields>[number];

/** Names of what the reference metafields point at (server/catalog/references.ts), by GID. */
export async function referenceTitles(db: Executor, storeId: string, metafields: readonly ProductMetafieldView[]) {
  const targets = await referenceTargets(db, storeId, referenceIds(metafields));
  return Object.fromEntries([...targets].map(([id, t]) => [id, t.name]));
}
