import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as bulkRejectRoute from '../../app/api/sync/staged/bulk-reject/route';
import * as stagedRoute from '../../app/api/sync/staged/route';
import type { Store } from '../../drizzle/schema';
import { qs } from '../../lib/api-client';
import { cleanFilter, type StagedFilter } from '../../lib/dashboard/api';
import { queryRows } from '../../server/db/rows';
import { callRoute, demoToken } from '../helpers/api';
import { createStore, type EntitySeed, product, seedEntities, stageAll, variant } from '../helpers/push-fixtures';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * "Reject all N matching" must decide exactly the N changes the reviewer was shown: the list,
 * its counts and the bulk decision read one filter. Titles carry LIKE's metacharacters, quotes
 * and non-ASCII, so a search that one side treats as a pattern and the other as text shows up
 * as a difference between the listed ids and the decided ids.
 */

const TITLES = [
  'Wild zq_x shown',
  'Wild zqYx hidden',
  '100% cotton',
  '100 percent wool',
  'Back\\slash tee',
  'Backslash tee',
  "O'Brien's hat",
  'OBriens hat',
  'The "Quoted" mug',
  'The Quoted cup',
  'Crème brûlée',
  'CRÈME BRÛLÉE lamp',
  'Creme brulee',
  '東京 tote',
  '東 京 bag',
  'a_b%c\\d',
  'axbxcxd',
];
const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number) => `gid://shopify/ProductVariant/${n}`;

let t: TestRuntime;
let store: Store;
let other: Store;
let merch: string;

/** Per title: an outgoing title edit; every second one an incoming price, every third a price conflict. */
function seedsFor(i: number, title: string): EntitySeed[] {
  const vendor = i % 2 ? 'Zeta_Co' : 'Acme';
  const productType = i % 3 ? 'Mug' : 'Shirt';
  const base = product(i, { vendor, productType });
  const seeds: EntitySeed[] = [{ entity: 'product', key: P(i), local: { ...base, title }, base, remote: base }];
  if (i % 2 === 0) {
    seeds.push({
      entity: 'variant',
      key: V(i),
      productKey: P(i),
      local: variant('10.00'),
      base: variant('10.00'),
      remote: variant('12.00'),
    });
  }
  if (i % 3 === 0) {
    const key = V(1000 + i);
    seeds.push({ entity: 'variant', key, productKey: P(i), local: variant('11.00'), base: variant('10.00'), remote: variant('13.00') });
  }
  return seeds;
}

beforeAll(async () => {
  t = await startTestRuntime();
  store = await createStore(t.runtime.db);
  other = await createStore(t.runtime.db);
  merch = await demoToken('merchandiser');
  await seedEntities(
    t.runtime.db,
    store.id,
    TITLES.flatMap((title, i) => seedsFor(i + 1, title)),
  );
  await seedEntities(t.runtime.db, other.id, seedsFor(1, TITLES[0]!));
  await stageAll(t.runtime.db, store.id);
  await stageAll(t.runtime.db, other.id);
  // One change already decided: the default (pending) leaves it out of list and bulk alike.
  await t.runtime.db.execute(sql`update staged_changes set status = 'approved' where entity_key = ${P(1)} and store_id = ${store.id}`);
});
afterAll(() => t?.stop());

