import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as retryRoute from '../../app/api/sync/staged/[id]/retry/route';
import { type StagedChange, stagedChanges } from '../../drizzle/schema';
import { callRoute, demoToken } from '../helpers/api';
import { createStore, product, seedEntities, stageAll } from '../helpers/push-fixtures';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const P = (n: number) => `gid://shopify/Product/${n}`;

let t: TestRuntime;
let staged: StagedChange[];

/** Two outgoing title edits; the first one's push failed. */
beforeAll(async () => {
  t = await startTestRuntime();
  const store = await createStore(t.runtime.db);
  await seedEntities(
    t.runtime.db,
    store.id,
    [1, 2].map((n) => ({
      entity: 'product' as const,
      key: P(n),
      local: product(n, { title: 'New' }),
      base: product(n),
      remote: product(n),
    })),
  );
  staged = await stageAll(t.runtime.db, store.id);
  await t.runtime.db.execute(
    sql`update staged_changes set status = 'failed', error = 'Handle has already been taken', batch_id = null where entity_key = ${P(1)}`,
  );
}, 60_000);
afterAll(() => t?.stop());

const retry = async (id: string, role: 'merchandiser' | 'support' = 'merchandiser') =>
  callRoute(retryRoute.POST, {
    method: 'POST',
    path: `/api/sync/staged/${id}/retry`,
    params: { id },
    body: {},
    token: await demoToken(role),
  });

describe('POST /api/sync/staged/:id/retry', () => {
  it('approves a failed change again for the next push, once; refuses any other status and a role that cannot review', async () => {
    const failed = staged.find((c) => c.entityKey === P(1))!;
    const pending = staged.find((c) => c.entityKey === P(2))!;
    expect((await retry(failed.id, 'support')).status).toBe(403);
    const res = await retry(failed.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [after] = await t.runtime.db.select().from(stagedChanges).where(eq(stagedChanges.id, failed.id));
    expect(after).toMatchObject({ status: 'approved', error: null, decidedBy: expect.any(String) });
    const again = await retry(failed.id);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict:change_not_failed');
    expect((await retry(pending.id)).status).toBe(409);
  });

  it('refuses a failed change when a newer change of the same item is open, naming it', async () => {
    const pending = staged.find((c) => c.entityKey === P(2))!;
    const [older] = await t.runtime.db
      .insert(stagedChanges)
      .values({ ...pending, id: undefined, status: 'failed', error: 'Title is too long', createdAt: undefined, updatedAt: undefined })
      .returning();
    const res = await retry(older!.id);
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'conflict:newer_change', details: { id: pending.id } });
  });
});
