import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { stagedChanges } from '../../drizzle/schema';
import { AppError, conflict } from '../../lib/errors';
import { ENTITY_FIELDS, entityKeys, fieldsOf } from '../../lib/sync/fields';
import {
  type MetafieldDefinition,
  type MetafieldValue,
  metafieldInputSchema,
  metafieldKey,
  type ReferenceLookup,
  resolveReferences,
  splitMetafieldKey,
} from '../../lib/sync/metafields';
import type { ChangeSource, EntityType, FieldValues } from '../../lib/sync/model';
import { matchOptions, normalizeOptions } from '../../lib/sync/options';
import { loadMetafieldDefinitions } from '../catalog/metafield-definitions';
import { findProductRow } from '../catalog/products';
import { lookupReferences } from '../catalog/references';
import { type CategorySearch, categoryIdOf } from '../catalog/taxonomy';
import type { Executor } from '../db/client';
import { pgTextArray, queryRows } from '../db/rows';
import type { Logger } from '../logger';
import type { RealtimeHub } from '../realtime/hub';
import { publishStaged } from '../staging/events';
import { type LocalWrite, linkWrites } from '../staging/links';
import { type RestageResult, restage } from '../staging/restage';
import { listStores } from '../stores/stores';
import { mediaEditSchema, planMediaEdit } from './media-edits';
import * as plans from './plans';

export type { LocalWrite };

/** Each synced field of an entity, optional, validated by its own schema (lib/sync/fields). */
export function fieldsSchema(entity: EntityType) {
  return Object.fromEntries(fieldsOf(entity).map((f) => [f.name, f.schema.optional()])) as Record<string, z.ZodOptional<z.ZodType>>;
}

/** A collection by its id, Shopify GID or handle. */
const collectionRef = z.string().trim().min(1).max(300);

/** Custom collections the product joins or leaves in the master (staged as membership changes). */
export const membershipEditSchema = z
  .strictObject({
    join: z.array(collectionRef).max(250).default([]),
    leave: z.array(collectionRef).max(250).default([]),
  })
  .refine((m) => m.join.length + m.leave.length > 0, { message: 'name a collection to join or leave' });
export type MembershipEdit = z.infer<typeof membershipEditSchema>;

/** A category by its GID or its full name (patchProduct resolves a name to the GID the documents hold). */
const categoryInput = z.union([z.null(), z.string().trim().max(500, 'must be at most 500 characters')]);
/**
 * Metafield values to set (or remove: value null), by namespace and key. The value is checked
 * against the metafield's type when the edit is planned (the type of the value it holds, or the
 * `type` given for a metafield that has none yet).
 */
const metafieldEditSchema = z.strictObject({
  namespace: z.string().trim().min(1).max(255),
  key: z.string().trim().min(1).max(64),
  type: z.string().trim().min(1).max(100).optional(),
  value: z.unknown(),
});

export const productPatchSchema = z
  .strictObject({
    ...fieldsSchema('product'),
    category: categoryInput.optional(),
    metafields: z.array(metafieldEditSchema).max(250).optional(),
    variants: z
      .array(
        z.strictObject({
          id: z.string().min(1).max(300),
          ...fieldsSchema('variant'),
          metafields: z.array(metafieldEditSchema).max(250).optional(),
        }),
      )
      .max(2048)
      .optional(),
    inventory: z
      .array(
        z.strictObject({
          variantId: z.string().min(1).max(300),
          locationId: z.string().min(1).max(300),
          available: ENTITY_FIELDS.inventory_level[0]!.schema,
        }),
      )
      .max(10_000)
      .optional(),
    collections: membershipEditSchema.optional(),
    media: mediaEditSchema.optional(),
  })
  .refine((b) => Object.keys(b).some((k) => (b as Record<string, unknown>)[k] !== undefined), {
    message: 'Send at least one field to change',
  });
export type ProductPatch = z.infer<typeof productPatchSchema>;

interface EntityRow extends Record<string, unknown> {
  id: string;
  entity: EntityType;
  key: string;
  local: FieldValues | null;
  remote: FieldValues | null;
  meta: Record<string, unknown>;
}

