import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLError } from 'graphql';
import { actualQueryCost, requestedQueryCost } from '../../lib/shopify/cost';
import type { EmulatorContext } from './context';
import type { AdminGraphQL } from './graphql';
import { readBody, sendJson } from './http';
import type { EmulatorFaults } from './options';
import { MAX_SINGLE_QUERY_COST, type ThrottleBuckets, type ThrottleStatus } from './throttle';

export interface AdminEndpointDeps {
  graphql: AdminGraphQL;
  buckets: ThrottleBuckets;
  faults(): EmulatorFaults;
  /** Who an access token belongs to; undefined for one the shop does not know. */
  actorOf(token: string): 'app' | 'merchant' | undefined;
  contextFor(token: string, actor: 'app' | 'merchant'): EmulatorContext;
}

type GraphQLRequest = { query: string; variables: Record<string, unknown>; operationName: string | null };

function graphqlError(e: GraphQLError | { message: string; extensions?: unknown; path?: unknown; locations?: unknown }) {
  const err = e as GraphQLError;
  return {
    message: err.message,
    ...(err.locations ? { locations: err.locations } : {}),
    ...(err.path ? { path: err.path } : {}),
    ...(err.extensions && Object.keys(err.extensions).length ? { extensions: err.extensions } : {}),
  };
}

function costOf(requestedQueryCost: number, actualQueryCost: number | null, throttleStatus: ThrottleStatus) {
  return { cost: { requestedQueryCost, actualQueryCost, throttleStatus } };
}

function maxCostExceeded(requested: number) {
  return {
    message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).

See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the
cost of a query is calculated.

To query larger amounts of data with fewer limits, bulk operations should be used instead.
See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.
`,
    extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: MAX_SINGLE_QUERY_COST },
  };
}

/** The fault knobs: added latency, then a request left unanswered or answered 5xx; true when it was answered so. */
async function injectFault(req: IncomingMessage, res: ServerResponse, faults: EmulatorFaults): Promise<boolean> {
  if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
  if (faults.timeoutRate > 0 && Math.random() < faults.timeoutRate) {
    setTimeout(() => req.socket.destroy(), faults.timeoutMs).unref();
    return true;
  }
  if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
    const status = [500, 502, 503][Math.floor(Math.random() * 3)]!;
    const unavailable = status === 503;
    sendJson(
      res,
      status,
      { errors: unavailable ? 'Service Unavailable' : 'Internal Server Error' },
      unavailable ? { 'retry-after': '1' } : {},
    );
    return true;
  }
  return false;
}

/** The JSON body of a GraphQL request; undefined once a 400 has been answered. */
async function readRequest(req: IncomingMessage, res: ServerResponse): Promise<GraphQLRequest | undefined> {
  let body: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    body = JSON.parse((await readBody(req, 10 * 1024 * 1024)).toString('utf8')) as typeof body;
  } catch {
    sendJson(res, 400, { errors: 'Bad Request: the body is not valid JSON' });
    return undefined;
  }
  if (typeof body?.query !== 'string') {
    sendJson(res, 400, { errors: { query: 'Required parameter missing or invalid' } });
    return undefined;
  }
  return {
    query: body.query,
    variables: (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>,
    operationName: typeof body.operationName === 'string' ? body.operationName : null,
  };
}

/**
 * POST /admin/api/{version}/graphql.json as Shopify answers it: the access token, the fault knobs,
 * validation against the real schema, the requested cost taken from the token's bucket up front
 * (MAX_COST_EXCEEDED, THROTTLED at HTTP 200), execution, and the difference to the actual cost refunded.
 */
export function adminEndpoint(deps: AdminEndpointDeps) {
  const { graphql } = deps;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const token = req.headers['x-shopify-access-token'];
    const actor = typeof token === 'string' ? deps.actorOf(token) : undefined;
    if (!actor || typeof token !== 'string') {
      sendJson(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      return;
    }
    if (await injectFault(req, res, deps.faults())) return;
    const request = await readRequest(req, res);
    if (!request) return;
    const { variables, operationName } = request;
    const prepared = graphql.prepare(request.query, operationName);
    const bucket = deps.buckets.of(token);
    if (!prepared.document) {
      const errors = prepared.errors!.map((e) => ({
        ...graphqlError(e),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...(e.extensions ?? {}) },
      }));
      return sendJson(res, 200, { errors, extensions: costOf(0, 0, bucket.status()) });
    }
    const requested = requestedQueryCost(graphql.schema, prepared.document, variables, operationName);
    if (requested > MAX_SINGLE_QUERY_COST)
      return sendJson(res, 200, { errors: [maxCostExceeded(requested)], extensions: costOf(requested, null, bucket.status()) });
    if (!bucket.take(requested)) {
      const throttled = {
        message: 'Throttled',
        extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
      };
      return sendJson(res, 200, { errors: [throttled], extensions: costOf(requested, null, bucket.status()) });
    }
    const result = graphql.run(prepared.document, variables, deps.contextFor(token, actor), operationName);
    const data = result.data as Record<string, unknown>;
    const actual = Math.min(requested, actualQueryCost(graphql.schema, prepared.document, data, variables, operationName));
    bucket.refund(requested - actual);
    sendJson(res, 200, {
      ...(result.errors ? { errors: result.errors.map(graphqlError) } : {}),
      ...(result.data !== undefined ? { data: result.data } : {}),
      extensions: costOf(requested, actual, bucket.status()),
    });
  };
}
