import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../drizzle/schema';
import { queryRows } from '../../server/db/rows';
import { startEmulator } from '../../server/emulator';
import { getStore } from '../../server/stores/stores';
import { adminQuery } from '../helpers/emulator';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { insertEmulatorStore } from '../helpers/staging';

/**
 * Issue 12: the poll learns the store's locations. Locations used to be saved by a full pull only,
 * and the poll reads stock location by location, so stock at a location added in Shopify after the
 * last full pull was never staged by the poll (and its name unknown to CSV imports) until a manual
 * full pull. Only the poll runs after the first full pull; no webhook is subscribed.
 */
let t: TestRuntime;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let store: Store;

/** A write in Shopify's admin as the merchant makes it; its user errors must be none. */
async function merchantWrite<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await adminQuery(emulator, query, variables, emulator.merchantToken);
  expect(res.errors).toBeUndefined();
  const [payload] = Object.values(res.data as Record<string, { userErrors: unknown[] }>);
  expect(payload!.userErrors).toEqual([]);
  return res.data as T;
}

beforeAll(async () => {
  emulator = await startEmulator({ products: 40, seed: 13 });
  t = await startTestRuntime();
  store = await insertEmulatorStore(t.runtime.db, emulator);
  const { done } = await t.services.pull.start(store.id, 'full', 'test');
  expect(await done).toMatchObject({ adopted: true, productsRead: 40 });
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await emulator?.close();
});

describe('the backup poll and locations', () => {
  it('stages stock at a location added in Shopify after the last full pull, and forgets one Shopify no longer lists', async () => {
    // A location we hold that Shopify no longer lists (deactivated there): not to be polled any more.
    const gone = 'gid://shopify/Location/1';
    await t.runtime.db.execute(sql`insert into locations (store_id, id, name, active) values (${store.id}, ${gone}, 'Old Depot', true)`);

    const added = await merchantWrite<{ locationAdd: { location: { id: string; name: string } } }>(
      `mutation($input: LocationAddInput!) { locationAdd(input: $input) { location { id name } userErrors { field message code } } }`,
      { input: { name: 'Harbour Pop-up', address: { city: 'Hamburg', countryCode: 'DE' } } },
    );
    const locationId = added.locationAdd.location.id;
    const product = [...emulator.state.products.values()][5]!;
    const itemId = `gid://shopify/InventoryItem/${emulator.state.variants.get(product.variantIds[0]!)!.inventoryItemId}`;
    await merchantWrite(
      `mutation($item: ID!, $location: ID!, $available: Int) {
         inventoryActivate(inventoryItemId: $item, locationId: $location, available: $available) {
           inventoryLevel { id quantities(names: ["available"]) { name quantity } } userErrors { field message }
         }
       }`,
      { item: itemId, location: locationId, available: 17 },
    );

    const before = await getStore(t.runtime.db, store.id);
    await t.services.poll.pollStore(before);
    const polled = await getStore(t.runtime.db, store.id);
    expect(polled.pollFailures).toBe(0);
    // An incremental read: no full pull ran.
    expect(polled.lastFullPullAt).toEqual(before.lastFullPullAt);

    const key = `${itemId}|${locationId}`;
    const staged = await queryRows<{ kind: string; fields: Array<{ name: string; remote: unknown }> }>(
      t.runtime.db,
      sql`select kind, fields from staged_changes
          where store_id = ${store.id} and status = 'pending' and entity = 'inventory_level' and entity_key = ${key}`,
    );
    expect(staged).toHaveLength(1);
    expect(staged[0]!.kind).toBe('incoming');
    expect(staged[0]!.fields.find((f) => f.name === 'available')?.remote).toBe(17);

    // The location's name is known (CSV imports name locations), and the one Shopify dropped is inactive.
    const locations = await queryRows<{ id: string; name: string; active: boolean }>(
      t.runtime.db,
      sql`select id, name, active from locations where store_id = ${store.id} and id in (${locationId}, ${gone}) order by name`,
    );
    expect(locations).toEqual([
      { id: locationId, name: 'Harbour Pop-up', active: true },
      { id: gone, name: 'Old Depot', active: false },
    ]);
  });
});
