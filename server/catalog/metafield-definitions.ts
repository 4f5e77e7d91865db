import { and, eq, sql } from 'drizzle-orm';
import { metafieldDefinitions } from '../../drizzle/schema';
import type { MetafieldDefinition } from '../../lib/sync/metafields';
import type { Executor } from '../db/client';

/**
 * The store's metafield definitions as the last pull read them: replaced as a whole (a definition
 * deleted in Shopify goes too), in the caller's transaction or one of its own statements.
 */
export async function saveMetafieldDefinitions(db: Executor, storeId: string, list: readonly MetafieldDefinition[]): Promise<void> {
  const rows = list.map((d) => ({
    owner_type: d.ownerType,
    namespace: d.namespace,
    key: d.key,
    name: d.name,
    type: d.type,
    validations: d.validations,
  }));
  // One statement: the rows Shopify no longer lists are deleted, the others upserted.
  await db.execute(sql`with listed as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(owner_type text, namespace text, key text, name text, type text, validations jsonb)
    ), gone as (
      delete from metafield_definitions d where d.store_id = ${storeId}
        and not exists (select 1 from listed l where (l.owner_type, l.namespace, l.key) = (d.owner_type, d.namespace, d.key))
    )
    insert into metafield_definitions (store_id, owner_type, namespace, key, name, type, validations)
    select ${storeId}::uuid, owner_type, namespace, key, name, type, validations from listed
    on conflict (store_id, owner_type, namespace, key) do update
      set name = excluded.name, type = excluded.type, validations = excluded.validations, updated_at = now()
      where (metafield_definitions.name, metafield_definitions.type, metafield_definitions.validations)
        is distinct from (excluded.name, excluded.type, excluded.validations)`);
}

/** The store's definitions of one owner type (all of them when none is given). */
export async function loadMetafieldDefinitions(
  db: Executor,
  storeId: string,
  ownerType?: MetafieldDefinition['ownerType'],
): Promise<MetafieldDefinition[]> {
  const where = ownerType
    ? and(eq(metafieldDefinitions.storeId, storeId), eq(metafieldDefinitions.ownerType, ownerType))
    : eq(metafieldDefinitions.storeId, storeId);
  const rows = await db.select().from(metafieldDefinitions).where(where).orderBy(metafieldDefinitions.namespace, metafieldDefinitions.key);
  return rows.map((r) => ({
    ownerType: r.ownerType,
    namespace: r.namespace,
    key: r.key,
    name: r.name,
    type: r.type,
    validations: r.validations,
  }));
}
