import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { catalogEntities, type NewCatalogEntity } from '../../drizzle/schema';
import { AppError, conflict } from '../../lib/errors';
import { ENTITY_FIELDS, entityKeys, fieldSpec, fieldsOf } from '../../lib/sync/fields';
import type { ChangeSource, FieldValues } from '../../lib/sync/model';
import { findProductRow } from '../catalog/products';
import type { Executor } from '../db/client';
import { pgTextArray, queryRows } from '../db/rows';
import type { Logger } from '../logger';
import type { RealtimeHub } from '../realtime/hub';
import { publishStaged } from '../staging/events';
import { type RestageResult, restage } from '../staging/restage';
import { fieldsSchema } from './edits';

/**
 * Products and variants made in the master, and products deleted there. Each is written to the
 * master and staged (restage) as one outgoing change for review: a product's create carries its
 * variants and their stock, a variant's create its stock, a delete everything of the product.
 * Rows made here are keyed `local:<uuid>` (a new variant's levels `<variant key>|<location>`)
 * until the push that creates them in Shopify rekeys them to Shopify's ids.
 */

const optionText = z.string().trim().min(1, 'must not be blank').max(255, 'must be at most 255 characters');
const MAX_OPTIONS = 3;

export const newVariantSchema = z.strictObject({
  /** Option values by option name, in the product's option order: { Size: "M", Color: "Blue" }. */
  options: z.record(optionText, optionText).optional(),
  ...fieldsSchema('variant'),
  price: fieldSpec('variant', 'price')!.schema,
  /** First stock per location (Shopify location GID); default: 0 at the store's first location. */
  inventory: z
    .array(z.strictObject({ locationId: z.string().min(1).max(300), available: ENTITY_FIELDS.inventory_level[0]!.schema }))
    .max(250)
    .optional(),
});
export type NewVariantInput = z.infer<typeof newVariantSchema>;

const optionsOf = (v: NewVariantInput) => Object.entries(v.options ?? {}).map(([name, value]) => ({ name, value }));
const comboKey = (options: Array<{ name: string; value: string }>) => JSON.stringify(options.map((o) => [o.name, o.value]));

export const productCreateSchema = z
  .strictObject({
    storeId: z.string().uuid().optional(),
    ...fieldsSchema('product'),
    title: fieldSpec('product', 'title')!.schema,
    variants: z.array(newVariantSchema).min(1, 'a product needs at least one variant').max(2048),
  })
  .superRefine((body, ctx) => {
    const names = Object.keys(body.variants[0]!.options ?? {});
    if (names.length > MAX_OPTIONS) ctx.addIssue({ code: 'custom', path: ['variants', 0, 'options'], message: 'at most 3 options' });
    if (body.variants.length > 1 && names.length === 0)
      ctx.addIssue({ code: 'custom', path: ['variants', 0, 'options'], message: 'variants need option values to tell them apart' });
    const seen = new Set<string>();
    for (const [i, v] of body.variants.entries()) {
      const own = Object.keys(v.options ?? {});
      if (own.length !== names.length || own.some((n, j) => n !== names[j]))
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'options'],
          message: `must name the options ${names.join(', ') || '(none)'}`,
        });
      const key = comboKey(optionsOf(v));
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'options'], message: 'repeats another variant' });
      seen.add(key);
    }
  });
export type ProductCreate = z.infer<typeof productCreateSchema>;

/** A new product's options: the variants' option names, each with its values in the order the variants first use them. */
function optionsOfVariants(variants: readonly NewVariantInput[]): Array<{ name: string; values: string[] }> {
  const names = Object.keys(variants[0]?.options ?? {});
  return names.map((name) => ({ name, values: [...new Set(variants.map((v) => v.options?.[name] ?? ''))] }));
}

/** What Shopify gives a field it was not told (so the master holds what a pull will read back). */
const PRODUCT_DEFAULTS: FieldValues = { descriptionHtml: '', vendor: '', productType: '', status: 'DRAFT', tags: [] };
const VARIANT_DEFAULTS: FieldValues = { inventoryPolicy: 'DENY', taxable: true, tracked: true };

function documentOf(entity: 'product' | 'variant', input: Record<string, unknown>, defaults: FieldValues): FieldValues {
  const doc: FieldValues = {};
  for (const f of fieldsOf(entity)) {
    const value = input[f.name] !== undefined ? input[f.name] : defaults[f.name];
    doc[f.name] = value === undefined ? f.normalize(null) : f.normalize(value);
  }
  return doc;
}

export function handleize(title: string): string {
  return title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200);
}

