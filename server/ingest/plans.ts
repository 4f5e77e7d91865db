import { sql } from 'drizzle-orm';

/**
 * Ingest's statements shared by its channels (local edits and CSV imports; the pull's own are in
 * server/catalog/plans.ts).
 */

/**
 * Sets the master side of memberships from the recordset (key, product_key, collection_id, member):
 * a member gets `{member: true}`, a product leaving gets null. A membership new to the catalog is
 * inserted with no base and no remote side, which restaging reads as an outgoing create.
 */
export const setMemberships = (storeId: string, payload: string) =>
  sql`insert into catalog_entities (store_id, entity, key, product_key, local, meta, local_updated_at)
      select ${storeId}::uuid, 'membership', x.key, x.product_key, case when x.member then '{"member": true}'::jsonb end,
             jsonb_build_object('collectionId', x.collection_id, 'productId', x.product_key), now()
      from jsonb_to_recordset(${payload}::jsonb) as x(key text, product_key text, collection_id text, member boolean)
      on conflict (store_id, entity, key) do update set local = excluded.local, local_updated_at = now(), updated_at = now()
      returning product_key, key`;

/**
 * Sets the master document of rows from the recordset (entity, key, product_key, local): a row new
 * to the catalog (an image added in the master) is inserted with no base and no remote side, which
 * restaging reads as an outgoing create; a null document is a removal in the master.
 */
export const setLocalRows = (storeId: string, payload: string) =>
  sql`insert into catalog_entities (store_id, entity, key, product_key, local, meta, local_updated_at)
      select ${storeId}::uuid, x.entity, x.key, x.product_key, x.local, '{}'::jsonb, now()
      from jsonb_to_recordset(${payload}::jsonb) as x(entity text, key text, product_key text, local jsonb)
      on conflict (store_id, entity, key) do update set local = excluded.local, local_updated_at = now(), updated_at = now()
      returning product_key, key`;

/**
 * Sets the master side of metafields from the recordset (key, product_key, owner_id, namespace,
 * mkey, value): a value replaces the local document, a null value removes it. A metafield new to
 * the catalog is inserted with no base and no remote side (restaging reads an outgoing create).
 */
export const setMetafields = (storeId: string, payload: string) =>
  sql`insert into catalog_entities (store_id, entity, key, product_key, local, meta, local_updated_at)
      select ${storeId}::uuid, 'metafield', x.key, x.product_key,
             case when x.value <> 'null'::jsonb then jsonb_build_object('value', x.value) end,
             jsonb_build_object('ownerId', x.owner_id, 'namespace', x.namespace, 'key', x.mkey), now()
      from jsonb_to_recordset(${payload}::jsonb) as x(key text, product_key text, owner_id text, namespace text, mkey text, value jsonb)
      on conflict (store_id, entity, key) do update set local = excluded.local, local_updated_at = now(), updated_at = now()
      returning product_key, key`;
