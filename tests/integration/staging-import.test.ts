import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as importOneRoute from '../../app/api/imports/[id]/route';
import * as importsRoute from '../../app/api/imports/route';
import { stores } from '../../drizzle/schema';
import { nextGeneration, writeRemote } from '../../server/catalog/remote';
import { queryRows } from '../../server/db/rows';
import { normalizeNumber } from '../../server/ingest/imports/csv';
import { callRoute, demoToken } from '../helpers/api';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { supplierProduct } from '../helpers/staging';

let t: TestRuntime;
let storeId: string;
let merch: string;
const PRODUCTS = 5000;

async function upload(content: string | Uint8Array, fields: Record<string, string> = {}, filename = 'prices.csv') {
  const form = new FormData();
  form.set('file', new Blob([content as BlobPart], { type: 'text/csv' }), filename);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const req = new Request('http://localhost/api/imports', { method: 'POST', body: form, headers: { authorization: `Bearer ${merch}` } });
  const res = await importsRoute.POST(req, { params: Promise.resolve({}) });
  return { status: res.status, body: await res.json() };
}

async function pendingCount(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(t.runtime.db, sql`select count(*)::int as n from staged_changes where status = 'pending'`);
  return row!.n;
}

beforeAll(async () => {
  t = await startTestRuntime();
  const [store] = await t.runtime.db
    .insert(stores)
    .values({ shopDomain: 'import.myshopify.com', name: 'import', accessToken: 'x' })
    .returning();
  storeId = store!.id;
  merch = await demoToken('merchandiser');
  const generation = await nextGeneration(t.runtime.db, storeId);
  const all = Array.from({ length: PRODUCTS }, (_, i) => supplierProduct(i + 1, { skuPrefix: 'SUP', cost: '4.00', stock: 5 })).flat();
  for (let i = 0; i < all.length; i += 3000) await writeRemote(t.runtime.db, storeId, all.slice(i, i + 3000), { generation, adopt: true });
});
afterAll(() => t?.stop());

describe('CSV import', () => {
  it('reads prices the way suppliers write them', () => {
    expect(normalizeNumber('1.234,50')).toBe('1234.50');
    expect(normalizeNumber('$12')).toBe('12');
    expect(normalizeNumber('1,234.50')).toBe('1234.50');
    expect(normalizeNumber('12,5')).toBe('12.5');
    expect(normalizeNumber('€ 7,99')).toBe('7.99');
    expect(normalizeNumber('abc')).toBeNull();
  });

  it('previews with a suggested mapping and stages nothing', async () => {
    const res = await upload('Artikelnummer;Preis;Bestand\nSUP-1;"1.234,50";7\nSUP-2;$12;3\n');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('previewed');
    expect(res.body.mapping).toEqual({ Artikelnummer: 'sku', Preis: 'price', Bestand: 'available' });
    expect(res.body.preview[0]).toEqual({ row: 2, values: { sku: 'SUP-1', price: '1234.50', available: 7 } });
    expect(res.body.preview[1].values.price).toBe('12.00');
    expect(await pendingCount()).toBe(0);
  });

  it('refuses a file that is not CSV, has no key column or mixes encodings, and stages nothing', async () => {
    const binary = await upload(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02]), {}, 'catalog.pdf');
    expect(binary.status).toBe(400);
    expect(binary.body.error.code).toBe('validation:not_csv');
    const noKey = await upload('Colour,Price\nred,1.00\n', { commit: 'true' });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('validation:no_key_column');
    expect(noKey.body.error.message).toMatch(/SKU or handle/);
    const mixed = new Uint8Array([
      ...Buffer.from('sku,title\nSUP-1,Caf\u00e9 cr\u00e8me\n', 'utf8'),
      ...Buffer.from('SUP-2,Cr\u00e8me', 'latin1'),
      0x0a,
    ]);
    const mixedRes = await upload(mixed, { commit: 'true' });
    expect(mixedRes.status).toBe(400);
    expect(mixedRes.body.error.code).toBe('validation:mixed_encoding');
    const notMultipart = await callRoute(importsRoute.POST, { token: merch, body: { file: 'x' } });
    expect(notMultipart.status).toBe(415);
    expect(await pendingCount()).toBe(0);
  });

  it('stages 4,980 changes from 5,000 rows and reports the 20 bad ones by row, column and reason', async () => {
    const lines = ['SKU,Price,Compare at price'];
    const bad = new Map<number, string>();
    for (let i = 1; i <= PRODUCTS; i++) {
      const row = i + 1;
      if (i % 250 === 0) {
        const kind = (i / 250) % 4;
        const cells = [
          [`SUP-${i}`, 'abc', ''],
          [`SUP-${i}`, '-3.00', ''],
          [`NOPE-${i}`, '5.00', ''],
          [`SUP-${i}`, '5.001', ''],
        ][kind]!;
        bad.set(row, ['Price', 'Price', 'SKU', 'Price'][kind]!);
        lines.push(cells.join(','));
      } else {
        lines.push(`SUP-${i},"${(11 + (i % 7)).toFixed(2).replace('.', ',')}",`);
      }
    }
    const res = await upload(lines.join('\n'), { commit: 'true' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('completed');
    expect(res.body.counts).toMatchObject({ rows: 5000, valid: 4980, errors: 20, staged: 4980 });
    expect(res.body.rowErrors).toHaveLength(20);
    for (const e of res.body.rowErrors) {
      expect(bad.get(e.row), `row ${e.row}`).toBe(e.column);
      expect(e.reason.length).toBeGreaterThan(3);
    }
    expect(await pendingCount()).toBe(4980);
    const [sample] = await queryRows<{ kind: string; fields: unknown }>(
      t.runtime.db,
      sql`select kind, fields from staged_changes where entity_key = 'gid://shopify/ProductVariant/1'`,
    );
    expect(sample).toEqual({ kind: 'outgoing', fields: [{ name: 'price', base: '10.00', local: '12.00', remote: '10.00' }] });
    const again = await callRoute(importOneRoute.GET, { params: { id: res.body.id }, token: merch });
    expect(again.body.counts.staged).toBe(4980);
    const [op] = await queryRows<{ status: string }>(t.runtime.db, sql`select status from operations where id = ${res.body.operationId}`);
    expect(op!.status).toBe('completed');
  });
});