function pick(entity: EntityType, input: Record<string, unknown>): FieldValues {
  const out: FieldValues = {};
  for (const f of fieldsOf(entity)) if (input[f.name] !== undefined) out[f.name] = f.normalize(input[f.name]);
  return out;
}

/** Resolves a PATCH body against the product's rows into local writes; unknown variants are a 400. */
export async function planProductPatch(db: Executor, storeId: string, productKey: string, patch: ProductPatch): Promise<LocalWrite[]> {
  const rows = await queryRows<EntityRow>(
    db,
    sql`select id, entity, key, local, remote, meta from catalog_entities where store_id = ${storeId} and product_key = ${productKey}`,
  );
  const writes: LocalWrite[] = [];
  const productValues = pick('product', patch as Record<string, unknown>);
  if (Object.keys(productValues).length) writes.push({ entity: 'product', key: productKey, values: productValues });
  const problems: Array<{ path: string; message: string }> = [];
  if (productValues.options !== undefined) {
    // Options are renamed and reordered here; the variants they name are not added or removed.
    const current = normalizeOptions(rows.find((r) => r.entity === 'product')?.local?.options);
    const match = matchOptions(current, normalizeOptions(productValues.options));
    if (!match.ok) problems.push({ path: 'options', message: match.message });
  }
  const variantByRef = (ref: string) => rows.find((r) => r.entity === 'variant' && (r.key === ref || r.id === ref));
  const { definitions, references } = await metafieldContext(db, storeId, productKey, rows, patch, variantByRef);
  for (const [i, v] of (patch.variants ?? []).entries()) {
    const row = variantByRef(v.id);
    if (!row) {
      problems.push({ path: `variants.${i}.id`, message: `is not a variant of this product` });
      continue;
    }
    const values = pick('variant', v as Record<string, unknown>);
    if (Object.keys(values).length) writes.push({ entity: 'variant', key: row.key, values });
    for (const [j, m] of (v.metafields ?? []).entries()) {
      const definition = definitions.find((d) => d.ownerType === 'PRODUCTVARIANT' && d.namespace === m.namespace && d.key === m.key);
      const planned = planMetafieldEdit(rows, productKey, row.key, m, `variants.${i}.metafields.${j}`, definition, references);
      if ('problem' in planned) problems.push(planned.problem);
      else writes.push(planned.write);
    }
  }
  for (const [i, inv] of (patch.inventory ?? []).entries()) {
    const variant = variantByRef(inv.variantId);
    if (!variant) {
      problems.push({ path: `inventory.${i}.variantId`, message: 'is not a variant of this product' });
      continue;
    }
    const itemId = String(variant.meta.inventoryItemId ?? '');
    const key = `${itemId}|${inv.locationId}`;
    if (!rows.some((r) => r.entity === 'inventory_level' && r.key === key)) {
      problems.push({ path: `inventory.${i}.locationId`, message: 'is not a location this variant is stocked at' });
      continue;
    }
    writes.push({ entity: 'inventory_level', key, values: { available: Number(inv.available) } });
  }
  for (const [i, m] of (patch.metafields ?? []).entries()) {
    const definition = definitions.find((d) => d.ownerType === 'PRODUCT' && d.namespace === m.namespace && d.key === m.key);
    const planned = planMetafieldEdit(rows, productKey, productKey, m, `metafields.${i}`, definition, references);
    if ('problem' in planned) problems.push(planned.problem);
    else writes.push(planned.write);
  }
  if (patch.collections) {
    const planned = await planMembershipEdit(db, storeId, productKey, patch.collections);
    writes.push(...planned.writes);
    problems.push(...planned.problems);
  }
  if (patch.media) {
    const planned = await planMediaEdit(db, storeId, productKey, patch.media);
    writes.push(...planned.writes);
    problems.push(...planned.problems);
  }
  if (problems.length) throw new AppError('validation', `Invalid body: ${problems[0]!.path}: ${problems[0]!.message}`, problems);
  return writes;
}

