import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { actualQueryCost, requestedQueryCost } from '../../lib/shopify/cost';
import { StoreActivity } from './activity';
import { BulkRunner } from './bulk';
import { handleControl, readBody, sendJson, type ControlDeps } from './control';
import type { EmulatorCore, MutationLogEntry } from './core';
import { generateCatalog } from './generator';
import { AdminGraphQL } from './graphql';
import { ShopState } from './state';
import { MAX_SINGLE_QUERY_COST, PLAN_LIMITS, ThrottleBucket, type Plan } from './throttle';
import type { EmulatorContext } from './views';
import { WebhookDispatcher, hmacOf, type WebhookDelivery } from './webhooks';

export const EMULATOR_SHOP_DOMAIN = 'emulator-store.myshopify.com';
export const DEFAULT_API_VERSION = '2026-10';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  products?: number;
  seed?: number;
  plan?: Plan;
  accessToken?: string;
  merchantToken?: string;
  webhookSecret?: string;
  timeScale?: number;
  apiVersion?: string;
}

export interface EmulatorFaults {
  latencyMs: number;
  /** Share of GraphQL requests answered with a 5xx, 0..1. */
  errorRate: number;
  /** Share of GraphQL requests never answered (the socket is closed after timeoutMs), 0..1. */
  timeoutRate: number;
  timeoutMs: number;
  plan: Plan;
  duplicateWebhooks: boolean;
  /** Pause between the pages of a bulk query, so tests can catch operations while they run. */
  bulkPageDelayMs: number;
}

