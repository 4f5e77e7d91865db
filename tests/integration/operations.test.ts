import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as getRoute from '../../app/api/operations/[id]/route';
import * as listRoute from '../../app/api/operations/route';
import { events, operations } from '../../drizzle/schema';
import { OperationCancelled } from '../../server/operations/handle';
import { callRoute, demoToken } from '../helpers/api';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(() => t?.stop());

describe('operations', () => {
  it('runs a job to completion, persisting progress, counts and its events in order', async () => {
    const handle = await t.runtime.operations.start({ kind: 'pull', title: 'Full pull', startedBy: 'alex', total: 3 });
    await handle.run(async (h) => {
      h.progress(1, { current: 'first' });
      h.log('halfway');
      h.progress(3);
      h.count('staged', 2);
      return { counts: { read: 3 } };
    });
    const op = await t.runtime.operations.get(handle.id);
    expect(op).toMatchObject({ status: 'completed', progressDone: 3, progressTotal: 3, counts: { staged: 2, read: 3 } });
    expect(op.finishedAt).toBeInstanceOf(Date);
    const rows = await t.runtime.db.select().from(events).where(eq(events.operationId, handle.id)).orderBy(events.seq);
    const types = rows.map((r) => r.type);
    expect(types[0]).toBe('operation_start');
    expect(types.at(-1)).toBe('operation_complete');
    expect(types).toContain('operation_log');
    expect(types).toContain('operation_progress');
  });

  it('records a failure with its message and an error event', async () => {
    const handle = await t.runtime.operations.start({ kind: 'push', title: 'Push', startedBy: 'alex' });
    await expect(
      handle.run(async () => {
        throw new Error('Shopify said no');
      }),
    ).rejects.toThrow('Shopify said no');
    expect(await t.runtime.operations.get(handle.id)).toMatchObject({ status: 'failed', error: 'Shopify said no' });
    const rows = await t.runtime.db.select().from(events).where(eq(events.operationId, handle.id));
    expect(rows.map((r) => r.type)).toContain('error');
  });

  it('sees a cancel request made by another process through the database, and settles as cancelled', async () => {
    const handle = await t.runtime.operations.start({ kind: 'pull', title: 'Long pull', startedBy: 'alex' });
    const job = handle.run(async (h) => {
      while (!h.cancelled) await new Promise((r) => setTimeout(r, 50));
      h.throwIfCancelled();
      return {};
    });
    // Another process only has the database: it sets the flag, it cannot reach our AbortController.
    await t.runtime.db.update(operations).set({ cancelRequestedAt: sql`now()` }).where(eq(operations.id, handle.id));
    await expect(job).rejects.toBeInstanceOf(OperationCancelled);
    expect((await t.runtime.operations.get(handle.id)).status).toBe('cancelled');
  });

  it('refuses to cancel a finished operation', async () => {
    const handle = await t.runtime.operations.start({ kind: 'import', title: 'Import', startedBy: 'mia' });
    await handle.complete();
    await expect(t.runtime.operations.requestCancel(handle.id, 'alex')).rejects.toMatchObject({ code: 'conflict:operation_finished' });
  });

  it("a queued operation created in the caller's transaction commits or rolls back with it, and starts when resumed", async () => {
    const input = { kind: 'push' as const, title: 'Queued push', startedBy: 'alex', total: 2 };
    let rolledBack = '';
    await expect(
      t.runtime.db.transaction(async (tx) => {
        rolledBack = (await t.runtime.operations.enqueue(input, tx)).id;
        throw new Error('the batch could not be written');
      }),
    ).rejects.toThrow('the batch could not be written');
    await expect(t.runtime.operations.get(rolledBack)).rejects.toMatchObject({ code: 'not_found:operation' });

    const queued = await t.runtime.db.transaction((tx) => t.runtime.operations.enqueue(input, tx));
    expect(await t.runtime.operations.get(queued.id)).toMatchObject({ status: 'queued', startedAt: null, progressTotal: 2 });
    const handle = await t.runtime.operations.resume(queued.id);
    expect((await t.runtime.operations.get(queued.id)).status).toBe('running');
    await handle.complete({ applied: 2 });
    const evs = await t.runtime.db.select().from(events).where(eq(events.operationId, queued.id));
    expect(evs.map((e) => e.type)).toEqual(['operation_start', 'operation_complete']);
  });

  it('lists operations newest first with a cursor, and reads one in the API shape', async () => {
    const token = await demoToken('support');
    const page1 = await callRoute(listRoute.GET, { path: '/api/operations?limit=2', token });
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await callRoute(listRoute.GET, { path: `/api/operations?limit=2&cursor=${page1.body.nextCursor}`, token });
    const ids = [...page1.body.items, ...page2.body.items].map((o: { id: string }) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    const one = await callRoute(getRoute.GET, { params: { id: ids[0]! }, token });
    expect(one.body).toMatchObject({
      id: ids[0],
      kind: expect.any(String),
      status: expect.any(String),
      progress: { done: expect.any(Number) },
      startedBy: expect.any(String),
    });
    const bad = await callRoute(listRoute.GET, { path: '/api/operations?limit=0', token });
    expect(bad.status).toBe(400);
  });
});
