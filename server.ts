import { type Config, ConfigError, parseConfig } from './lib/env';
import { startAppServer } from './server/app-server';

/** Composition root: validate the configuration, start Next + Socket.IO + the runtime, stop on signals. */
async function main() {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = await startAppServer({ config, dev: config.NODE_ENV !== 'production' });
  app.runtime.logger.info({ url: app.url, database: config.database.kind, devAuth: config.devAuth }, 'Catalog Sync Desk is up');
  console.log(`Catalog Sync Desk listening on ${app.url}`);

  const stop = (signal: string) => {
    app.runtime.logger.info({ signal }, 'signal received');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    void app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  console.error(`Failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
