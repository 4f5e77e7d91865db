import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, conflict } from '../../lib/errors';
import { ENTITY_FIELDS, fieldsOf } from '../../lib/sync/fields';
import type { ChangeSource, EntityType, FieldValues } from '../../lib/sync/model';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { Logger } from '../logger';
import type { RealtimeHub } from '../realtime/hub';
import { publishStaged } from '../staging/events';
import { restage, type RestageResult } from '../staging/restage';
import { findProductRow } from './products';

/** Each synced field of an entity, optional, validated by its own schema (lib/sync/fields). */
function fieldsSchema(entity: EntityType) {
  return Object.fromEntries(fieldsOf(entity).map((f) => [f.name, f.schema.optional()])) as Record<string, z.ZodOptional<z.ZodType>>;
}

export const productPatchSchema = z
  .strictObject({
    ...fieldsSchema('product'),
    variants: z
      .array(z.strictObject({ id: z.string().min(1).max(300), ...fieldsSchema('variant') }))
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
  })
  .refine((b) => Object.keys(b).some((k) => (b as Record<string, unknown>)[k] !== undefined), { message: 'Send at least one field to change' });
export type ProductPatch = z.infer<typeof productPatchSchema>;

interface EntityRow extends Record<string, unknown> {
  id: string;
  entity: EntityType;
  key: string;
  local: FieldValues | null;
  meta: Record<string, unknown>;
}

/** One local write: the entity and the fields to merge into its local document. */
export interface LocalWrite {
  entity: EntityType;
  key: string;
  values: FieldValues;
}

function pick(entity: EntityType, input: Record<string, unknown>): FieldValues {
  const out: FieldValues = {};
  for (const f of fieldsOf(entity)) if (input[f.name] !== undefined) out[f.name] = f.normalize(input[f.name]);
  return out;
}

/** Resolves a PATCH body against the product's rows into local writes; unknown variants are a 400. */
export async function planProductPatch(db: Executor, storeId: string, productKey: string, patch: ProductPatch): Promise<LocalWrite[]> {
  const rows = await queryRows<EntityRow>(db, sql`select id, entity, key, local, meta from catalog_entities where store_id = ${storeId} and product_key = ${productKey}`);
  const writes: LocalWrite[] = [];
  const productValues = pick('product', patch as Record<string, unknown>);
  if (Object.keys(productValues).length) writes.push({ entity: 'product', key: productKey, values: productValues });
  const variantByRef = (ref: string) => rows.find((r) => r.entity === 'variant' && (r.key === ref || r.id === ref));
  const problems: Array<{ path: string; message: string }> = [];
  patch.variants?.forEach((v, i) => {
    const row = variantByRef(v.id);
    if (!row) return problems.push({ path: `variants.${i}.id`, message: `is not a variant of this product` });
    const values = pick('variant', v as Record<string, unknown>);
    if (Object.keys(values).length) writes.push({ entity: 'variant', key: row.key, values });
  });
  patch.inventory?.forEach((inv, i) => {
    const variant = variantByRef(inv.variantId);
    if (!variant) return problems.push({ path: `inventory.${i}.variantId`, message: 'is not a variant of this product' });
    const itemId = String(variant.meta.inventoryItemId ?? '');
    const key = `${itemId}|${inv.locationId}`;
    if (!rows.some((r) => r.entity === 'inventory_level' && r.key === key)) {
      return problems.push({ path: `inventory.${i}.locationId`, message: 'is not a location this variant is stocked at' });
    }
    writes.push({ entity: 'inventory_level', key, values: { available: Number(inv.available) } });
  });
  if (problems.length) throw new AppError('validation', `Invalid body: ${problems[0]!.path}: ${problems[0]!.message}`, problems);
  return writes;
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
  const payload = JSON.stringify(writes.map((w) => ({ entity: w.entity, key: w.key, patch: w.values })));
  const run = async (tx: Executor) => {
    const updated = await queryRows<{ product_key: string | null; key: string }>(
      tx,
      sql`update catalog_entities e set local = e.local || x.patch, local_updated_at = now(), updated_at = now()
          from jsonb_to_recordset(${payload}::jsonb) as x(entity text, key text, patch jsonb)
          where e.store_id = ${storeId} and e.entity = x.entity and e.key = x.key and e.local is not null
          returning e.product_key, e.key`,
    );
    const missing = writes.filter((w) => !updated.some((u) => u.key === w.key));
    if (missing.length) throw conflict('deleted_locally', `${missing.length} row(s) no longer exist in the master and cannot be edited`, missing.slice(0, 20).map((m) => m.key));
    const productKeys = [...new Set(updated.map((u) => u.product_key).filter((k): k is string => Boolean(k)))];
    const result = await restage(tx, { storeId, productKeys }, source, logger);
    return { ...result, productKeys };
  };
  return 'transaction' in db ? (db as { transaction: <T>(fn: (tx: Executor) => Promise<T>) => Promise<T> }).transaction(run) : run(db);
}

/** PATCH /api/products/:id: validate, write the master, stage outgoing changes. */
export async function patchProduct(db: Executor, hub: RealtimeHub, idOrKey: string, patch: ProductPatch, logger?: Logger) {
  const product = await findProductRow(db, idOrKey);
  if (product.local === null) throw conflict('deleted_locally', 'This product was deleted in the master; approve or reject that change first');
  const writes = await planProductPatch(db, product.store_id, product.key, patch);
  const result = await applyLocalWrites(db, product.store_id, writes, 'edit', logger);
  await publishStaged(hub, product.store_id, result, 'edit');
  return { product, result };
}