type MetafieldEdit = z.infer<typeof metafieldEditSchema>;
type HeldRows = ReadonlyArray<Pick<EntityRow, 'entity' | 'key'> & { local: FieldValues | null; remote?: FieldValues | null }>;

const heldValue = (rows: HeldRows, key: string) => {
  const row = rows.find((r) => r.entity === 'metafield' && r.key === key);
  return (row?.local?.value ?? row?.remote?.value) as MetafieldValue | undefined;
};

/** The store's metafield definitions and the targets the patch's reference values name by handle or SKU (one lookup). */
async function metafieldContext(
  db: Executor,
  storeId: string,
  productKey: string,
  rows: HeldRows,
  patch: ProductPatch,
  variantByRef: (ref: string) => { key: string } | undefined,
) {
  const edits: Array<{ owner: 'PRODUCT' | 'PRODUCTVARIANT'; ownerId: string; edit: MetafieldEdit }> = [
    ...(patch.metafields ?? []).map((edit) => ({ owner: 'PRODUCT' as const, ownerId: productKey, edit })),
    ...(patch.variants ?? []).flatMap((v) =>
      (v.metafields ?? []).map((edit) => ({ owner: 'PRODUCTVARIANT' as const, ownerId: variantByRef(v.id)?.key ?? v.id, edit })),
    ),
  ];
  if (edits.length === 0) return { definitions: [], references: new Map() as ReferenceLookup };
  const definitions = await loadMetafieldDefinitions(db, storeId);
  const typed = edits.map(({ owner, ownerId, edit }) => ({
    type:
      definitions.find((d) => d.ownerType === owner && d.namespace === edit.namespace && d.key === edit.key)?.type ??
      edit.type ??
      heldValue(rows, metafieldKey(ownerId, edit.namespace, edit.key))?.type ??
      '',
    value: edit.value,
  }));
  return { definitions, references: await lookupReferences(db, storeId, typed) };
}

/**
 * One metafield edit of an owner (the product or a variant) as a local write: the value validated by
 * the metafield's type, a problem naming the metafield otherwise. A reference value may name its
 * target by handle or SKU (`references`, looked up beforehand: server/catalog/references.ts).
 */
export function planMetafieldEdit(
  rows: HeldRows,
  productKey: string,
  ownerId: string,
  edit: MetafieldEdit,
  path: string,
  definition?: MetafieldDefinition,
  references: ReferenceLookup = new Map(),
): { write: LocalWrite } | { problem: { path: string; message: string } } {
  const key = metafieldKey(ownerId, edit.namespace, edit.key);
  const held = heldValue(rows, key);
  const name = definition ? `"${definition.name}" (${edit.namespace}.${edit.key})` : `${edit.namespace}.${edit.key}`;
  const write = (value: MetafieldValue | null): { write: LocalWrite } => ({
    write: { entity: 'metafield', key, values: { value }, productKey, ownerId, namespace: edit.namespace, metafieldKey: edit.key },
  });
  if (edit.value === null) return write(null);
  // The definition's type rules; a metafield without one keeps the type of the value it holds.
  const known = definition?.type ?? held?.type;
  const type = edit.type ?? known;
  if (!type) return { problem: { path: `${path}.type`, message: `metafield ${name} has no definition and no value yet: give its type` } };
  if (known && edit.type && edit.type !== known)
    return { problem: { path: `${path}.type`, message: `metafield ${name} is of type ${known}, not ${edit.type}` } };
  const resolved = resolveReferences(type, edit.value, references);
  if ('reason' in resolved) return { problem: { path: `${path}.value`, message: `metafield ${name}: ${resolved.reason}` } };
  const parsed = metafieldInputSchema(type, definition).safeParse(resolved.value);
  if (!parsed.success)
    return { problem: { path: `${path}.value`, message: `metafield ${name} ${parsed.error.issues[0]!.message} (type ${type})` } };
  return write(parsed.data);
}

interface CollectionRow extends Record<string, unknown> {
  id: string;
  key: string;
  handle: string | null;
  title: string | null;
  smart: boolean;
}

