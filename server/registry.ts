import type { Runtime } from './runtime';
import type { Services } from './services';

/** A started app process: the runtime and the services built on it. */
export interface App {
  runtime: Runtime;
  services: Services;
}

/**
 * Where route handlers and pages find the app. Next bundles them apart from the custom server's
 * module graph, so the one instance lives on globalThis (this is the app's only such slot); this
 * module imports nothing with side effects so that a route pulls in no database or queue code of
 * its own.
 */
const APP_KEY = Symbol.for('catalog-sync-desk.app');
type GlobalWithApp = typeof globalThis & { [APP_KEY]?: App };

export function getApp(): App {
  const app = (globalThis as GlobalWithApp)[APP_KEY];
  if (!app) throw new Error('The server runtime is not started (start the app with server.ts)');
  return app;
}

export function hasApp(): boolean {
  return (globalThis as GlobalWithApp)[APP_KEY] !== undefined;
}

export function getRuntime(): Runtime {
  return getApp().runtime;
}

/** Installs the app for route handlers; it is uninstalled when its runtime stops. */
export function installApp(app: App): void {
  (globalThis as GlobalWithApp)[APP_KEY] = app;
  app.runtime.onStop('registry', () => {
    if ((globalThis as GlobalWithApp)[APP_KEY] === app) (globalThis as GlobalWithApp)[APP_KEY] = undefined;
  });
}
