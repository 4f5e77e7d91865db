import { createHash } from 'node:crypto';
import type { BatchItem } from '../../drizzle/schema';
import { MAX_INPUT_ITEMS, METAFIELDS_PER_SET } from '../../lib/shopify';
import { userErrorsText } from '../../lib/sync/field-errors';
import { entityKeys, fieldSpec, incompleteCompanions, sameValue, withCompanions } from '../../lib/sync/fields';
import type { FieldValues } from '../../lib/sync/model';
import { applyProductCreate, applyVariantCreates, type CreateContext, type CreatedKeys, levelsOfNew } from './apply-creates';
import { applyMediaItems } from './apply-media';
import type { ReadNeed, RemoteProductState, ShopifyPort, WriteUserError } from './port';

/** How one item settled, decided by the drift check and Shopify's answer. */
export type ItemOutcome =
  | { status: 'applied'; after: FieldValues | null }
  | { status: 'drifted'; observed: FieldValues | null; error: string }
  | { status: 'failed'; error: string };

export type { CreatedKeys } from './apply-creates';

export interface UnitResult {
  outcomes: Map<string, ItemOutcome>;
  created?: CreatedKeys;
  /** Local keys of images the unit added to an existing product -> their Shopify keys. */
  rekeys?: Map<string, string>;
}

const NO_CONTEXT: CreateContext = { options: new Map(), positions: new Map() };

/** A key of a row made in the master, which Shopify has no id for yet. */
const isLocal = (key: string) => key.startsWith('local:');

/** What Shopify holds now for an item's entity, as a document of the item's fields. */
export function currentDoc(item: BatchItem, state: RemoteProductState | null): FieldValues | null {
  if (!state) return null;
  switch (item.entity) {
    case 'product':
      return state.product;
    case 'variant':
      return state.variants.get(item.entityKey) ?? null;
    case 'inventory_level':
      return state.inventory.get(item.entityKey) ?? null;
    case 'media':
      return state.media.get(item.entityKey) ?? null;
    case 'membership': {
      const [collectionId] = entityKeys.split(item.entityKey);
      return state.collections.has(collectionId) ? { member: true } : null;
    }
    case 'metafield':
      return state.metafields.get(item.entityKey)?.doc ?? null;
    default:
      return null;
  }
}

/** The nodes a unit's drift check must read. */
export function readNeed(items: BatchItem[]): ReadNeed {
  return {
    variantIds: [...new Set(items.filter((i) => i.entity === 'variant' && !isLocal(i.entityKey)).map((i) => i.entityKey))],
    inventoryItemIds: [
      ...new Set(
        items
          .filter((i) => i.entity === 'inventory_level')
          .map((i) => entityKeys.split(i.entityKey)[0])
          .filter((k) => !isLocal(k)),
      ),
    ],
    collections: items.some((i) => i.entity === 'membership'),
    media: items.some((i) => i.entity === 'media'),
    metafieldKeys: [...new Set(items.filter((i) => i.entity === 'metafield').map((i) => i.entityKey))],
  };
}

type Verdict = 'done' | 'write' | 'drifted';

/**
 * The drift check of one item: Shopify already holds the target (done: a retry or a resume after a
 * crash), still holds `before` (write), or something else (drifted: someone edited it meanwhile).
 */
export function judge(item: BatchItem, current: FieldValues | null): Verdict {
  if (item.entity === 'metafield' && item.op !== 'update') return judgeMetafieldPresence(item, current);
  if (item.op === 'create' || item.op === 'delete') {
    const wantPresent = item.op === 'create';
    if (Boolean(current) === wantPresent) return 'done';
    return 'write';
  }
  if (!current) return 'drifted';
  const target = item.target ?? {};
  const names = Object.keys(target);
  const same = (name: string, a: unknown, b: unknown) => sameValue(fieldSpec(item.entity, name), a, b);
  if (names.every((n) => same(n, current[n], target[n]))) return 'done';
  if (names.every((n) => same(n, current[n], item.before?.[n]) || same(n, current[n], target[n]))) return 'write';
  return 'drifted';
}

