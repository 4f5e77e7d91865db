import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { DELIVERY_STATUS } from '../../db/literals';
import { queryRows } from '../../db/rows';
import type { DeliveryRow } from './worker';

type EntityKind = 'product' | 'collection';

/** The Shopify GID a products/* or collections/* delivery names, in SQL (the worker's targetOf reads the same fields). */
const namedEntity = (type: 'Product' | 'Collection') =>
  sql`coalesce(payload->>'admin_graphql_api_id', ${`gid://shopify/${type}/`} || (payload->>'id'))`;

/**
 * Adds to a batch's re-reads (entity id -> deliveries) the deliveries still waiting that name the
 * same entities, claiming them: a re-read that starts after they arrived serves them too, so a flood
 * on a few hot products (a flash sale) costs one re-read per product, not one per delivery, and the
 * store's Shopify bucket paces what is left. The claimed deliveries are settled with the re-read.
 */
export async function coalesceWaiting(db: Db, storeId: string, batch: Record<EntityKind, Map<string, DeliveryRow[]>>): Promise<void> {
  for (const kind of ['product', 'collection'] as const) {
    const reads = batch[kind];
    if (reads.size === 0) continue;
    const entity = namedEntity(kind === 'product' ? 'Product' : 'Collection');
    const rows = await queryRows<DeliveryRow & { entity: string }>(
      db,
      sql`update webhook_deliveries set processed_at = now()
          where id in (select id from webhook_deliveries
                       where store_id = ${storeId} and status = ${DELIVERY_STATUS.accepted} and processed_at is null
                         and topic like ${kind === 'product' ? 'products/%' : 'collections/%'}
                         and ${entity} in (${sql.join(
                           [...reads.keys()].map((id) => sql`${id}`),
                           sql`, `,
                         )})
                       for update skip locked)
          returning id, store_id, topic, payload, received_at, ${entity} as entity`,
    );
    for (const { entity: named, ...row } of rows) reads.get(named)?.push({ ...row, id: String(row.id) });
  }
}
