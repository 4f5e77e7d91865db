import type { BatchItem } from '../../drizzle/schema';
import { userErrorsText } from '../../lib/sync/field-errors';
import { entityKeys } from '../../lib/sync/fields';
import type { EntityType, FieldValues } from '../../lib/sync/model';
import type { ItemOutcome } from './apply';
import type { NewVariantWrite, ShopifyPort } from './port';

/**
 * Creates in Shopify of what the master made: a whole product (productSet, with its variants and
 * their first stock per location) or new variants of a product Shopify has (productVariantsBulkCreate).
 * A created variant's stock travels with it: its levels are keyed `<local variant key>|<location>`
 * until the create answers with the inventory item, then rekeyed like the variant.
 */

/** Context the engine reads from the catalog for a unit's creates: each new variant's option values. */
export interface CreateContext {
  options: Map<string, Array<{ name: string; value: string }>>;
  /** Where each new variant goes in its product's list. */
  positions: Map<string, number>;
}

/** Local keys a create turned into Shopify ids; settling rekeys the catalog, staged changes and items by it. */
export interface CreatedKeys {
  /** The product's local key and GID, when the product itself was created. */
  localProduct?: string;
  product?: string;
  /** Local variant key -> variant GID. */
  variants: Map<string, string>;
  /** `<local variant key>|<location>` -> `<inventory item GID>|<location>`. */
  levels: Map<string, string>;
  /**
   * What Shopify holds right after the create, by GID: the created variants and their product
   * (a created product: all of it; new variants: the options they added to it). Shopify fills what
   * the master left unset (a new variant's weight) and derives the options from the variants, so
   * settling records this, not only what was sent, and the next pull stages nothing.
   */
  made?: Map<string, FieldValues>;
}

export interface CreateResult {
  outcomes: Map<string, ItemOutcome>;
  created?: CreatedKeys;
}

/** The level items that stock new variants (keyed by the variant's local key). */
export function levelsOfNew(items: BatchItem[], variantKeys: ReadonlySet<string>): BatchItem[] {
  return items.filter((i) => i.entity === 'inventory_level' && i.op === 'create' && variantKeys.has(entityKeys.split(i.entityKey)[0]));
}

function variantWrites(variants: BatchItem[], levels: BatchItem[], context: CreateContext): NewVariantWrite[] {
  return variants.map((v) => ({
    values: v.target ?? {},
    options: context.options.get(v.entityKey) ?? [],
    inventory: levels
      .filter((l) => entityKeys.split(l.entityKey)[0] === v.entityKey)
      .map((l) => ({ locationId: entityKeys.split(l.entityKey)[1], quantity: Number(l.target?.available ?? 0) })),
  }));
}

/** What the created ids settle: each variant and its levels applied (or failed when Shopify made no such variant). */
function settleCreated(
  variants: BatchItem[],
  levels: BatchItem[],
  ids: Array<{ id: string; inventoryItemId: string } | undefined>,
  outcomes: Map<string, ItemOutcome>,
): Pick<CreatedKeys, 'variants' | 'levels'> {
  const keys = { variants: new Map<string, string>(), levels: new Map<string, string>() };
  variants.forEach((v, i) => {
    const made = ids[i];
    outcomes.set(v.id, made ? { status: 'applied', after: v.target } : { status: 'failed', error: 'Shopify did not create this variant' });
    if (made) keys.variants.set(v.entityKey, made.id);
    for (const level of levels.filter((l) => entityKeys.split(l.entityKey)[0] === v.entityKey)) {
      const location = entityKeys.split(level.entityKey)[1];
      outcomes.set(
        level.id,
        made ? { status: 'applied', after: level.target } : { status: 'failed', error: 'Its variant was not created' },
      );
      if (made) keys.levels.set(level.entityKey, entityKeys.inventoryLevel(made.inventoryItemId, location));
    }
  });
  return keys;
}

/**
 * Re-reads what a create made (one nodes(ids) query). The create is done whatever this answers: a
 * read that fails leaves the settlement at what was sent, and the next pull stages the difference.
 */
async function readMade(port: ShopifyPort, productId: string, variantIds: Iterable<string>): Promise<Map<string, FieldValues> | undefined> {
  const refs: Array<{ entity: EntityType; key: string }> = [{ entity: 'product', key: productId }];
  for (const key of variantIds) refs.push({ entity: 'variant', key });
  try {
    return await port.readEntities(refs);
  } catch {
    return undefined;
  }
}

function failAll(items: BatchItem[], error: string, outcomes: Map<string, ItemOutcome>): void {
  for (const item of items) outcomes.set(item.id, { status: 'failed', error });
}

/** A product made in the master: one productSet with its variants and their stock; other items wait for a later push. */
export async function applyProductCreate(
  port: ShopifyPort,
  product: BatchItem,
  items: BatchItem[],
  context: CreateContext,
): Promise<CreateResult> {
  const outcomes = new Map<string, ItemOutcome>();
  const variants = items
    .filter((i) => i.entity === 'variant' && i.op === 'create')
    .sort((a, b) => (context.positions.get(a.entityKey) ?? 0) - (context.positions.get(b.entityKey) ?? 0));
  const levels = levelsOfNew(items, new Set(variants.map((v) => v.entityKey)));
  const result = await port.createProduct(product.target ?? {}, variantWrites(variants, levels, context));
  const rest = items.filter((i) => i !== product && !variants.includes(i) && !levels.includes(i));
  if (!result.product) {
    failAll(
      [product, ...variants, ...levels],
      userErrorsText('product', result.userErrors) || 'Shopify did not create the product',
      outcomes,
    );
    failAll(rest, 'The product could not be created', outcomes);
    return { outcomes };
  }
  const made = result.product;
  const ids = variants.map((_, i) =>
    made.variantIds[i] ? { id: made.variantIds[i]!, inventoryItemId: made.inventoryItemIds[i]! } : undefined,
  );
  const keys = settleCreated(variants, levels, ids, outcomes);
  outcomes.set(product.id, { status: 'applied', after: product.target });
  failAll(rest, 'Written with the product create; push again to apply it to the new product', outcomes);
  const read = await readMade(port, made.id, keys.variants.values());
  return { outcomes, created: { localProduct: product.entityKey, product: made.id, ...keys, made: read } };
}

/** New variants of a product Shopify has: one productVariantsBulkCreate, all or none. */
export async function applyVariantCreates(
  port: ShopifyPort,
  productId: string,
  variants: BatchItem[],
  levels: BatchItem[],
  context: CreateContext,
): Promise<CreateResult> {
  const outcomes = new Map<string, ItemOutcome>();
  const result = await port.createVariants(productId, variantWrites(variants, levels, context));
  if (!result.variants) {
    failAll(variants, userErrorsText('variant', result.userErrors) || 'Shopify did not create the variants', outcomes);
    failAll(levels, 'Its variant was not created', outcomes);
    return { outcomes };
  }
  const keys = settleCreated(
    variants,
    levels,
    variants.map((_, i) => result.variants![i]),
    outcomes,
  );
  return { outcomes, created: { ...keys, made: await readMade(port, productId, keys.variants.values()) } };
}
