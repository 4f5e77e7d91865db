import type { Runtime } from './runtime';

/**
 * Where route handlers find the runtime. Next bundles them apart from the custom server's module
 * graph, so the one instance lives on globalThis; this module imports nothing with side effects
 * so that a route pulls in no database or queue code of its own.
 */
const RUNTIME_KEY = Symbol.for('catalog-sync-desk.runtime');
type GlobalWithRuntime = typeof globalThis & { [RUNTIME_KEY]?: Runtime };

export function getRuntime(): Runtime {
  const runtime = (globalThis as GlobalWithRuntime)[RUNTIME_KEY];
  if (!runtime) throw new Error('The server runtime is not started (start the app with server.ts)');
  return runtime;
}

export function hasRuntime(): boolean {
  return (globalThis as GlobalWithRuntime)[RUNTIME_KEY] !== undefined;
}

export function installRuntime(runtime: Runtime | undefined): void {
  (globalThis as GlobalWithRuntime)[RUNTIME_KEY] = runtime;
}
