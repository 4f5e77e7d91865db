import type { BatchItem } from '../../drizzle/schema';
import { mediaMoves } from '../../lib/shopify';
import { userErrorsText } from '../../lib/sync/field-errors';
import { entityKeys } from '../../lib/sync/fields';
import type { ItemOutcome } from './apply';
import type { RemoteProductState, ShopifyPort, WriteUserError } from './port';

/**
 * The media items of one product unit, after the drift check: removes first (fileUpdate
 * referencesToRemove), then adds (an image added in the master has a local key, `local:<uuid>`, and is
 * added by URL; a removed image a rollback brings back keeps its Shopify id and is attached again),
 * alt text (fileUpdate), and last the order (productReorderMedia): every image the unit positions goes
 * to its target place, the others keep theirs, computed on the list as it is after the removes and adds.
 * Answers the Shopify keys the added images got, by their local keys.
 */
export async function applyMediaItems(
  port: ShopifyPort,
  productId: string,
  items: BatchItem[],
  state: RemoteProductState,
  outcomes: Map<string, ItemOutcome>,
): Promise<Map<string, string>> {
  const rekeys = new Map<string, string>();
  /** Fails the items with Shopify's userErrors, if it answered any; true when it did. */
  const failed = (list: BatchItem[], errors: WriteUserError[]) => {
    if (errors.length === 0) return false;
    for (const item of list) outcomes.set(item.id, { status: 'failed', error: userErrorsText('media', errors) });
    return true;
  };
  const mediaId = (key: string) => entityKeys.split(key)[1];
  /** Media GIDs in Shopify's order as the writes below leave it. */
  let order = [...state.media.keys()].map(mediaId);
  /** Item key (Shopify key once known) -> the item, for the reorder. */
  const placed = new Map<string, BatchItem>();

  const removes = items.filter((i) => i.op === 'delete');
  if (
    removes.length &&
    !failed(
      removes,
      await port.detachMedia(
        productId,
        removes.map((i) => mediaId(i.entityKey)),
      ),
    )
  ) {
    const gone = new Set(removes.map((i) => mediaId(i.entityKey)));
    order = order.filter((id) => !gone.has(id));
  }

  const creates = items.filter((i) => i.op === 'create');
  const attaches = creates.filter((i) => mediaId(i.entityKey).startsWith('gid://'));
  const adds = creates.filter((i) => !attaches.includes(i));
  if (
    attaches.length &&
    !failed(
      attaches,
      await port.attachMedia(
        productId,
        attaches.map((i) => mediaId(i.entityKey)),
      ),
    )
  ) {
    for (const item of attaches) {
      order.push(mediaId(item.entityKey));
      placed.set(mediaId(item.entityKey), item);
    }
  }
  if (adds.length) {
    const added = await port.addMedia(
      productId,
      adds.map((i) => ({ src: String(i.target?.src ?? ''), alt: (i.target?.alt as string | null | undefined) ?? null })),
    );
    if (!failed(adds, added.userErrors)) {
      adds.forEach((item, n) => {
        const id = added.ids?.[n];
        if (!id) {
          outcomes.set(item.id, { status: 'failed', error: 'Shopify did not add this image' });
          return;
        }
        rekeys.set(item.entityKey, entityKeys.media(productId, id));
        order.push(id);
        placed.set(id, item);
      });
    }
  }

  const updates = items.filter((i) => i.op === 'update');
  const altUpdates = updates.filter((i) => i.target && 'alt' in i.target);
  if (altUpdates.length) {
    const errors = await port.updateMediaAlt(
      altUpdates.map((i) => ({ id: mediaId(i.entityKey), alt: (i.target!.alt as string | null) ?? null })),
    );
    failed(altUpdates, errors);
  }
  for (const item of updates) if (item.target && 'position' in item.target) placed.set(mediaId(item.entityKey), item);

  const moving = [...placed].filter(([, item]) => !outcomes.has(item.id) && item.target?.position != null);
  if (moving.length) {
    const wanted = wantedOrder(order, new Map(moving.map(([id, item]) => [id, Number(item.target!.position)])));
    const errors = await port.reorderMedia(productId, mediaMoves(order, wanted));
    failed(
      moving.map(([, item]) => item),
      errors,
    );
  }
  for (const item of items) if (!outcomes.has(item.id)) outcomes.set(item.id, { status: 'applied', after: item.target });
  return rekeys;
}

/**
 * The order with each positioned id at its 1-based target place and the rest in their current
 * relative order in the places left: the targets are the master's numbering of the whole list.
 */
export function wantedOrder(current: readonly string[], targets: ReadonlyMap<string, number>): string[] {
  const slots: Array<string | undefined> = Array.from({ length: current.length }, () => undefined);
  const sorted = [...targets].sort((a, b) => a[1] - b[1]);
  for (const [id, position] of sorted) {
    let at = Math.min(Math.max(position, 1), current.length) - 1;
    while (slots[at] !== undefined && at < current.length - 1) at++;
    while (slots[at] !== undefined) at--;
    slots[at] = id;
  }
  const rest = current.filter((id) => !targets.has(id));
  return slots.map((id) => id ?? rest.shift()!);
}
