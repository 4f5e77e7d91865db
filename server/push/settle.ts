import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type BatchItem, batchItems, type CatalogEntity, catalogEntities, stagedChanges } from '../../drizzle/schema';
import { entityKeys, fieldSpec, fieldsOf, sameValue } from '../../lib/sync/fields';
import { type FieldValues, REKEYED_ITEM_STATUSES } from '../../lib/sync/model';
import type { Db, Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { CreatedKeys, ItemOutcome } from './apply';
import { refreshCounts } from './batch-queries';
import {
  batchesOfItems,
  changeOfItem,
  entityPairs,
  markRolledBackChanges,
  markRolledBackItems,
  settleChangeRows,
  settleItemRows,
  writeCatalogDocuments,
} from './plans';

export type SettledStatus = 'applied' | 'drifted' | 'failed' | 'dead';

export interface Settlement {
  item: BatchItem;
  status: SettledStatus;
  outcome?: ItemOutcome;
  error?: string | null;
}

function entityWhere(storeId: string, entity: BatchItem['entity'], key: string) {
  return and(eq(catalogEntities.storeId, storeId), eq(catalogEntities.entity, entity), eq(catalogEntities.key, key));
}

/**
 * Records the outcome of a unit's items in one transaction: the item, its staged change, and the
 * catalog. After a write, base and remote become the target, so the next pull stages nothing.
 * A chunk of updates (the common case, and every bulk run) is settled with a handful of set-based
 * statements whatever its size; creates, deletes and re-keyed items are settled one by one.
 */
export async function settleItems(
  db: Db,
  settlements: Settlement[],
  created?: CreatedKeys,
  rekeys?: ReadonlyMap<string, string>,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (created || rekeys?.size) await settleEach(tx, settlements, created, rekeys);
    else await settleAll(tx, settlements);
    // The batches these items rolled back show it in their counts.
    const restored = settlements.filter((s) => s.status === 'applied' && s.item.sourceItemId).map((s) => s.item.sourceItemId!);
    if (restored.length)
      await refreshCounts(
        tx,
        (await queryRows<{ batch_id: string }>(tx, batchesOfItems(restored))).map((r) => r.batch_id),
      );
  });
}

const errorOf = (s: Settlement) => (s.outcome && 'error' in s.outcome ? s.outcome.error : (s.error ?? null));
const afterOf = (s: Settlement) => (s.outcome?.status === 'applied' ? s.outcome.after : null);
const observedOf = (s: Settlement) => (s.outcome?.status === 'drifted' ? s.outcome.observed : null);
const changeStatus = (s: Settlement) => (s.status === 'dead' ? 'failed' : s.status);

/** One item after another: what a create or an added image re-keys follows the item everywhere. */
async function settleEach(tx: Executor, settlements: Settlement[], created?: CreatedKeys, rekeys?: ReadonlyMap<string, string>) {
  if (created) await rekeyCreated(tx, settlements[0]!.item.storeId, created);
  if (rekeys?.size) await rekeyAdded(tx, settlements[0]!.item.storeId, rekeys);
  for (const s of settlements) {
    const item = s.item;
    const entityKey = rekeys?.get(item.entityKey) ?? (created ? rekey(item.entityKey, created) : item.entityKey);
    const error = errorOf(s);
    const observed = observedOf(s);
    await tx
      .update(batchItems)
      .set({
        status: s.status,
        after: s.status === 'applied' ? afterOf(s) : null,
        observed,
        error,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
        ...(created ? { entityKey, productKey: rekey(item.productKey ?? item.entityKey, created) } : {}),
        ...(rekeys?.has(item.entityKey) ? { entityKey } : {}),
      })
      .where(eq(batchItems.id, item.id));
    if (item.stagedChangeId) {
      await tx
        .update(stagedChanges)
        .set({ status: changeStatus(s), error, updatedAt: sql`now()` })
        .where(eq(stagedChanges.id, item.stagedChangeId));
    }
    if (s.status === 'applied') await adoptWritten(tx, item, entityKey);
    if (s.status === 'applied' && item.sourceItemId) {
      await tx.update(batchItems).set({ status: 'rolled_back', updatedAt: sql`now()` }).where(eq(batchItems.id, item.sourceItemId));
      await tx.update(stagedChanges).set({ status: 'rolled_back', updatedAt: sql`now()` }).where(changeOfItem(item.sourceItemId));
    }
    if (s.status === 'drifted') await recordObserved(tx, item, observed);
  }
  if (created?.made) await adoptMade(tx, settlements[0]!.item.storeId, created);
}