/** The product's handle: the one given (refused when another product has it), else one made from the title. */
async function uniqueHandle(db: Executor, storeId: string, wanted: string | undefined, title: string): Promise<string> {
  const base = wanted ?? (handleize(title) || 'product');
  const taken = new Set(
    (
      await queryRows<{ handle: string }>(
        db,
        sql`select coalesce(local->>'handle', remote->>'handle') as handle from catalog_entities
            where store_id = ${storeId} and entity = 'product' and coalesce(local->>'handle', remote->>'handle') like ${`${base}%`}`,
      )
    ).map((r) => r.handle),
  );
  if (wanted && taken.has(wanted)) throw conflict('handle_taken', `Another product already has the handle "${wanted}"`);
  let handle = base;
  for (let n = 2; taken.has(handle); n++) handle = `${base}-${n}`;
  return handle;
}

/** The store's locations a new variant may be stocked at; the first is where Shopify stocks it by default. */
async function storeLocations(db: Executor, storeId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from locations where store_id = ${storeId} and active
        order by length(id), id`,
  );
  return rows.map((r) => r.id);
}

/** The rows of one new variant: the variant and its levels (keyed by the variant's local key). */
function variantRows(
  storeId: string,
  productKey: string,
  v: NewVariantInput,
  position: number,
  locations: string[],
  path: string,
): NewCatalogEntity[] {
  const key = `local:${randomUUID()}`;
  const options = optionsOf(v);
  const stock = v.inventory?.length ? v.inventory : locations.slice(0, 1).map((locationId) => ({ locationId, available: 0 }));
  const unknown = stock.find((s) => !locations.includes(s.locationId));
  if (unknown) throw new AppError('validation', `Invalid body: ${path}.inventory: no location "${unknown.locationId}" in this store`);
  return [
    {
      storeId,
      entity: 'variant',
      key,
      productKey,
      local: documentOf('variant', v as Record<string, unknown>, VARIANT_DEFAULTS),
      meta: {
        title: options.map((o) => o.value).join(' / ') || 'Default Title',
        position,
        inventoryItemId: key,
        selectedOptions: options.length ? options : [{ name: 'Title', value: 'Default Title' }],
      },
    },
    ...stock.map(
      (s): NewCatalogEntity => ({
        storeId,
        entity: 'inventory_level',
        key: entityKeys.inventoryLevel(key, s.locationId),
        productKey,
        local: { available: Number(s.available) },
        meta: { variantId: key, inventoryItemId: key, locationId: s.locationId },
      }),
    ),
  ];
}

async function writeAndStage(
  db: Executor,
  storeId: string,
  productKey: string,
  write: (tx: Executor) => Promise<void>,
  source: ChangeSource,
  logger?: Logger,
): Promise<RestageResult> {
  const run = async (tx: Executor) => {
    await write(tx);
    return restage(tx, { storeId, productKeys: [productKey] }, source, logger);
  };
  return 'transaction' in db ? (db as { transaction: <T>(fn: (tx: Executor) => Promise<T>) => Promise<T> }).transaction(run) : run(db);
}

/** Writes a new product with its variants and stock to the master and stages its create (in the caller's transaction, if any). */
export async function stageNewProduct(
  db: Executor,
  storeId: string,
  input: ProductCreate,
  source: ChangeSource,
  logger?: Logger,
): Promise<{ productKey: string; result: RestageResult }> {
  const productKey = `local:${randomUUID()}`;
  const given = input as Record<string, unknown>;
  const handle = await uniqueHandle(db, storeId, given.handle as string | undefined, String(input.title));
  const locations = await storeLocations(db, storeId);
  const rows: NewCatalogEntity[] = [
    {
      storeId,
      entity: 'product',
      key: productKey,
      productKey,
      // Shopify derives the options from the variants' values (lib/shopify/writes.ts createProduct): the master holds the same.
      local: documentOf('product', { ...given, handle, options: optionsOfVariants(input.variants) }, PRODUCT_DEFAULTS),
      meta: { variantCount: input.variants.length },
    },
    ...input.variants.flatMap((v, i) => variantRows(storeId, productKey, v, i + 1, locations, `variants.${i}`)),
  ];
  const result = await writeAndStage(db, storeId, productKey, (tx) => insertRows(tx, rows), source, logger);
  return { productKey, result };
}

/** A product made in the master, with its variants and their first stock: staged as one outgoing create. */
export async function createProductInMaster(
  db: Executor,
  hub: RealtimeHub,
  storeId: string,
  input: ProductCreate,
  source: ChangeSource = 'edit',
  logger?: Logger,
): Promise<{ productKey: string; result: RestageResult }> {
  const staged = await stageNewProduct(db, storeId, input, source, logger);
  await publishStaged(hub, storeId, staged.result, source);
  return staged;
}

interface VariantRow extends Record<string, unknown> {
  key: string;
  local: FieldValues | null;
  meta: { position?: number; selectedOptions?: Array<{ name: string; value: string }> };
}

/** The option names of a product's variants, in order (none for a product of one default variant). */
export async function productOptionNames(db: Executor, storeId: string, productKey: string): Promise<string[]> {
  const [row] = await queryRows<{ options: Array<{ name: string }> | null }>(
    db,
    sql`select meta->'selectedOptions' as options from catalog_entities
        where store_id = ${storeId} and entity = 'variant' and product_key = ${productKey} and local is not null
        order by (meta->>'position')::int nulls last limit 1`,
  );
  const names = (row?.options ?? []).map((o) => o.name);
  return names.length === 1 && names[0] === 'Title' ? [] : names;
}

/**
 * Writes a new variant of a product the master has and stages its create (in the caller's
 * transaction, if any): its option values must name the product's options, in a combination not taken.
 */
export async function stageNewVariant(
  db: Executor,
  product: { store_id: string; key: string },
  input: NewVariantInput,
  source: ChangeSource,
  logger?: Logger,
): Promise<{ variantKey: string; result: RestageResult }> {
  const variants = await queryRows<VariantRow>(
    db,
    sql`select key, local, meta from catalog_entities where store_id = ${product.store_id} and entity = 'variant'
          and product_key = ${product.key}`,
  );
  const names = await productOptionNames(db, product.store_id, product.key);
  const given = optionsOf(input);
  if (names.length === 0)
    throw conflict('no_options', 'This product has no options to tell a new variant apart; create it with options (Size, Color...)');
  if (given.length !== names.length || given.some((o, i) => o.name !== names[i]))
    throw new AppError('validation', `Invalid body: options: must name the product's options ${names.join(', ')}, in that order`);
  const taken = variants.filter((v) => v.local).map((v) => comboKey(v.meta.selectedOptions ?? []));
  if (taken.includes(comboKey(given)))
    throw conflict('variant_exists', `The product already has the variant ${given.map((o) => o.value).join(' / ')}`);
  const position = Math.max(0, ...variants.map((v) => Number(v.meta.position ?? 0))) + 1;
  const rows = variantRows(product.store_id, product.key, input, position, await storeLocations(db, product.store_id), 'variant');
  const result = await writeAndStage(db, product.store_id, product.key, (tx) => insertRows(tx, rows), source, logger);
  return { variantKey: rows[0]!.key, result };
}