/**
 * Turns collections to join and leave (ids, GIDs or handles) into membership writes for one
 * product; unknown and smart collections (Shopify fills those by their rules) are problems with
 * the reason, under `path` (the PATCH body's, or a CSV cell's). Joining a collection the product is
 * in already, or leaving one it is not in, writes nothing.
 */
export async function planMembershipEdit(
  db: Executor,
  storeId: string,
  productKey: string,
  edit: MembershipEdit,
  path = 'collections',
): Promise<{ writes: LocalWrite[]; problems: Array<{ path: string; message: string }> }> {
  const refs = [...new Set([...edit.join, ...edit.leave])];
  const collections = await queryRows<CollectionRow>(
    db,
    sql`select id::text as id, key, coalesce(local->>'handle', remote->>'handle') as handle,
               coalesce(local->>'title', remote->>'title') as title, coalesce((meta->>'smart')::boolean, false) as smart
        from catalog_entities
        where store_id = ${storeId} and entity = 'collection' and (local is not null or remote is not null)
          and (key = any(${pgTextArray(refs)}::text[]) or id::text = any(${pgTextArray(refs)}::text[])
               or coalesce(local->>'handle', remote->>'handle') = any(${pgTextArray(refs)}::text[]))`,
  );
  const members = await queryRows<{ key: string }>(
    db,
    sql`select key from catalog_entities where store_id = ${storeId} and entity = 'membership' and product_key = ${productKey}
          and local is not null`,
  );
  const isMember = new Set(members.map((m) => m.key));
  const writes: LocalWrite[] = [];
  const problems: Array<{ path: string; message: string }> = [];
  for (const [side, list] of [
    ['join', edit.join],
    ['leave', edit.leave],
  ] as const) {
    for (const [i, ref] of list.entries()) {
      const c = collections.find((x) => x.key === ref || x.id === ref || x.handle === ref);
      const at = `${path}.${side}.${i}`;
      if (!c) problems.push({ path: at, message: `no collection "${ref}" in this store` });
      else if (c.smart)
        problems.push({ path: at, message: `"${c.title ?? ref}" is a smart collection: Shopify chooses its products by its rules` });
      else if (side === 'join' && edit.leave.some((r) => r === c.key || r === c.id || r === c.handle))
        problems.push({ path: at, message: `"${c.title ?? ref}" is both joined and left` });
      else {
        const key = entityKeys.membership(c.key, productKey);
        if (isMember.has(key) !== (side === 'join')) writes.push({ entity: 'membership', key, values: { member: side === 'join' } });
      }
    }
  }
  return { writes, problems };
}

/**
 * Merges local writes into the master and restages the touched products in one transaction.
 * A row deleted locally cannot be edited (409).
 */
export async function applyLocalWrites(
  db: Executor,
  storeId: string,
  writes: LocalWrite[],
  source: ChangeSource,
  logger?: Logger,
): Promise<RestageResult & { productKeys: string[] }> {
  const memberships = writes.filter((w) => w.entity === 'membership');
  const rowWrites = writes.filter((w) => w.op !== undefined && w.entity !== 'metafield');
  const metafields = writes.filter((w) => w.entity === 'metafield');
  const fields = writes.filter((w) => w.entity !== 'membership' && w.entity !== 'metafield' && w.op === undefined);
  const payload = JSON.stringify(fields.map((w) => ({ entity: w.entity, key: w.key, patch: w.values })));
  const run = async (tx: Executor) => {
    const joined = memberships.length ? await writeMemberships(tx, storeId, memberships) : [];
    if (rowWrites.length) joined.push(...(await writeRows(tx, storeId, rowWrites)));
    if (metafields.length) joined.push(...(await writeMetafields(tx, storeId, metafields)));
    const updated = await queryRows<{ product_key: string | null; key: string }>(
      tx,
      sql`update catalog_entities e set local = e.local || x.patch, local_updated_at = now(), updated_at = now()
          from jsonb_to_recordset(${payload}::jsonb) as x(entity text, key text, patch jsonb)
          where e.store_id = ${storeId} and e.entity = x.entity and e.key = x.key and e.local is not null
          returning e.product_key, e.key`,
    );
    const missing = fields.filter((w) => !updated.some((u) => u.key === w.key));
    if (missing.length)
      throw conflict(
        'deleted_locally',
        `${missing.length} row(s) no longer exist in the master and cannot be edited`,
        missing.slice(0, 20).map((m) => m.key),
      );
    const productKeys = [...new Set([...updated, ...joined].map((u) => u.product_key).filter((k): k is string => Boolean(k)))];
    const result = await restage(tx, { storeId, productKeys }, source, logger);
    return { ...result, productKeys };
  };
  return inTransaction(db, run);
}

