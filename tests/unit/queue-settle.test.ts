import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { settleWithoutUnhandledRejections } from '@/server/queue/boss';

const Manager = createRequire(import.meta.url)('pg-boss/src/manager.js') as { prototype: object };

describe('pg-boss settling jobs while the database is down', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it("reports an unawaited complete/fail that fails as the manager's error event, not as an unhandled rejection", async () => {
    settleWithoutUnhandledRejections();
    process.on('unhandledRejection', onUnhandled);
    const errors: unknown[] = [];
    const down = new Error('connect ECONNREFUSED');
    const manager = Object.assign(Object.create(Manager.prototype), {
      db: { executeSql: () => Promise.reject(down) },
      emit: (event: string, err: unknown) => event === 'error' && errors.push(err),
    }) as { fail(name: string, id: string): Promise<unknown>; complete(name: string, id: string): Promise<unknown> };
    // As pg-boss's work loop does: called without await.
    void manager.fail('push', '00000000-0000-4000-8000-000000000001');
    void manager.complete('push', '00000000-0000-4000-8000-000000000002');
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
    expect(errors).toEqual([down, down]);
    // A caller that awaits still gets the failure.
    await expect(manager.fail('push', '00000000-0000-4000-8000-000000000003')).rejects.toBe(down);
  });
});
