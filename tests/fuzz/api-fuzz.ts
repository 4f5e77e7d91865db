import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stores } from '../../drizzle/schema';
import { demoToken } from '../helpers/api';
import type { DiscoveredRoute } from '../helpers/routes';
import { discoverRoutes } from '../helpers/routes';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { bodyArb, type Credential, credentialArb, headersArb, paramArb, queryArb } from './arbitraries';
import { auditHash, type SideEffects, sideEffects } from './side-effects';

/**
 * Every JSON endpoint under app/api (found by walking the route files, so routes added later are
 * covered without being listed) gets FUZZ_RUNS generated requests: bodies, query strings, headers,
 * credentials and path parameters. None may answer 5xx or throw; every error is the API's error
 * shape; and every refused request (and every GET) leaves the stored state as it found it, checked
 * request by request and by content (./side-effects.ts): all of it, but for the tables a pull, push
 * or import that an earlier accepted request started writes while it is still running; the audit
 * log keeps its rows, and gains at most the refusal's own.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/**
 * A GET has no body to vary, only its query and headers: fewer runs cover that space, and keep
 * the whole suite within a few minutes on two cores. FUZZ_GET_RUNS=10000 runs the full count.
 */
const GET_RUNS = Number(process.env.FUZZ_GET_RUNS ?? Math.min(RUNS, 2_500));
const WEBHOOK_PATH = '/api/webhooks/shopify';

const FAIL_FAST = { maxRetries: 0, requestTimeoutMs: 2000, retryBaseDelayMs: 10, retryMaxDelayMs: 10 };

let t: TestRuntime;
const tokens = {} as Record<'admin' | 'merchandiser' | 'support', string>;

/**
 * Defines the fuzz tests for one shard of the routes (routes are dealt round-robin so that the
 * shard files run side by side on two cores).
 */
export async function defineApiFuzz(shard: number, shards: number): Promise<void> {
  const routes = (await discoverRoutes())
    .filter((r) => r.path !== WEBHOOK_PATH && !r.file.includes('[...'))
    .filter((_, i) => i % shards === shard);
  setup();
  describeRoutes(routes, shards);
}

function setup(): void {
  beforeAll(async () => {
    t = await startTestRuntime({
      queue: true,
      // An operation a valid request starts gives up on the unreachable Shopify at once, so the
      // stretches of the run with background work in flight (checked less fully) stay short.
      services: { shopify: { pull: FAIL_FAST, poll: FAIL_FAST, push: FAIL_FAST } },
      env: {
        SHOPIFY_SHOP: 'fuzz.myshopify.com',
        SHOPIFY_ACCESS_TOKEN: 'fuzz-token',
        SHOPIFY_WEBHOOK_SECRET: 'fuzz-webhook-secret',
        // Nothing listens there: jobs a valid request starts fail fast instead of reaching out.
        SHOPIFY_ADMIN_URL: 'http://127.0.0.1:9',
      },
    });
    // As in the app process: the env store, the push engine and the other background services;
    // the backup poll off, so that state changes only by what the requests do.
    const { startServices } = await import('../../server/services');
    await startServices(t.runtime, t.services);
    await t.runtime.db.update(stores).set({ settings: { pollIntervalMinutes: 0 } });
    for (const role of ['admin', 'merchandiser', 'support'] as const) tokens[role] = await demoToken(role);
  });
  afterAll(() => t?.stop());
}

/** The stored state once the background work earlier requests started (a pull, a push, an import) has finished. */
async function quiet(): Promise<SideEffects> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await sideEffects(t.runtime.db);
    if (!state.busy) return state;
    if (Date.now() > deadline) throw new Error(`background work still running after 60 s: ${state.background}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function authHeaders(credential: Credential): Record<string, string> {
  switch (credential) {
    case 'admin':
    case 'merchandiser':
    case 'support':
      return { authorization: `Bearer ${tokens[credential]}` };
    case 'garbage':
      return { authorization: 'Bearer not.a.token' };
    case 'cookie-cross-site':
      return { cookie: `csd_session=${tokens.admin}`, 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' };
    case 'cookie-same-origin':
      return { cookie: `csd_session=${tokens.admin}`, 'sec-fetch-site': 'same-origin' };
    default:
      return {};
  }
}

function buildRequest(
  method: string,
  path: string,
  query: Record<string, string>,
  body: { json?: unknown; raw?: string },
  headers: { contentType: string; extra: Record<string, string> },
  credential: Credential,
): Request {
  const url = new URL(`http://localhost${path}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
  const h = new Headers({ ...headers.extra, ...authHeaders(credential) });
  if (headers.contentType) h.set('content-type', headers.contentType);
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const text = body.raw ?? JSON.stringify(body.json ?? null);
  return new Request(url, { method, headers: h, body: hasBody ? text : undefined });
}

function describeRoutes(routes: DiscoveredRoute[], shards: number): void {
  describe(`fuzz: ${RUNS} generated requests per JSON write endpoint, ${GET_RUNS} per read`, () => {
    it('found the API routes to fuzz', () => {
      expect(routes.length * shards).toBeGreaterThan(3);
    });

    for (const r of routes) {
      it(`${r.method} ${r.path} never answers 5xx and a refused request changes nothing`, async () => {
        const dynamicNames = Object.keys(r.params);
        let before = await quiet();
        const audited = { max: before.audit.max, hash: await auditHash(t.runtime.db, before.audit.max) };
        const statuses = new Map<number, number>();
        await fc.assert(
          fc.asyncProperty(
            bodyArb,
            queryArb,
            headersArb,
            credentialArb,
            fc.array(paramArb, { minLength: dynamicNames.length, maxLength: dynamicNames.length }),
            async (body, query, headers, credential, paramValues) => {
              const params = Object.fromEntries(dynamicNames.map((n, i) => [n, paramValues[i]!]));
              const path = dynamicNames.reduce((p, n) => p.replace(String(r.params[n]), encodeURIComponent(params[n]!)), r.path);
              const req = buildRequest(r.method, path, query, body, headers, credential);
              const res = await r.handler(req, { params: Promise.resolve(params) });
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
              const text = await res.text();
              // The fuzz runs with Shopify out of reach on purpose: a route that says so (503 unavailable) is
              // answering about its dependency, not failing on the input. Anything else 5xx is a bug.
              const dependencyDown = res.status === 503 && /"code":"unavailable/.test(text);
              if (!dependencyDown)
                expect(res.status, `${r.method} ${path} answered ${res.status}: ${text.slice(0, 300)}`).toBeLessThan(500);
              if (res.status >= 400 && (res.headers.get('content-type') ?? '').includes('json')) {
                const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
                expect(typeof parsed.error?.code).toBe('string');
                expect(typeof parsed.error?.message).toBe('string');
              }
              const after = await sideEffects(t.runtime.db, before);
              if (res.status >= 400 || r.method === 'GET') {
                const what = `${r.method} ${path} answered ${res.status} and changed the stored state`;
                expect(after.rest, what).toBe(before.rest);
                expect(after.auditSince.addedOk, `${what}: audited it as done`).toBe(0);
                if (!before.busy && !after.busy) {
                  expect(after.background, what).toBe(before.background);
                  expect(after.auditSince.added, `${what}: audited more than its refusal`).toBeLessThanOrEqual(1);
                }
              }
              before = after;
            },
          ),
          { numRuns: r.method === 'GET' ? GET_RUNS : RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261122) },
        );
        expect(await auditHash(t.runtime.db, audited.max), 'the audit rows a run started with were rewritten').toBe(audited.hash);
        // A guarded route refuses what it must (no route lets anything through).
        if (r.action) expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
      });
    }
  });
}