/** The master side of membership writes (a membership new to the catalog is inserted); answers the rows written. */
function writeMemberships(tx: Executor, storeId: string, writes: LocalWrite[]) {
  const rows = writes.map((w) => {
    const [collectionId, productKey] = entityKeys.split(w.key);
    return { key: w.key, product_key: productKey, collection_id: collectionId, member: w.values.member === true };
  });
  return queryRows<{ product_key: string | null; key: string }>(tx, plans.setMemberships(storeId, JSON.stringify(rows)));
}

/** Rows made (an image added) or whose master document goes (an image removed); answers the rows written. */
function writeRows(tx: Executor, storeId: string, writes: LocalWrite[]) {
  const rows = writes.map((w) => ({
    entity: w.entity,
    key: w.key,
    product_key: entityKeys.split(w.key)[0],
    local: w.op === 'create' ? w.values : null,
  }));
  return queryRows<{ product_key: string | null; key: string }>(tx, plans.setLocalRows(storeId, JSON.stringify(rows)));
}

/** The master side of metafield writes (set or removed; a metafield new to the catalog is inserted); answers the rows written. */
function writeMetafields(tx: Executor, storeId: string, writes: LocalWrite[]) {
  const rows = writes.map((w) => ({
    key: w.key,
    product_key: w.productKey,
    owner_id: w.ownerId,
    namespace: w.namespace,
    mkey: w.metafieldKey,
    value: w.values.value ?? null,
  }));
  return queryRows<{ product_key: string | null; key: string }>(tx, plans.setMetafields(storeId, JSON.stringify(rows)));
}

/**
 * PATCH /api/products/:id: validate, write the master, stage outgoing changes. A category given by
 * name is resolved to its GID (the names the app knows, else `categories`: Shopify's taxonomy).
 */
export async function patchProduct(
  db: Executor,
  hub: RealtimeHub,
  idOrKey: string,
  input: ProductPatch,
  logger?: Logger,
  categories?: CategorySearch,
) {
  const product = await findProductRow(db, idOrKey);
  if (product.local === null)
    throw conflict('deleted_locally', 'This product was deleted in the master; approve or reject that change first');
  const patch =
    typeof input.category === 'string' && input.category !== ''
      ? { ...input, category: await categoryIdOf(db, product.store_id, input.category, categories) }
      : input;
  const writes = await planProductPatch(db, product.store_id, product.key, patch);
  const { result, linked } = await inTransaction(db, (tx) => applyMasterWrites(tx, product.store_id, writes, 'edit', logger));
  await publishStaged(hub, product.store_id, result, 'edit');
  for (const l of linked) await publishStaged(hub, l.storeId, l.result, 'edit');
  return { product, result, linked };
}

/** What a master edit staged in the other stores it reached. */
export interface LinkedResult {
  storeId: string;
  result: RestageResult & { productKeys: string[] };
}

/**
 * A master edit made in one store's copy, applied to every active store's copy of the same
 * entities (server/staging/links.ts) and staged there: one outgoing change per store. The links
 * are read before anything is written (the edit may change the handle or SKU that links them);
 * all stores are written in the caller's transaction, so the edit reaches all of them or none.
 */