/**
 * A chunk at once: the catalog rows its updates and drifts touch are locked first (in (entity,
 * key) order, as staging and decisions lock them) and read, then the items, their staged changes,
 * the rows and the rolled-back source items are each written by one statement. The documents
 * are computed as adoptWritten and recordObserved compute them, in the items' order.
 */
async function settleAll(tx: Executor, settlements: Settlement[]): Promise<void> {
  const storeId = settlements[0]!.item.storeId;
  const inCatalog = settlements.filter((s) => (s.status === 'applied' && s.item.op === 'update') || s.status === 'drifted');
  const refs = [...new Map(inCatalog.map((s) => [`${s.item.entity}|${s.item.entityKey}`, s.item])).values()];
  const rows = refs.length
    ? await tx
        .select()
        .from(catalogEntities)
        .where(
          entityPairs(
            storeId,
            refs.map((i) => ({ entity: i.entity, key: i.entityKey })),
          ),
        )
        .orderBy(asc(catalogEntities.entity), asc(catalogEntities.key))
        .for('update')
    : [];
  await tx.execute(
    settleItemRows(
      settlements.map((s) => ({
        id: s.item.id,
        status: s.status,
        after: s.status === 'applied' ? afterOf(s) : null,
        observed: observedOf(s),
        error: errorOf(s),
      })),
    ),
  );
  const changes = settlements.filter((s) => s.item.stagedChangeId);
  if (changes.length)
    await tx.execute(settleChangeRows(changes.map((s) => ({ id: s.item.stagedChangeId!, status: changeStatus(s), error: errorOf(s) }))));

  const byKey = new Map(rows.map((r) => [`${r.entity}|${r.key}`, { ...r }]));
  const sources = new Map<string, Pick<BatchItem, 'after' | 'target'>>();
  const sourceIds = inCatalog.filter((s) => s.status === 'applied' && s.item.sourceItemId).map((s) => s.item.sourceItemId!);
  if (sourceIds.length) {
    const found = await tx
      .select({ id: batchItems.id, after: batchItems.after, target: batchItems.target })
      .from(batchItems)
      .where(inArray(batchItems.id, sourceIds));
    for (const f of found) sources.set(f.id, f);
  }
  const written = new Set<string>();
  for (const s of settlements) {
    const item = s.item;
    const row = byKey.get(`${item.entity}|${item.entityKey}`);
    if (s.status === 'applied' && item.op !== 'update') await adoptWritten(tx, item, item.entityKey);
    else if (s.status === 'applied' && !row) await adoptWritten(tx, item, item.entityKey);
    else if (s.status === 'applied' && row) {
      Object.assign(row, adoptedDocuments(item, row, item.sourceItemId ? sources.get(item.sourceItemId) : undefined));
      written.add(row.id);
    } else if (s.status === 'drifted' && row) {
      row.remote = observedRemote(row, observedOf(s));
      written.add(row.id);
    }
  }
  if (written.size) {
    const docs = [...byKey.values()].filter((r) => written.has(r.id));
    await tx.execute(writeCatalogDocuments(docs.map((r) => ({ id: r.id, local: r.local, base: r.base, remote: r.remote }))));
  }
  const restored = settlements.filter((s) => s.status === 'applied' && s.item.sourceItemId).map((s) => s.item.sourceItemId!);
  if (restored.length) {
    await tx.execute(markRolledBackItems(restored));
    await tx.execute(markRolledBackChanges(restored));
  }
}