/** A new variant of a product (by id or Shopify GID), staged as one outgoing create. */
export async function createVariantInMaster(
  db: Executor,
  hub: RealtimeHub,
  productIdOrKey: string,
  input: NewVariantInput,
  source: ChangeSource = 'edit',
  logger?: Logger,
): Promise<{ product: Awaited<ReturnType<typeof findProductRow>>; variantKey: string; result: RestageResult }> {
  const product = await findProductRow(db, productIdOrKey);
  if (product.local === null)
    throw conflict('deleted_locally', 'This product was deleted in the master; approve or reject that change first');
  const staged = await stageNewVariant(db, product, input, source, logger);
  await publishStaged(hub, product.store_id, staged.result, source);
  return { product, ...staged };
}

/**
 * Deleting a product in the master: it and its rows leave the master, staged as one outgoing
 * delete that a person approves before the push deletes it in Shopify (rejecting it restores
 * them). A product Shopify never had simply leaves, with its pending create.
 */
export async function deleteProductInMaster(db: Executor, hub: RealtimeHub, idOrKey: string, logger?: Logger) {
  const product = await findProductRow(db, idOrKey);
  if (product.local === null) throw conflict('deleted_locally', 'This product is already deleted in the master');
  const result = await writeAndStage(
    db,
    product.store_id,
    product.key,
    async (tx) => {
      await tx.execute(
        sql`update catalog_entities set local = null, local_updated_at = now(), updated_at = now()
            where store_id = ${product.store_id} and product_key = ${product.key} and local is not null`,
      );
    },
    'edit',
    logger,
  );
  await publishStaged(hub, product.store_id, result, 'edit');
  return { product, result };
}

async function insertRows(tx: Executor, rows: NewCatalogEntity[]): Promise<void> {
  const keys = rows.map((r) => r.key);
  const clash = await queryRows<{ key: string }>(
    tx,
    sql`select key from catalog_entities where store_id = ${rows[0]!.storeId} and key = any(${pgTextArray(keys)}::text[])`,
  );
  if (clash.length) throw conflict('exists', `Already in the catalog: ${clash.map((c) => c.key).join(', ')}`);
  for (let i = 0; i < rows.length; i += 500)
    await tx
      .insert(catalogEntities)
      .values(rows.slice(i, i + 500).map((r) => ({ ...r, localUpdatedAt: new Date() })))
      .execute();
}
