import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as importsRoute from '../../app/api/imports/route';
import { stores } from '../../drizzle/schema';
import { nextGeneration, writeRemote } from '../../server/catalog/remote';
import { queryRows } from '../../server/db/rows';
import { demoToken } from '../helpers/api';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { supplierProduct } from '../helpers/staging';

/**
 * The database's disk fills up in the middle of a committed CSV import. The disk is simulated
 * inside the test's own database: a trigger answers Postgres's own `disk_full` error (SQLSTATE
 * 53100, "No space left on device") once part of the import is written, exactly as a full data
 * volume would. The upload gets a clear error; nothing of it is left half-written; once space is
 * back the same file imports completely.
 */
const ROWS = 40;
let t: TestRuntime;
let storeId: string;
let token: string;

const csv = () => `sku,price\n${Array.from({ length: ROWS }, (_, i) => `FULL-${i + 1},${(20 + i).toFixed(2)}`).join('\n')}\n`;

async function upload() {
  const form = new FormData();
  form.set('file', new Blob([csv()], { type: 'text/csv' }), 'prices.csv');
  form.set('commit', 'true');
  const req = new Request('http://localhost/api/imports', { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  const res = await importsRoute.POST(req, { params: Promise.resolve({}) });
  return { status: res.status, body: await res.json() };
}

const count = async (query: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(t.runtime.db, query))[0]!.n;

beforeAll(async () => {
  t = await startTestRuntime();
  const [store] = await t.runtime.db
    .insert(stores)
    .values({ shopDomain: 'disk-full.myshopify.com', name: 'disk-full', accessToken: 'x' })
    .returning();
  storeId = store!.id;
  token = await demoToken('merchandiser');
  const generation = await nextGeneration(t.runtime.db, storeId);
  await writeRemote(
    t.runtime.db,
    storeId,
    Array.from({ length: ROWS }, (_, i) => supplierProduct(i + 1, { skuPrefix: 'FULL', cost: null })).flat(),
    { generation, adopt: true },
  );
});
afterAll(() => t?.stop());

describe('disk full during a CSV import', () => {
  it('answers a clear error and leaves nothing half-written', async () => {
    await t.runtime.db.execute(
      sql.raw(`
      create function simulate_disk_full() returns trigger language plpgsql as $$
      begin
        if (select count(*) from staged_changes) >= 10 then
          raise exception 'could not extend file "base/16384/16999": No space left on device' using errcode = 'disk_full';
        end if;
        return new;
      end $$`),
    );
    await t.runtime.db.execute(
      sql.raw('create trigger simulate_disk_full before insert on staged_changes for each row execute function simulate_disk_full()'),
    );
    const pricesBefore = await queryRows<{ key: string; price: string }>(
      t.runtime.db,
      sql`select key, local->>'price' as price from catalog_entities where entity = 'variant' order by key`,
    );

    const res = await upload();
    expect(res.status).toBe(507);
    expect(res.body.error.code).toBe('insufficient_storage');
    expect(res.body.error.message).toMatch(/out of disk space: nothing from this request was saved/);

    expect(await count(sql`select count(*)::int as n from staged_changes`)).toBe(0);
    const pricesAfter = await queryRows<{ key: string; price: string }>(
      t.runtime.db,
      sql`select key, local->>'price' as price from catalog_entities where entity = 'variant' order by key`,
    );
    expect(pricesAfter).toEqual(pricesBefore);
    const importRows = await queryRows<{ status: string; operation_id: string }>(
      t.runtime.db,
      sql`select status, operation_id from imports where store_id = ${storeId}`,
    );
    expect(importRows).toHaveLength(1);
    expect(importRows[0]!.status).toBe('failed');
    const op = await t.runtime.operations.get(importRows[0]!.operation_id);
    expect(op.status).toBe('failed');
    expect(op.error).toMatch(/No space left on device/);
    const audit = await queryRows<{ outcome: string }>(
      t.runtime.db,
      sql`select details->>'outcome' as outcome from audit_log where action = 'import.csv'`,
    );
    expect(audit.map((a) => a.outcome)).toEqual(['insufficient_storage']);
  });

  it('imports the same file completely once there is space again', async () => {
    await t.runtime.db.execute(sql`drop trigger simulate_disk_full on staged_changes`);
    const res = await upload();
    expect(res.status).toBe(200);
    expect(await count(sql`select count(*)::int as n from staged_changes where status = 'pending'`)).toBe(ROWS);
    expect(await count(sql`select count(*)::int as n from catalog_entities where entity = 'variant' and local->>'price' = '20.00'`)).toBe(
      1,
    );
  });
});