/** Shopify now holds the target: base and remote move to it; a rollback also restores the master. */
async function adoptWritten(tx: Executor, item: BatchItem, key: string): Promise<void> {
  const where = entityWhere(item.storeId, item.entity, key);
  const rollback = Boolean(item.sourceItemId);
  if (item.op === 'delete') {
    // A product deleted in Shopify takes its variants, levels and memberships with it; rows the
    // master no longer holds either leave the catalog (as restage removes rows gone from both sides).
    const gone = item.entity === 'product' ? and(eq(catalogEntities.storeId, item.storeId), eq(catalogEntities.productKey, key)) : where;
    if (rollback || item.entity === 'product')
      await tx.delete(catalogEntities).where(and(gone, rollback ? undefined : isNull(catalogEntities.local)));
    await tx
      .update(catalogEntities)
      .set({ remote: null, base: null, ...(rollback ? { local: null } : {}), remoteSeenAt: sql`now()`, updatedAt: sql`now()` })
      .where(gone);
    return;
  }
  const [row] = await tx.select().from(catalogEntities).where(where).for('update');
  if (!row) {
    // A rollback re-creating what a push removed (a collection leave undone).
    if (rollback && item.target) {
      await tx.insert(catalogEntities).values({
        storeId: item.storeId,
        entity: item.entity,
        key,
        productKey: item.productKey,
        local: item.target,
        base: item.target,
        remote: item.target,
        remoteSeenAt: new Date(),
      });
    }
    return;
  }
  const [source] = rollback && row.local ? await tx.select().from(batchItems).where(eq(batchItems.id, item.sourceItemId!)) : [];
  await tx
    .update(catalogEntities)
    .set({ ...adoptedDocuments(item, row, source), remoteSeenAt: sql`now()`, updatedAt: sql`now()` })
    .where(where);
}

type CatalogDocs = Pick<CatalogEntity, 'local' | 'base' | 'remote'>;

/**
 * A row's documents once Shopify holds the item's target: base and remote take it; a rollback
 * restores the master too (`source` is the item it rolls back).
 */
function adoptedDocuments(item: BatchItem, row: CatalogDocs, source: Pick<BatchItem, 'after' | 'target'> | undefined): CatalogDocs {
  const target = item.target ?? {};
  const rollback = Boolean(item.sourceItemId);
  const next: CatalogDocs = {
    local: row.local,
    remote: { ...(item.op === 'create' ? {} : (row.remote ?? {})), ...target },
    base: { ...(item.op === 'create' ? {} : (row.base ?? {})), ...target },
  };
  if (rollback && item.op === 'create') next.local = { ...target };
  else if (rollback && row.local) {
    // A rollback undoes the decision in the master too, unless someone edited it since: the master
    // still holds what the rolled-back item wrote. (A restore anyway expects Shopify's newer value
    // as its `before`, so the source item says what the master was left holding.)
    const written = source?.after ?? source?.target ?? item.before;
    const local = { ...row.local };
    for (const [name, value] of Object.entries(target)) {
      if (sameValue(fieldSpec(item.entity, name), local[name], written?.[name])) local[name] = value;
    }
    next.local = local;
  }
  return next;
}

/** Shopify's side of a row as the drift check saw it. */
function observedRemote(row: CatalogDocs, observed: FieldValues | null): FieldValues | null {
  return observed ? { ...(row.remote ?? {}), ...observed } : null;
}

/**
 * What a create made, as Shopify answered it (CreatedKeys.made), becomes base and remote of the
 * created product and variants; a field the master left unset takes Shopify's value (a new
 * variant's weight), one it set stays and shows as outgoing if Shopify holds otherwise. New
 * variants of a product Shopify had add their values to its options: only those move, so the
 * product's other fields keep whatever a pull has yet to see.
 */
async function adoptMade(tx: Executor, storeId: string, created: CreatedKeys): Promise<void> {
  const variantIds = new Set(created.variants.values());
  for (const [key, doc] of created.made ?? []) {
    const entity = variantIds.has(key) ? 'variant' : 'product';
    const where = entityWhere(storeId, entity, key);
    const [row] = await tx.select().from(catalogEntities).where(where).for('update');
    if (!row?.local) continue;
    if (entity === 'product' && !created.product) {
      const spec = fieldSpec('product', 'options');
      const options = doc.options;
      if (options === undefined) continue;
      const local = sameValue(spec, row.local.options, row.base?.options) ? { ...row.local, options } : row.local;
      await tx
        .update(catalogEntities)
        .set({
          local,
          base: { ...(row.base ?? {}), options },
          remote: { ...(row.remote ?? {}), options },
          remoteSeenAt: sql`now()`,
          updatedAt: sql`now()`,
        })
        .where(where);
      continue;
    }
    const local = { ...row.local };
    for (const f of fieldsOf(entity)) if ((local[f.name] ?? null) === null && doc[f.name] !== undefined) local[f.name] = doc[f.name];
    await tx.update(catalogEntities).set({ local, base: doc, remote: doc, remoteSeenAt: sql`now()`, updatedAt: sql`now()` }).where(where);
  }
}

