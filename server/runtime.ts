import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../lib/env';
import { TokenVerifier } from './auth/tokens';
import { type Database, openDatabase } from './db/client';
import { applyMigrations } from './db/migrate';
import { createLogger, type Logger } from './logger';
import { createMetrics, type Metrics } from './metrics/registry';
import { OperationService } from './operations/service';
import { type PgBoss, startQueue } from './queue/boss';
import { RealtimeHub } from './realtime/hub';
import { StoreSecrets } from './stores/secrets';

/**
 * The typed core every layer may take: configuration, logger, database, token verifier, realtime
 * hub, operations, metrics and the queue, created once per process by `startRuntime` (server.ts,
 * tests, scripts). The long-lived services built on it (pull, push, webhooks, the Shopify
 * gateways...) are the composition root's (server/services.ts), passed to whoever needs them.
 */
export interface Runtime {
  readonly instanceId: string;
  readonly startedAt: Date;
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly db: Database['db'];
  readonly verifier: TokenVerifier;
  /** Seals and opens stores' access tokens and webhook secrets (server/stores/secrets.ts). */
  readonly storeSecrets: StoreSecrets;
  readonly hub: RealtimeHub;
  readonly operations: OperationService;
  readonly metrics: Metrics;
  /** Null when started without the queue (some unit tests). */
  readonly queue: PgBoss | null;
  /** Registers a closer; closers run in reverse order on stop. */
  onStop(name: string, closer: () => Promise<void> | void): void;
  stop(): Promise<void>;
  readonly stopping: boolean;
}

export interface StartRuntimeOptions {
  /** Use an already opened database (tests). */
  database?: Database;
  logger?: Logger;
  /** Start pg-boss (default true). */
  queue?: boolean;
  /** Apply migrations (default true). */
  migrate?: boolean;
}

export async function startRuntime(config: Config, options: StartRuntimeOptions = {}): Promise<Runtime> {
  const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const logger = options.logger ?? createLogger(config.LOG_LEVEL, { instance: instanceId });
  const closers: Array<{ name: string; closer: () => Promise<void> | void }> = [];

  const database =
    options.database ??
    (await openDatabase(
      config.database.kind === 'postgres' ? { url: config.database.url } : { dataDir: path.join(config.database.dataDir, 'pglite') },
    ));
  if (!options.database) closers.push({ name: 'database', closer: () => database.close() });
  if (options.migrate !== false) await applyMigrations(database);

  const verifier = new TokenVerifier(config);
  await verifier.init(database.db);
  const storeSecrets = await StoreSecrets.load(database.db, config.STORE_SECRETS_KEY);
  const hub = new RealtimeHub(database.db, logger);
  const metrics = createMetrics(database.db);
  const operations = new OperationService(database.db, hub, logger, metrics);

  let queue: PgBoss | null = null;
  if (options.queue !== false) {
    queue = await startQueue(database, logger);
    const boss = queue;
    closers.push({ name: 'queue', closer: () => boss.stop({ graceful: true, wait: true, timeout: 20_000 }) });
  }
  closers.push({ name: 'realtime', closer: () => hub.close() });

  let stopping = false;
  const runtime: Runtime = {
    instanceId,
    startedAt: new Date(),
    config,
    logger,
    database,
    db: database.db,
    verifier,
    storeSecrets,
    hub,
    operations,
    metrics,
    queue,
    onStop(name, closer) {
      closers.push({ name, closer });
    },
    get stopping() {
      return stopping;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      for (const { name, closer } of [...closers].reverse()) {
        try {
          await closer();
        } catch (err) {
          logger.warn({ err, component: name }, 'error while stopping');
        }
      }
    },
  };
  return runtime;
}
