import { StoreActivity } from './activity';
import { adminEndpoint } from './admin-endpoint';
import type { EmulatorContext } from './context';
import { handleControl } from './control';
import { createCore, type MutationLogEntry } from './core';
import { type GenerateOptions, generateCatalog } from './generator';
import { AdminGraphQL } from './graphql';
import { listen, sendJson } from './http';
import { type EmulatorFaults, type EmulatorOptions, initialFaults, mergeFaults, settingsOf } from './options';
import { StateFile } from './persist';
import { ShopState } from './state';
import { ThrottleBuckets } from './throttle';
import { hmacOf, type WebhookDelivery } from './webhooks';

export { DEFAULT_API_VERSION, EMULATOR_SHOP_DOMAIN, type EmulatorFaults, type EmulatorOptions } from './options';

export interface Emulator {
  url: string;
  adminUrl: string;
  shopDomain: string;
  accessToken: string;
  merchantToken: string;
  webhookSecret: string;
  apiVersion: string;
  state: ShopState;
  /** True when the catalog came from `stateFile` rather than the generator. */
  restored: boolean;
  /** Stops serving; the catalog is saved to `stateFile` first when there is one. */
  close(): Promise<void>;
  reset(): void;
  seed(options: { products?: number; seed?: number }): void;
  setFaults(faults: Partial<EmulatorFaults>): EmulatorFaults;
  faults(): EmulatorFaults;
  mutationLog(): MutationLogEntry[];
  webhookDeliveries(): WebhookDelivery[];
  startActivity(options: { perMinute: number }): void;
  stopActivity(): void;
  hmacOf(body: string | Buffer): string;
  /** Resolves when no webhook is being sent and no bulk operation runs. */
  idle(): Promise<void>;
}

const ADMIN_PATH = /^\/admin\/api\/[^/]+\/graphql\.json$/;

/** Starts the local Shopify Admin API: an HTTP server executing the real 2026-10 schema on in-memory state. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const settings = settingsOf(options);
  const { apiVersion, shopDomain, accessToken, merchantToken, webhookSecret } = settings;
  let catalog: GenerateOptions = {
    products: options.products ?? 100,
    seed: options.seed ?? 1,
    depth: options.depth ?? 'full',
    idOffset: options.idOffset ?? 0,
  };
  let faults = initialFaults(options.plan);
  let baseUrl = '';

  const graphql = new AdminGraphQL();
  const state = new ShopState();
  const buckets = new ThrottleBuckets(() => faults.plan);
  const core = createCore({ state, graphql, settings, faults: () => faults, baseUrl: () => baseUrl });
  const contextFor = (token: string, actor: EmulatorContext['actor']): EmulatorContext => ({
    state,
    core,
    shop: { domain: shopDomain, plan: faults.plan, apiVersion, baseUrl },
    token,
    actor,
  });
  const activity = new StoreActivity(graphql, () => contextFor(merchantToken, 'merchant'));

  function resetState(next = catalog): void {
    catalog = next;
    Object.assign(state, new ShopState());
    core.clear();
    buckets.clear();
    generateCatalog(state, catalog);
  }
  const stateFile = options.stateFile ? new StateFile(options.stateFile, state) : null;
  const restored = stateFile?.load() ?? false;
  if (!restored) generateCatalog(state, catalog);
  stateFile?.start();

  const admin = adminEndpoint({
    graphql,
    buckets,
    faults: () => faults,
    actorOf: (token) => (token === accessToken ? 'app' : token === merchantToken ? 'merchant' : undefined),
    contextFor,
  });
  const control = {
    core,
    activity,
    emulator: () => emulator,
    catalog: () => catalog,
    faults: () => faults,
    resetState: () => resetState(),
    apiVersion,
    shopDomain,
  };
  const { server, baseUrl: url } = await listen(
    async (req, res, requestUrl) => {
      if (req.method === 'POST' && ADMIN_PATH.test(requestUrl.pathname)) return admin(req, res);
      if (requestUrl.pathname.startsWith('/__emulator')) return handleControl(req, res, requestUrl, control);
      sendJson(res, 404, { errors: 'Not Found' });
    },
    options.port ?? 0,
    options.host ?? '127.0.0.1',
  );
  baseUrl = url;

  const emulator: Emulator = {
    url: baseUrl,
    adminUrl: `${baseUrl}/admin/api/${apiVersion}/graphql.json`,
    shopDomain,
    accessToken,
    merchantToken,
    webhookSecret,
    apiVersion,
    get state() {
      return state;
    },
    restored,
    async close() {
      activity.stop();
      stateFile?.close();
      core.webhooks.close();
      core.bulk.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    reset() {
      resetState();
    },
    seed(next) {
      resetState({ ...catalog, products: next.products ?? catalog.products, seed: next.seed ?? catalog.seed });
    },
    setFaults(next) {
      faults = mergeFaults(faults, next);
      return faults;
    },
    faults: () => faults,
    mutationLog: () => [...core.mutationLog],
    webhookDeliveries: () => [...core.webhooks.deliveries],
    startActivity({ perMinute }) {
      activity.start(perMinute);
    },
    stopActivity() {
      activity.stop();
    },
    hmacOf: (body) => hmacOf(webhookSecret, body),
    async idle() {
      await core.bulk.idle();
      await core.webhooks.idle();
    },
  };
  return emulator;
}

export { hmacOf };
