import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as storesRoute from '../../app/api/stores/route';
import { stores } from '../../drizzle/schema';
import { callRoute, demoToken } from '../helpers/api';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/** The backup poll's bookkeeping: failures in a row and the last error land on the store for the health page. */
let t: TestRuntime;

beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(() => t?.stop());

describe('backup poll health', () => {
  it('counts failures in a row and keeps the last error, and leaves never-pulled or switched-off stores alone', async () => {
    const pulledAt = new Date(Date.now() - 3600_000);
    const [broken] = await t.runtime.db
      .insert(stores)
      .values({
        shopDomain: 'down.myshopify.com',
        name: 'down',
        accessToken: 'x',
        adminUrl: 'http://127.0.0.1:9',
        lastFullPullAt: pulledAt,
        incrementalCursor: pulledAt,
      })
      .returning();
    const [fresh] = await t.runtime.db
      .insert(stores)
      .values({ shopDomain: 'fresh.myshopify.com', name: 'fresh', accessToken: 'x', adminUrl: 'http://127.0.0.1:9' })
      .returning();
    const [off] = await t.runtime.db
      .insert(stores)
      .values({
        shopDomain: 'off.myshopify.com',
        name: 'off',
        accessToken: 'x',
        adminUrl: 'http://127.0.0.1:9',
        lastFullPullAt: pulledAt,
        incrementalCursor: pulledAt,
        settings: { pollIntervalMinutes: 0 },
      })
      .returning();
    const { poll } = t.services;
    await poll.tick();
    await poll.pollStore((await t.runtime.db.select().from(stores).where(eq(stores.id, broken!.id)))[0]!);
    const [after] = await t.runtime.db.select().from(stores).where(eq(stores.id, broken!.id));
    expect(after!.pollFailures).toBe(2);
    expect(after!.lastPollError).toBeTruthy();
    expect(after!.lastPollSuccessAt).toBeNull();
    for (const s of [fresh!, off!]) {
      const [row] = await t.runtime.db.select().from(stores).where(eq(stores.id, s.id));
      expect(row!.lastPollAt).toBeNull();
    }
    const list = await callRoute(storesRoute.GET, { token: await demoToken('support') });
    const shown = list.body.items.find((s: { id: string }) => s.id === broken!.id);
    expect(shown.health).toMatchObject({ pollFailures: 2, lastPollSuccessAt: null });
    expect(shown.health.lastPollError).toBeTruthy();
  });
});