async function recordObserved(tx: Executor, item: BatchItem, observed: FieldValues | null): Promise<void> {
  const where = entityWhere(item.storeId, item.entity, item.entityKey);
  const [row] = await tx.select().from(catalogEntities).where(where).for('update');
  if (!row) return;
  const remote = observedRemote(row, observed);
  await tx.update(catalogEntities).set({ remote, remoteSeenAt: sql`now()`, updatedAt: sql`now()` }).where(where);
}

function rekey(key: string, created: CreatedKeys): string {
  if (created.localProduct && key === created.localProduct) return created.product!;
  return created.variants.get(key) ?? created.levels.get(key) ?? key;
}

/** Images added to an existing product: their rows and staged changes take the Shopify key (`productGid|mediaGid`). */
async function rekeyAdded(tx: Executor, storeId: string, rekeys: ReadonlyMap<string, string>): Promise<void> {
  for (const [from, to] of rekeys) {
    await tx
      .update(catalogEntities)
      .set({ key: to, updatedAt: sql`now()` })
      .where(entityWhere(storeId, 'media', from));
    await tx
      .update(stagedChanges)
      .set({ entityKey: to, updatedAt: sql`now()` })
      .where(and(eq(stagedChanges.storeId, storeId), eq(stagedChanges.entity, 'media'), eq(stagedChanges.entityKey, from)));
  }
}

/** A pushed create turns `local:<uuid>` keys into Shopify GIDs everywhere the product is referenced. */
async function rekeyCreated(tx: Executor, storeId: string, created: CreatedKeys): Promise<void> {
  const pairs: Array<[string, string, BatchItem['entity']]> = [];
  if (created.localProduct && created.product) pairs.push([created.localProduct, created.product, 'product']);
  for (const [from, to] of created.variants) pairs.push([from, to, 'variant']);
  for (const [from, to] of created.levels) pairs.push([from, to, 'inventory_level']);
  for (const [from, to, entity] of pairs) {
    await tx
      .update(catalogEntities)
      .set({ key: to, updatedAt: sql`now()` })
      .where(entityWhere(storeId, entity, from));
    await tx
      .update(stagedChanges)
      .set({ entityKey: to, updatedAt: sql`now()` })
      .where(and(eq(stagedChanges.storeId, storeId), eq(stagedChanges.entity, entity), eq(stagedChanges.entityKey, from)));
  }
  await rekeyNewVariants(tx, storeId, created);
  if (!created.localProduct || !created.product) return;
  await tx
    .update(catalogEntities)
    .set({ productKey: created.product })
    .where(and(eq(catalogEntities.storeId, storeId), eq(catalogEntities.productKey, created.localProduct)));
  await tx
    .update(stagedChanges)
    .set({ productKey: created.product })
    .where(and(eq(stagedChanges.storeId, storeId), eq(stagedChanges.productKey, created.localProduct)));
  await tx
    .update(batchItems)
    .set({ productKey: created.product })
    .where(
      and(
        eq(batchItems.storeId, storeId),
        eq(batchItems.productKey, created.localProduct),
        inArray(batchItems.status, REKEYED_ITEM_STATUSES),
      ),
    );
}

/** A created variant's meta names its inventory item, and its levels' meta name the variant, by their Shopify ids. */
async function rekeyNewVariants(tx: Executor, storeId: string, created: CreatedKeys): Promise<void> {
  for (const [from, to] of created.variants) {
    const level = [...created.levels.entries()].find(([key]) => entityKeys.split(key)[0] === from);
    const itemId = level ? entityKeys.split(level[1])[0] : null;
    await tx.execute(
      sql`update catalog_entities set meta = meta || ${JSON.stringify(itemId ? { inventoryItemId: itemId } : {})}::jsonb
          where store_id = ${storeId} and entity = 'variant' and key = ${to}`,
    );
    await tx.execute(
      sql`update catalog_entities set meta = meta || ${JSON.stringify({ variantId: to })}::jsonb
          where store_id = ${storeId} and entity = 'inventory_level' and meta->>'variantId' = ${from}`,
    );
  }
}