/**
 * A metafield set where there was none, or removed: unlike a product, a metafield someone gave
 * another value meanwhile is drift (its value is the whole entity), not "already there".
 */
function judgeMetafieldPresence(item: BatchItem, current: FieldValues | null): Verdict {
  const same = (doc: FieldValues | null | undefined) => sameValue(fieldSpec('metafield', 'value'), current?.value, doc?.value);
  if (item.op === 'create') return !current ? 'write' : same(item.target) ? 'done' : 'drifted';
  return !current ? 'done' : same(item.before) ? 'write' : 'drifted';
}

function observedOf(item: BatchItem, current: FieldValues | null): FieldValues | null {
  if (!current) return null;
  return Object.fromEntries(Object.keys(item.target ?? item.before ?? {}).map((n) => [n, current[n] ?? null]));
}

function driftMessage(item: BatchItem, current: FieldValues | null): string {
  if (!current) return 'It no longer exists in Shopify';
  const moved = Object.keys(item.target ?? {}).filter((n) => !sameValue(fieldSpec(item.entity, n), current[n], item.before?.[n]));
  return `Shopify changed ${moved.join(', ')} since approval; left as Shopify has it`;
}

/** A write Shopify refused as stale, judged on a fresh read: the target is there (applied) or someone moved it (drifted). */
function afterRefusedWrite(item: BatchItem, now: FieldValues | null, error: string): ItemOutcome {
  return judge(item, now) === 'done'
    ? { status: 'applied', after: item.target }
    : { status: 'drifted', observed: observedOf(item, now), error };
}

/** The drift check's outcome for an item that needs no write (done, or drifted); null when it is to be written. */
export function checkDrift(item: BatchItem, current: FieldValues | null): ItemOutcome | null {
  const verdict = judge(item, current);
  if (verdict === 'done') return { status: 'applied', after: item.target };
  if (verdict === 'drifted') return { status: 'drifted', observed: observedOf(item, current), error: driftMessage(item, current) };
  return null;
}

/**
 * Applies the items of one product (one unit of work): re-reads the product, settles what needs no
 * write, writes the rest with one call per kind of mutation. Throws only for retryable errors.
 */