export interface Emulator {
  url: string;
  adminUrl: string;
  shopDomain: string;
  accessToken: string;
  merchantToken: string;
  webhookSecret: string;
  apiVersion: string;
  state: ShopState;
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

const DEFAULT_FAULTS: EmulatorFaults = { latencyMs: 0, errorRate: 0, timeoutRate: 0, timeoutMs: 30_000, plan: 'standard', duplicateWebhooks: false, bulkPageDelayMs: 0 };

function graphqlError(e: GraphQLError | { message: string; extensions?: unknown; path?: unknown; locations?: unknown }) {
  const err = e as GraphQLError;
  return { message: err.message, ...(err.locations ? { locations: err.locations } : {}), ...(err.path ? { path: err.path } : {}), ...(err.extensions && Object.keys(err.extensions).length ? { extensions: err.extensions } : {}) };
}

/** Starts the local Shopify Admin API: an HTTP server executing the real 2026-10 schema on in-memory state. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  const accessToken = options.accessToken ?? 'emulator-app-token';
  const merchantToken = options.merchantToken ?? 'emulator-merchant-token';
  const webhookSecret = options.webhookSecret ?? 'emulator-webhook-secret';
  let catalog = { products: options.products ?? 100, seed: options.seed ?? 1 };
  let faults: EmulatorFaults = { ...DEFAULT_FAULTS, plan: options.plan ?? 'standard' };
  const timeScale = options.timeScale ?? 1;
  let baseUrl = '';

  const graphql = new AdminGraphQL();
  const state = new ShopState();
  const buckets = new Map<string, ThrottleBucket>();
  const mutationLog: MutationLogEntry[] = [];
  const core: EmulatorCore = {
    state,
    webhooks: new WebhookDispatcher({
      state,
      shopDomain: EMULATOR_SHOP_DOMAIN,
      apiVersion,
      secret: () => webhookSecret,
      timeScale: () => timeScale,
      duplicates: () => faults.duplicateWebhooks,
    }),
    bulk: new BulkRunner({ schema: graphql.schema, run: (doc, vars, ctx) => graphql.run(doc, vars, ctx), compile: (doc) => graphql.compileBulk(doc), baseUrl: () => baseUrl, pageDelayMs: () => faults.bulkPageDelayMs }),
    uploads: new Map(),
    mutationLog,
    idempotency: new Map(),
    log(entry) {
      mutationLog.push({ seq: mutationLog.length + 1, at: new Date().toISOString(), ...entry });
    },
  };

  const contextFor = (token: string, actor: EmulatorContext['actor']): EmulatorContext => ({
    state: core.state,
    core,
    shop: { domain: EMULATOR_SHOP_DOMAIN, plan: faults.plan, apiVersion, baseUrl },
    token,
    actor,
  });
  const activity = new StoreActivity(graphql, () => contextFor(merchantToken, 'merchant'));

  function bucketFor(token: string): ThrottleBucket {
    const limits = PLAN_LIMITS[faults.plan];
    let bucket = buckets.get(token);
    if (!bucket || bucket.maximumAvailable !== limits.maximumAvailable) {
      bucket = new ThrottleBucket(limits.maximumAvailable, limits.restoreRate);
      buckets.set(token, bucket);
    }
    return bucket;
  }

  function resetState(next = catalog): void {
    catalog = next;
    const fresh = new ShopState();
    Object.assign(state, fresh);
    core.bulk.reset();
    core.uploads.clear();
    core.webhooks.clear();
    core.idempotency.clear();
    mutationLog.length = 0;
    buckets.clear();
    generateCatalog(state, catalog);
  }
  generateCatalog(state, catalog);

  async function handleGraphql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = req.headers['x-shopify-access-token'];
    const actor = token === accessToken ? 'app' : token === merchantToken ? 'merchant' : undefined;
    if (!actor || typeof token !== 'string') {
      sendJson(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      return;
    }
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.timeoutRate > 0 && Math.random() < faults.timeoutRate) {
      setTimeout(() => req.socket.destroy(), faults.timeoutMs).unref();
      return;
    }
    if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
      const status = [500, 502, 503][Math.floor(Math.random() * 3)]!;
      sendJson(res, status, { errors: status === 503 ? 'Service Unavailable' : 'Internal Server Error' }, status === 503 ? { 'retry-after': '1' } : {});
      return;
    }
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse((await readBody(req, 10 * 1024 * 1024)).toString('utf8')) as typeof body;
    } catch {
      sendJson(res, 400, { errors: 'Bad Request: the body is not valid JSON' });
      return;
    }
    if (typeof body?.query !== 'string') {
      sendJson(res, 400, { errors: { query: 'Required parameter missing or invalid' } });
      return;
    }
    const variables = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>;
    const operationName = typeof body.operationName === 'string' ? body.operationName : null;
    const prepared = graphql.prepare(body.query, operationName);
    const bucket = bucketFor(token);
    if (!prepared.document) {
      sendJson(res, 200, {
        errors: prepared.errors!.map((e) => ({ ...graphqlError(e), extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...(e.extensions ?? {}) } })),
        extensions: { cost: { requestedQueryCost: 0, actualQueryCost: 0, throttleStatus: bucket.status() } },
      });
      return;
    }
    const requested = requestedQueryCost(graphql.schema, prepared.document, variables, operationName);
    if (requested > MAX_SINGLE_QUERY_COST) {
      sendJson(res, 200, {
        errors: [{ message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`, extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: MAX_SINGLE_QUERY_COST } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
      });
      return;
    }
    if (!bucket.take(requested)) {
      sendJson(res, 200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
      });
      return;
    }
    const result = graphql.run(prepared.document, variables, contextFor(token, actor), operationName);
    const actual = Math.min(requested, actualQueryCost(graphql.schema, prepared.document, result.data as Record<string, unknown>, variables, operationName));
    bucket.refund(requested - actual);
    sendJson(res, 200, {
      ...(result.errors ? { errors: result.errors.map(graphqlError) } : {}),
      ...(result.data !== undefined ? { data: result.data } : {}),
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() } },
    });
  }

  async function handleStagedUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const form = await new Request('http://emulator/upload', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: new Uint8Array(raw) }).formData();
    const key = form.get('key');
    const file = form.get('file');
    if (typeof key !== 'string' || !file || typeof file === 'string') {
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end('<Error><Code>InvalidArgument</Code><Message>key and file are required</Message></Error>');
      return;
    }
    core.uploads.set(key, Buffer.from(await file.arrayBuffer()));
    res.writeHead(201, { 'content-type': 'application/xml' });
    res.end(`<PostResponse><Key>${key}</Key></PostResponse>`);
  }

  const controlDeps: ControlDeps = {
    state,
    core,
    activity,
    emulator: () => emulator,
    catalog: () => catalog,
    faults: () => faults,
    resetState: () => resetState(),
    apiVersion,
    shopDomain: EMULATOR_SHOP_DOMAIN,
    handleStagedUpload,
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const run = async () => {
      if (req.method === 'POST' && /^\/admin\/api\/[^/]+\/graphql\.json$/.test(url.pathname)) return handleGraphql(req, res);
      if (url.pathname.startsWith('/__emulator')) return handleControl(req, res, url, controlDeps);
      sendJson(res, 404, { errors: 'Not Found' });
    };
    run().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: `Emulator error: ${(err as Error).message}` });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  baseUrl = `http://${host}:${address.port}`;

  const emulator: Emulator = {
    url: baseUrl,
    adminUrl: `${baseUrl}/admin/api/${apiVersion}/graphql.json`,
    shopDomain: EMULATOR_SHOP_DOMAIN,
    accessToken,
    merchantToken,
    webhookSecret,
    apiVersion,
    get state() {
      return state;
    },
    async close() {
      activity.stop();
      core.webhooks.close();
      core.bulk.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    reset() {
      resetState();
    },
    seed(next) {
      resetState({ products: next.products ?? catalog.products, seed: next.seed ?? catalog.seed });
    },
    setFaults(next) {
      const merged = { ...faults, ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) } as EmulatorFaults;
      if (!(merged.plan in PLAN_LIMITS)) throw new Error(`Unknown plan ${merged.plan}`);
      faults = merged;
      return faults;
    },
    faults: () => faults,
    mutationLog: () => [...mutationLog],
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
