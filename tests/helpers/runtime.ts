import { type Config, parseConfig } from '../../lib/env';
import { createLogger } from '../../server/logger';
import { installApp } from '../../server/registry';
import { type Runtime, startRuntime } from '../../server/runtime';
import { createServices, type Services, type ServicesOptions } from '../../server/services';
import { createTestDatabase, type TestDatabase } from './pg';

export interface TestRuntime {
  runtime: Runtime;
  services: Services;
  config: Config;
  testDb: TestDatabase;
  stop(): Promise<void>;
}

/**
 * A runtime on a database of the test's own and the services built on it, installed as the
 * process's app so that route handlers called by the test find them (as server.ts starts one;
 * background work starts only when a test calls startServices). Demo sign-in is on unless overridden.
 */
export async function startTestRuntime(
  options: { env?: Record<string, string | undefined>; queue?: boolean; services?: ServicesOptions } = {},
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
  const services = createServices(runtime, options.services);
  installApp({ runtime, services });
  return {
    runtime,
    services,
    config,
    testDb,
    async stop() {
      await runtime.stop();
      await testDb.drop();
    },
  };
}