export async function applyUnit(
  port: ShopifyPort,
  productKey: string,
  items: BatchItem[],
  context: CreateContext = NO_CONTEXT,
): Promise<UnitResult> {
  const outcomes = new Map<string, ItemOutcome>();
  const productCreate = items.find((i) => i.entity === 'product' && i.op === 'create');
  if (productCreate) return applyProductCreate(port, productCreate, items, context);

  const need = readNeed(items);
  const state = await port.readState(productKey, need);
  const toWrite: BatchItem[] = [];
  const newVariants = items.filter((i) => i.entity === 'variant' && i.op === 'create' && isLocal(i.entityKey));
  const newLevels = levelsOfNew(items, new Set(newVariants.map((v) => v.entityKey)));
  for (const item of items) {
    if (newVariants.includes(item) || newLevels.includes(item)) {
      if (!state) outcomes.set(item.id, { status: 'drifted', observed: null, error: 'The product no longer exists in Shopify' });
      continue;
    }
    if (
      item.entity === 'collection' ||
      (item.entity === 'variant' && item.op !== 'update') ||
      (item.entity === 'inventory_level' && item.op !== 'update')
    ) {
      outcomes.set(item.id, {
        status: 'failed',
        error: `Pushing a ${item.op} of a ${item.entity.replace('_', ' ')} is not supported; make it in Shopify`,
      });
      continue;
    }
    if (item.entity !== 'product' && !state) {
      outcomes.set(item.id, { status: 'drifted', observed: null, error: 'The product no longer exists in Shopify' });
      continue;
    }
    const settled = checkDrift(item, currentDoc(item, state));
    if (settled) outcomes.set(item.id, settled);
    else toWrite.push(item);
  }
  let created: CreatedKeys | undefined;
  if (state && newVariants.length && !toWrite.some((i) => i.entity === 'product' && i.op === 'delete')) {
    const made = await applyVariantCreates(port, productKey, newVariants, newLevels, context);
    for (const [id, outcome] of made.outcomes) outcomes.set(id, outcome);
    created = made.created;
  }
  if (toWrite.length === 0) return { outcomes, created };

  const productItems = toWrite.filter((i) => i.entity === 'product' && i.op === 'update');
  const memberships = toWrite.filter((i) => i.entity === 'membership');
  const deletes = toWrite.filter((i) => i.entity === 'product' && i.op === 'delete');
  const variantValues = new Map(
    toWrite.filter((i) => i.entity === 'variant').map((v) => [v, withCompanions('variant', v.target ?? {}, currentDoc(v, state))]),
  );
  for (const [item, values] of variantValues) {
    const incomplete = incompleteCompanions('variant', values);
    if (incomplete) {
      outcomes.set(item.id, { status: 'failed', error: incomplete });
      variantValues.delete(item);
    }
  }
  const variants = [...variantValues.keys()];
  const inventory = toWrite.filter((i) => i.entity === 'inventory_level');
  const media = toWrite.filter((i) => i.entity === 'media');
  const metafields = toWrite.filter((i) => i.entity === 'metafield');

  const settle = (list: BatchItem[], errors: WriteUserError[]) => {
    for (const item of list) {
      outcomes.set(
        item.id,
        errors.length ? { status: 'failed', error: userErrorsText(item.entity, errors) } : { status: 'applied', after: item.target },
      );
    }
  };

  if (deletes.length) {
    settle(deletes, await port.deleteProduct(productKey));
    for (const item of items)
      if (!outcomes.has(item.id)) outcomes.set(item.id, { status: 'failed', error: 'The product was deleted in the same push' });
    return { outcomes };
  }
  if (productItems.length || memberships.length) {
    const values = Object.assign({}, ...productItems.map((i) => i.target ?? {})) as FieldValues;
    const join = memberships.filter((m) => m.op === 'create').map((m) => entityKeys.split(m.entityKey)[0]);
    const leave = memberships.filter((m) => m.op === 'delete').map((m) => entityKeys.split(m.entityKey)[0]);
    settle([...productItems, ...memberships], await port.updateProduct(productKey, values, { join, leave }));
  }
  if (variants.length) {
    settle(
      variants,
      await port.updateVariants(
        productKey,
        variants.map((v) => ({ id: v.entityKey, values: variantValues.get(v)! })),
      ),
    );
  }
  if (metafields.length) await writeMetafields(port, productKey, metafields, state!, outcomes);
  // One call per 250 levels (Shopify's input limit), so each call is all or none.
  for (let i = 0; i < inventory.length; i += MAX_INPUT_ITEMS) {
    await writeInventory(port, productKey, inventory.slice(i, i + MAX_INPUT_ITEMS), state, need, outcomes);
  }
  const rekeys = media.length ? await applyMediaItems(port, productKey, media, state!, outcomes) : undefined;
  return { outcomes, created, rekeys };
}

/** Quantities a unit's levels were refused for as stale (a compare-and-set that did not hold). */
const isStale = (e: WriteUserError) => e.code === 'CHANGE_FROM_QUANTITY_STALE' || /stale/i.test(e.message);

/**
 * The @idempotent key of one inventorySetQuantities: a single level's own key, or one made from the
 * keys of the levels it sets, so a retry of the same levels sends the same key (Shopify answers it
 * once) and a retry of fewer (the others settled meanwhile) is a new write.
 */
export function inventoryKey(items: readonly BatchItem[]): string {
  if (items.length === 1) return items[0]!.idempotencyKey;
  const keys = items.map((i) => i.idempotencyKey).sort();
  return `csd-set-${createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 32)}`;
}

/**
 * A unit's stock levels in one inventorySetQuantities (Shopify applies all or none), each with the
 * quantity the drift check saw as its changeFromQuantity. A stale quantity refuses the whole call:
 * the levels are read again, those someone moved are drifted (or applied, if they hold the target),
 * and the others are sent once more without them. Another refusal fails every level of the call,
 * each with the errors naming its quantity.
 */