export async function applyMasterWrites(
  tx: Executor,
  storeId: string,
  writes: LocalWrite[],
  source: ChangeSource,
  logger?: Logger,
): Promise<{ result: RestageResult & { productKeys: string[] }; linked: LinkedResult[] }> {
  const others = (await listStores(tx)).filter((s) => s.id !== storeId);
  const reach: Array<{ storeId: string; writes: LocalWrite[] }> = [];
  for (const other of others) {
    const linkedWrites = await linkWrites(tx, storeId, other.id, writes);
    if (linkedWrites.length) reach.push({ storeId: other.id, writes: linkedWrites });
  }
  const result = await applyLocalWrites(tx, storeId, writes, source, logger);
  const linked: LinkedResult[] = [];
  for (const r of reach) linked.push({ storeId: r.storeId, result: await applyLocalWrites(tx, r.storeId, r.writes, source, logger) });
  return { result, linked };
}

function inTransaction<T>(db: Executor, run: (tx: Executor) => Promise<T>): Promise<T> {
  return 'transaction' in db ? (db as { transaction: <R>(fn: (tx: Executor) => Promise<R>) => Promise<R> }).transaction(run) : run(db);
}

/**
 * Adoptions are master edits too: an incoming change approved in one store (or a conflict resolved
 * there) wrote Shopify's (or the chosen) value into the master, and the master is one, so the other
 * stores' copies of the same entities take it as well, staged there as outgoing changes for review.
 * Each store's decision still converges in that store (the adopted store stages nothing more); a
 * reject, an unapprove and a rollback are decisions about one store's Shopify and stay in it.
 * Called after the decision's transaction: the adoption stands even if no other store sells it.
 */
export async function fanOutAdoptions(
  db: Executor,
  hub: RealtimeHub,
  decidedIds: readonly string[],
  logger?: Logger,
): Promise<LinkedResult[]> {
  if (decidedIds.length === 0) return [];
  const decided = await db
    .select()
    .from(stagedChanges)
    .where(sql`${stagedChanges.id} = any(${pgTextArray([...decidedIds])}::uuid[])`);
  const adopted = decided
    .filter((c) => c.status === 'applied' || (c.status === 'approved' && c.kind === 'conflict'))
    .filter((c) => c.op === 'update' && c.kind !== 'outgoing' && ['product', 'variant', 'metafield'].includes(c.entity));
  const linked: LinkedResult[] = [];
  for (const storeId of new Set(adopted.map((c) => c.storeId))) {
    const changes = adopted.filter((c) => c.storeId === storeId);
    const rows = await queryRows<{ entity: EntityType; key: string; local: FieldValues | null }>(
      db,
      sql`select entity, key, local from catalog_entities where store_id = ${storeId}
            and key = any(${pgTextArray(changes.map((c) => c.entityKey))}::text[])`,
    );
    const writes: LocalWrite[] = [];
    for (const c of changes) {
      const local = rows.find((r) => r.entity === c.entity && r.key === c.entityKey)?.local;
      if (!local) continue;
      const names = c.approvedFields ?? c.fields.map((f) => f.name);
      const values = Object.fromEntries(names.filter((n) => n in local).map((n) => [n, local[n]])) as FieldValues;
      if (Object.keys(values).length === 0) continue;
      if (c.entity !== 'metafield') writes.push({ entity: c.entity, key: c.entityKey, values });
      else {
        const place = splitMetafieldKey(c.entityKey);
        writes.push({
          entity: 'metafield',
          key: c.entityKey,
          values,
          productKey: c.productKey ?? place.ownerId,
          ownerId: place.ownerId,
          namespace: place.namespace,
          metafieldKey: place.key,
        });
      }
    }
    if (writes.length === 0) continue;
    const others = (await listStores(db)).filter((s) => s.id !== storeId);
    for (const other of others) {
      const linkedWrites = await linkWrites(db, storeId, other.id, writes);
      if (linkedWrites.length === 0) continue;
      const result = await applyLocalWrites(db, other.id, linkedWrites, 'review', logger);
      await publishStaged(hub, other.id, result, 'review');
      linked.push({ storeId: other.id, result });
    }
  }
  return linked;
}
