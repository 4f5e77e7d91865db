import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stores } from '../../drizzle/schema';
import { normalizeDocument } from '../../lib/sync/fields';
import { nextGeneration, type RemoteRecord, writeRemote } from '../../server/catalog/remote';
import { categoryNames, rememberCategories } from '../../server/catalog/taxonomy';
import { copyField } from '../../server/db/copy';
import { queryRows } from '../../server/db/rows';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/** The pull's writes of Shopify's side: COPY for large batches, fingerprints to skip unchanged rows (both databases). */
let t: TestRuntime;
let storeId: string;

const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number) => `gid://shopify/ProductVariant/${n}`;
const TRICKY = 'Tab\there \\ back "quoted"\nnew line \r é 😀 \\N';

function records(count: number, title = (n: number) => `Shirt ${n}`): RemoteRecord[] {
  return Array.from({ length: count }, (_, i) => [
    {
      entity: 'product' as const,
      key: P(i),
      productKey: P(i),
      doc: { title: title(i), handle: `shirt-${i}` },
      updatedAt: '2026-01-01T00:00:00Z',
    },
    { entity: 'variant' as const, key: V(i), productKey: P(i), doc: { sku: `S-${i}`, price: '10.00' }, meta: { position: 1 } },
  ]).flat();
}

const full = async (recs: RemoteRecord[]) => {
  const generation = await nextGeneration(t.runtime.db, storeId);
  return t.runtime.db.transaction((tx) => writeRemote(tx, storeId, recs, { generation, skipUnchanged: true, goneWithinProducts: true }));
};

beforeAll(async () => {
  t = await startTestRuntime({ queue: false });
  const [s] = await t.runtime.db
    .insert(stores)
    .values({ shopDomain: 'remote-copy.myshopify.com', name: 'copy', accessToken: 'x', source: 'demo' })
    .returning();
  storeId = s!.id;
}, 120_000);
afterAll(async () => t?.stop());

describe('remote writes', () => {
  it('escapes what COPY text format reads specially', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField('a\tb\\c\nd\re')).toBe('a\\tb\\\\c\\nd\\re');
    expect(copyField('\\N')).toBe('\\\\N');
  });

  it('loads a large batch by COPY exactly, then skips it unchanged, writes what moved and marks what vanished', async () => {
    const generation = await nextGeneration(t.runtime.db, storeId);
    const first = await writeRemote(
      t.runtime.db,
      storeId,
      records(300, (n) => (n === 7 ? TRICKY : `Shirt ${n}`)),
      {
        generation,
        adopt: true,
      },
    );
    expect(first.written).toBe(600);
    const [row] = await queryRows<{ title: string; local: string; fp: string | null }>(
      t.runtime.db,
      sql`select remote->>'title' as title, local->>'title' as local, remote_fingerprint as fp from catalog_entities
          where store_id = ${storeId} and key = ${P(7)}`,
    );
    expect(row).toMatchObject({ title: TRICKY, local: TRICKY });
    // The fingerprint is the sha1 of JSON.stringify([doc, meta, updatedAt, productKey]) of the normalized
    // record, as it always was: fingerprints a pull stored before still compare, and nothing is rewritten.
    const product7 = records(300, (n) => (n === 7 ? TRICKY : `Shirt ${n}`)).find((r) => r.key === P(7))!;
    const text = JSON.stringify([normalizeDocument('product', product7.doc), {}, product7.updatedAt, P(7)]);
    expect(row!.fp).toBe(createHash('sha1').update(text).digest('base64url'));

    const same = records(300, (n) => (n === 7 ? TRICKY : `Shirt ${n}`));
    expect(await full(same)).toEqual({ written: 0, gone: 0, productKeys: [], collectionKeys: [] });

    // Product 3 renamed, product 5's variant gone from Shopify.
    const moved = same.filter((r) => r.key !== V(5)).map((r) => (r.key === P(3) ? { ...r, doc: { ...r.doc, title: 'Renamed' } } : r));
    const third = await full(moved);
    expect(third).toMatchObject({ written: 1, gone: 1 });
    expect(third.productKeys.sort()).toEqual([P(3), P(5)].sort());
    const [gone] = await queryRows<{ remote: unknown }>(
      t.runtime.db,
      sql`select remote from catalog_entities where store_id = ${storeId} and key = ${V(5)}`,
    );
    expect(gone!.remote).toBeNull();
  });

  it('a write of Shopify side by anything but the pull clears the fingerprint, so the next full read writes the row', async () => {
    await t.runtime.db.execute(
      sql`update catalog_entities set remote = '{"title": "pushed"}'::jsonb where store_id = ${storeId} and key = ${P(9)}`,
    );
    const [row] = await queryRows<{ fp: string | null }>(
      t.runtime.db,
      sql`select remote_fingerprint as fp from catalog_entities where store_id = ${storeId} and key = ${P(9)}`,
    );
    expect(row!.fp).toBeNull();
    const again = await full(records(300, (n) => (n === 7 ? TRICKY : n === 3 ? 'Renamed' : `Shirt ${n}`)).filter((r) => r.key !== V(5)));
    expect(again.written).toBe(1);
    expect(again.productKeys).toEqual([P(9)]);
  });
});

describe('category names a pull brings', () => {
  it('keeps the names it has, adds new ones and follows a rename', async () => {
    const shirts = { id: 'gid://shopify/TaxonomyCategory/aa-1-13-7', fullName: 'Apparel > Clothing > Tops > Shirts' };
    const mugs = { id: 'gid://shopify/TaxonomyCategory/hg-11-10-7', fullName: 'Home & Garden > Kitchen > Mugs' };
    await rememberCategories(t.runtime.db, [shirts]);
    await rememberCategories(t.runtime.db, [shirts, mugs]);
    await rememberCategories(t.runtime.db, [{ ...shirts, fullName: 'Apparel > Tops > Shirts' }, mugs]);
    const names = await categoryNames(t.runtime.db, [shirts.id, mugs.id]);
    expect(Object.fromEntries(names)).toEqual({ [shirts.id]: 'Apparel > Tops > Shirts', [mugs.id]: mugs.fullName });
  });
});