async function writeInventory(
  port: ShopifyPort,
  productKey: string,
  items: BatchItem[],
  state: RemoteProductState | null,
  need: ReadNeed,
  outcomes: Map<string, ItemOutcome>,
  again = true,
): Promise<void> {
  const quantities = items.map((item) => {
    const [inventoryItemId, locationId] = entityKeys.split(item.entityKey);
    const seen = currentDoc(item, state)?.available;
    return {
      inventoryItemId,
      locationId,
      quantity: Number(item.target!.available),
      changeFromQuantity: seen === null || seen === undefined ? null : Number(seen),
    };
  });
  const errors = await port.setInventory(quantities, inventoryKey(items));
  if (errors.length === 0) {
    for (const item of items) outcomes.set(item.id, { status: 'applied', after: item.target });
    return;
  }
  if (errors.some(isStale)) {
    // Someone moved a quantity between our read and our write: read again and tell which.
    const now = await port.readState(productKey, need);
    const unmoved: BatchItem[] = [];
    for (const item of items) {
      const current = currentDoc(item, now);
      if (again && judge(item, current) === 'write') unmoved.push(item);
      else {
        outcomes.set(
          item.id,
          afterRefusedWrite(
            item,
            current,
            "Shopify's quantity changed before our write (stale changeFromQuantity); left as Shopify has it",
          ),
        );
      }
    }
    if (unmoved.length) await writeInventory(port, productKey, unmoved, now, need, outcomes, false);
    return;
  }
  items.forEach((item, index) => {
    const own = errors.filter((e) => e.field?.[1] === 'quantities' && e.field[2] === String(index));
    const general = errors.filter((e) => e.field?.[1] !== 'quantities');
    const error =
      own.length || general.length
        ? userErrorsText(item.entity, own.length ? own : general)
        : 'Not written: Shopify refused another quantity of the same call';
    outcomes.set(item.id, { status: 'failed', error });
  });
}

/**
 * Metafield values set (25 to a metafieldsSet, each with the digest the drift check read, so a value
 * moved since is refused) and removed (metafieldsDelete). A refused digest is drift: read again and
 * say what Shopify holds.
 */
async function writeMetafields(
  port: ShopifyPort,
  productKey: string,
  items: BatchItem[],
  state: RemoteProductState,
  outcomes: Map<string, ItemOutcome>,
): Promise<void> {
  const sets = items.filter((i) => i.op !== 'delete');
  const deletes = items.filter((i) => i.op === 'delete');
  for (let i = 0; i < sets.length; i += METAFIELDS_PER_SET) {
    const chunk = sets.slice(i, i + METAFIELDS_PER_SET);
    const errors = await port.setMetafields(
      chunk.map((item) => ({ key: item.entityKey, value: item.target!, digest: state.metafields.get(item.entityKey)?.digest ?? null })),
    );
    if (!errors.some((e) => e.code === 'INVALID_COMPARE_DIGEST')) {
      settleMetafields(chunk, errors, outcomes);
      continue;
    }
    const again = await port.readState(productKey, readNeed(chunk));
    for (const item of chunk) {
      const now = currentDoc(item, again);
      outcomes.set(item.id, afterRefusedWrite(item, now, 'Shopify changed this metafield before our write; left as Shopify has it'));
    }
  }
  if (deletes.length) {
    settleMetafields(deletes, await port.deleteMetafields(deletes.map((d) => d.entityKey)), outcomes);
  }
}

/** metafieldsSet applies all or none: an error about one input fails the call's other items too, saying so. */
function settleMetafields(items: BatchItem[], errors: WriteUserError[], outcomes: Map<string, ItemOutcome>): void {
  items.forEach((item, index) => {
    if (!errors.length) {
      outcomes.set(item.id, { status: 'applied', after: item.target });
      return;
    }
    const own = errors.filter((e) => e.field?.[1] === String(index) || !e.field || e.field[0] !== 'metafields');
    const error = own.length ? userErrorsText('metafield', own) : 'Not written: Shopify refused another metafield of the same call';
    outcomes.set(item.id, { status: 'failed', error });
  });
}
