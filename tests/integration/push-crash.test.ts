import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { batches, batchItems, stagedChanges } from '../../drizzle/schema';
import { createShopifyClient } from '../../lib/shopify';
import { runPull } from '../../server/ingest/pull/pull';
import { PushService } from '../../server/push/service';
import { shopifyPorts } from '../../server/push/subsystem';
import { approveChange } from '../../server/review/decisions';
import { type AppProcess, startAppProcess } from '../helpers/app-process';
import { type Emulator, startEmulator } from '../helpers/emulator';
import { testDatabaseUrl } from '../helpers/pg';
import { makeLocalEdits } from '../helpers/push-changes';
import { catalogSnapshot, shopifyReader } from '../helpers/push-env';
import { createStore, stageAll } from '../helpers/push-fixtures';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let emulator: Emulator | undefined;
let t: TestRuntime | undefined;
const apps: AppProcess[] = [];
afterAll(async () => {
  for (const app of apps) await app.kill().catch(() => {});
  await t?.stop();
  await emulator?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('push crash safety', () => {
  it.skipIf(!testDatabaseUrl())(
    'kill -9 of the server at 5 random moments of a 2,000-item push: everything completes, no double inventory effect [needs Postgres]',
    async () => {
      emulator = await startEmulator({ products: 650, seed: 3, plan: 'plus' });
      emulator.setFaults({ latencyMs: 15 });
      t = await startTestRuntime();
      const db = t.runtime.db;
      const store = await createStore(db, {
        shopDomain: emulator.shopDomain,
        adminUrl: emulator.adminUrl,
        accessToken: emulator.accessToken,
      });
      const shopify = createShopifyClient({
        shopDomain: emulator.shopDomain,
        accessToken: emulator.accessToken,
        adminUrl: emulator.adminUrl,
      });
      await runPull({ db, logger: t.runtime.logger, runtime: t.runtime, reader: shopifyReader(shopify) }, store, 'full', null);
      const edits = await makeLocalEdits(db, store.id, { titles: 0, prices: 1000, inventory: 1000, leaves: 0, joins: 0 });
      expect(edits.total).toBe(2000);
      const staged = await stageAll(db, store.id);
      for (const c of staged) await approveChange(db, c.id, {}, { id: 'test' });
      // The batch is created here; only the server processes push it.
      const creator = new PushService(t.runtime, { portFor: shopifyPorts(t.services.shopify), wakeOnCreate: false });
      const { batchId } = await creator.push({ storeId: store.id, createdBy: 'test' });

      const env = { DATABASE_URL: t.testDb.url!, PUSH_LEASE_SECONDS: '2' };
      const applied = async () =>
        (
          await db
            .select({ id: batchItems.id })
            .from(batchItems)
            .where(and(eq(batchItems.batchId, batchId), eq(batchItems.status, 'applied')))
        ).length;
      for (let kill = 0; kill < 5; kill++) {
        const app = await startAppProcess({ mode: 'development', reuse: env, keepDatabase: true, env });
        apps.push(app);
        const from = await applied();
        // A random moment once this process is writing.
        const target = from + 20 + Math.floor(Math.random() * 200);
        while ((await applied()) < Math.min(target, 1990)) await sleep(20);
        await sleep(Math.random() * 200);
        await app.kill();
      }
      const last = await startAppProcess({ mode: 'development', reuse: env, keepDatabase: true, env });
      apps.push(last);
      const until = Date.now() + 120_000;
      let batch: typeof batches.$inferSelect | undefined;
      for (;;) {
        [batch] = await db.select().from(batches).where(eq(batches.id, batchId));
        if (batch!.status === 'completed' || Date.now() > until) break;
        await sleep(200);
      }
      expect(batch!.status).toBe('completed');
      expect(batch!.counts).toMatchObject({ total: 2000, applied: 2000 });
      const open = await db
        .select()
        .from(stagedChanges)
        .where(and(eq(stagedChanges.batchId, batchId), inArray(stagedChanges.status, ['queued', 'applying'])));
      expect(open).toEqual([]);

      // No double effect: each inventory item was applied once and holds exactly its target.
      const items = await db.select().from(batchItems).where(eq(batchItems.batchId, batchId));
      const inventory = items.filter((i) => i.entity === 'inventory_level');
      // A product's levels go in one call under one key: each level is in at most one write Shopify applied.
      const writes = emulator.mutationLog().filter((m) => m.mutation === 'inventorySetQuantities');
      const perLevel = new Map<string, number>();
      for (const w of writes) {
        for (const q of (w.input as { quantities: Array<{ inventoryItemId: string; locationId: string }> }).quantities) {
          const level = `${q.inventoryItemId}|${q.locationId}`;
          perLevel.set(level, (perLevel.get(level) ?? 0) + 1);
        }
      }
      for (const i of inventory) expect(perLevel.get(i.entityKey) ?? 0).toBeLessThanOrEqual(1);
      const snapshot = await catalogSnapshot(shopify);
      const products = [...new Set(inventory.map((i) => i.productKey!))].map((id) => snapshot.get(id)!);
      const now = new Map(products.flatMap((p) => p.variants.flatMap((v) => v.inventoryLevels.map((l) => [l.key, l.available] as const))));
      for (const i of inventory) expect(now.get(i.entityKey)).toBe(i.target!.available);
    },
    300_000,
  );
});
