import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stores } from '../../drizzle/schema';
import { parseConfig } from '../../lib/env';
import { createLogger } from '../../server/logger';
import { type Runtime, startRuntime } from '../../server/runtime';
import { createTestDatabase, type TestDatabase } from '../helpers/pg';

const SECRETS = {
  SHOPIFY_ACCESS_TOKEN: 'shpat_marker_access_token_5f1e',
  SHOPIFY_WEBHOOK_SECRET: 'marker-webhook-secret-93ad',
  SUPABASE_JWT_SECRET: 'marker-jwt-secret-0123456789abcdef0123456789',
  METRICS_TOKEN: 'marker-metrics-token-77c2',
};

const lines: Array<Record<string, unknown>> = [];
const raw: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      raw.push(line);
      lines.push(JSON.parse(line));
    }
    done();
  },
});

let testDb: TestDatabase;
let runtime: Runtime;
let storeId: string;
beforeAll(async () => {
  testDb = await createTestDatabase();
  const config = parseConfig({ NODE_ENV: 'test', DEV_AUTH: 'true', SHOPIFY_SHOP: 'logs.myshopify.com', ...SECRETS });
  runtime = await startRuntime(config, {
    database: testDb.database,
    migrate: false,
    queue: false,
    logger: createLogger('debug', {}, sink),
  });
  const [store] = await runtime.db
    .insert(stores)
    .values({
      shopDomain: 'logs.myshopify.com',
      name: 'logs',
      accessToken: SECRETS.SHOPIFY_ACCESS_TOKEN,
      webhookSecret: SECRETS.SHOPIFY_WEBHOOK_SECRET,
    })
    .returning();
  storeId = store!.id;
});
afterAll(async () => {
  await runtime?.stop();
  await testDb?.drop();
});

describe('structured logs', () => {
  it('puts the operation id, store and batch on every line a job writes', async () => {
    const handle = await runtime.operations.start({
      kind: 'push',
      storeId,
      title: 'logged push',
      startedBy: 'test',
      meta: { batchId: 'batch-from-meta' },
    });
    handle.logger.info({ item: 'p1' }, 'writing product');
    handle.log('half way', 'warn');
    const late = await runtime.operations.start({ kind: 'rollback', storeId, title: 'logged rollback', startedBy: 'test' });
    late.withBatch('batch-bound-later');
    late.logger.info('rolling back');
    await handle.complete();
    await late.complete();

    const jobLines = lines.filter((l) => ['writing product', 'half way', 'rolling back'].includes(l.msg as string));
    expect(jobLines).toHaveLength(3);
    for (const line of jobLines) {
      expect(line.storeId).toBe(storeId);
      expect(typeof line.operationId).toBe('string');
      expect(typeof line.batchId).toBe('string');
    }
    expect(jobLines.find((l) => l.msg === 'writing product')).toMatchObject({
      operationId: handle.id,
      batchId: 'batch-from-meta',
      kind: 'push',
      item: 'p1',
    });
    expect(jobLines.find((l) => l.msg === 'half way')).toMatchObject({ operationId: handle.id, level: 40 });
    expect(jobLines.find((l) => l.msg === 'rolling back')).toMatchObject({ operationId: late.id, batchId: 'batch-bound-later' });
    const finished = lines.filter((l) => l.msg === 'operation finished');
    expect(finished.map((l) => l.operationId)).toEqual(expect.arrayContaining([handle.id, late.id]));
  });

  it('never writes a secret or token, wherever a caller puts one', async () => {
    const handle = await runtime.operations.start({ kind: 'pull', storeId, title: 'secrets', startedBy: 'test' });
    const demoToken = await runtime.verifier.signDemoToken('demo-admin');
    const store = (await runtime.db.select().from(stores))[0]!;
    handle.logger.info({ store }, 'store row');
    handle.logger.info({ config: runtime.config }, 'config');
    handle.logger.info(
      {
        headers: {
          authorization: `Bearer ${demoToken}`,
          cookie: `csd_session=${demoToken}`,
          'x-shopify-access-token': SECRETS.SHOPIFY_ACCESS_TOKEN,
        },
      },
      'request headers',
    );
    handle.logger.info({ req: { headers: { authorization: `Bearer ${demoToken}` } } }, 'nested request');
    handle.logger.info({ token: demoToken, accessToken: SECRETS.SHOPIFY_ACCESS_TOKEN, secret: SECRETS.SHOPIFY_WEBHOOK_SECRET }, 'flat');
    runtime.logger.info({ env: { ...SECRETS } }, 'env');
    await handle.complete();

    const text = raw.join('\n');
    expect(text).toContain('store row');
    expect(text).toContain('[redacted]');
    for (const value of [...Object.values(SECRETS), demoToken]) expect(text).not.toContain(value);
  });
});