/** Every page of the list for a filter, sent as the dashboard sends it (cleanFilter + qs). */
async function listed(filter: StagedFilter): Promise<Array<{ id: string; status: string; kind: string }>> {
  const rows: Array<{ id: string; status: string; kind: string }> = [];
  let cursor: string | undefined;
  do {
    const res = await callRoute(stagedRoute.GET, {
      path: `/api/sync/staged${qs({ ...cleanFilter(filter), cursor, limit: 7 })}`,
      token: merch,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    if (!cursor) {
      const counts = res.body.counts as Record<string, number>;
      expect(counts.all, 'tab counts add up to the unfiltered kinds').toBe(counts.incoming! + counts.outgoing! + counts.conflict!);
      const kinds = filter.kind?.split(',');
      const expectedTotal = kinds ? kinds.reduce((n, k) => n + counts[k]!, 0) : counts.all;
      expect(res.body.total, 'the total is the tab counts of the listed kinds').toBe(expectedTotal);
    }
    rows.push(...res.body.items.map((c: { id: string; status: string; kind: string }) => ({ id: c.id, status: c.status, kind: c.kind })));
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

/** Bulk-rejects by the filter, reads which changes it rejected, and puts them back to pending. */
async function bulkRejected(filter: StagedFilter): Promise<{ ids: string[]; skipped: string[] }> {
  const reason = `bulk ${JSON.stringify(filter)}`;
  const res = await callRoute(bulkRejectRoute.POST, { method: 'POST', body: { filter: cleanFilter(filter), reason }, token: merch });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const rows = await queryRows<{ id: string }>(
    t.runtime.db,
    sql`select id from staged_changes where status = 'rejected' and reason = ${reason}`,
  );
  await t.runtime.db.execute(
    sql`update staged_changes set status = 'pending', reason = null, decided_by = null, decided_at = null where status = 'rejected'`,
  );
  expect(res.body.count).toBe(rows.length);
  return { ids: rows.map((r) => r.id).sort(), skipped: res.body.skipped.map((s: { id: string }) => s.id).sort() };
}

/**
 * The pending changes listed are decided; the listed ones no longer pending are reported skipped,
 * and so are the listed conflicts (a conflict is resolved, not rejected).
 */
async function expectBulkDecidesListed(filter: StagedFilter): Promise<void> {
  const shown = await listed(filter);
  expect(shown.length, 'the search finds something, so the comparison means something').toBeGreaterThan(0);
  if (Object.keys(filter).length === 1 && filter.q) {
    // A plain search lists the pending changes whose search text contains it, character for character.
    const all = await queryRows<{ id: string; search_text: string }>(
      t.runtime.db,
      sql`select id, search_text from staged_changes where status = 'pending'`,
    );
    const needle = filter.q.toLowerCase();
    expect(shown.map((c) => c.id).sort()).toEqual(
      all
        .filter((c) => c.search_text.includes(needle))
        .map((c) => c.id)
        .sort(),
    );
  }
  const decided = await bulkRejected(filter);
  const idsOf = (rows: typeof shown) => rows.map((c) => c.id).sort();
  const rejectable = (c: (typeof shown)[number]) => c.status === 'pending' && c.kind !== 'conflict';
  expect(decided.ids).toEqual(idsOf(shown.filter(rejectable)));
  expect(decided.skipped).toEqual(idsOf(shown.filter((c) => !rejectable(c))));
}

const SEARCHES: StagedFilter[] = [
  { q: 'zq_x' },
  { q: '_' },
  { q: '%' },
  { q: '100%' },
  { q: '\\' },
  { q: 'back\\slash' },
  { q: "'" },
  { q: "O'Brien" },
  { q: '"' },
  { q: '"quoted"' },
  { q: 'Crème' },
  { q: 'CRÈME BRÛLÉE' },
  { q: 'brûlée' },
  { q: '東京' },
  { q: 'a_b%c\\d' },
  { q: '_b%c\\' },
  { q: '_', kind: 'outgoing' },
  { q: '%', entity: 'variant' },
  { q: 'crème', kind: 'incoming,conflict' },
  { q: '_', vendor: 'Zeta_Co' },
  { q: 'e', productType: 'Mug', field: 'price' },
  { q: '東京', status: 'pending' },
  { q: 't', source: 'edit', entity: 'product' },
  { q: 'zq', status: 'pending,approved' },
];

describe('the staged-change filter', () => {
  it('shows one match for a literal underscore, as a reviewer would expect', async () => {
    const rows = await listed({ q: 'zq_x' });
    expect(rows).toHaveLength(1);
  });

  for (const search of SEARCHES) {
    it(`bulk-rejects exactly the listed changes for ${JSON.stringify(search)}`, () => expectBulkDecidesListed(search));
  }

  it('bulk-rejects exactly the listed changes of one store', () => expectBulkDecidesListed({ q: 'wild', storeId: other.id }));
});
