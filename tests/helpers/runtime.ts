import { parseConfig, type Config } from '../../lib/env';
import { createLogger } from '../../server/logger';
import { type Runtime, startRuntime } from '../../server/runtime';
import { createTestDatabase, type TestDatabase } from './pg';

export interface TestRuntime {
  runtime: Runtime;
  config: Config;
  testDb: TestDatabase;
  stop(): Promise<void>;
}

/**
 * A runtime on a database of the test's own, installed as the process runtime so that
 * route handlers called by the test find it. Demo sign-in is on unless overridden.
 */
export async function startTestRuntime(
  options: { env?: Record<string, string | undefined>; queue?: boolean } = {},
): Promise<TestRuntime> {
  const testDb = await createTestDatabase();
  const config = parseConfig({
    NODE_ENV: 'test',
    DEV_AUTH: 'true',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(testDb.url ? { DATABASE_URL: testDb.url } : {}),
    ...options.env,
  });
  const runtime = await startRuntime(config, {
    database: testDb.database,
    migrate: false,
    queue: options.queue ?? false,
    logger: createLogger(config.LOG_LEVEL),
  });
  return {
    runtime,
    config,
    testDb,
    async stop() {
      await runtime.stop();
      await testDb.drop();
    },
  };
}
