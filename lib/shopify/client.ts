import { type AdminApiClient, createAdminApiClient } from '@shopify/admin-api-client';
import { type RetryPolicy, withRetries } from '../retry';
import { type GraphQLErrorEntry, type ShopifyError, ShopifyGraphQLError, ShopifyRequestError } from './errors';
import { estimateQueryCost } from './estimate';
import { type QueryCost, ThrottleBucket } from './throttle';

export const DEFAULT_API_VERSION = '2026-10';

export interface ShopifyLogger {
  debug?(obj: object, msg?: string): void;
  warn?(obj: object, msg?: string): void;
}

export interface ShopifyClientOptions {
  /** my-store.myshopify.com */
  shopDomain: string;
  accessToken: string;
  apiVersion?: string;
  /**
   * Endpoint override (SHOPIFY_ADMIN_URL), e.g. the emulator: either the full
   * `.../admin/api/<version>/graphql.json` URL or a base URL it is appended to. Unset: Shopify itself.
   */
  adminUrl?: string;
  /** One bucket per store and token; share it between every client of that token. */
  bucket?: ThrottleBucket;
  /** The bucket's lane (kind of work) this client's requests draw their share from. */
  lane?: string;
  logger?: ShopifyLogger;
  requestTimeoutMs?: number;
  /** Retries after 5xx, timeouts and network errors (THROTTLED waits do not count). */
  maxRetries?: number;
  /** First backoff delay; the delay doubles per retry, with full jitter. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /**
   * false: a mutation is sent once per call (THROTTLED and 429 are still waited out: Shopify ran
   * nothing). For a caller that retries its writes itself, re-reading before each, so the two
   * retries do not multiply. Queries are retried either way.
   */
  retryMutations?: boolean;
}

export interface RequestOptions {
  /** Requested cost to reserve before sending; by default estimated, then learned from Shopify's answers. */
  estimatedCost?: number;
  signal?: AbortSignal;
}

export interface ShopifyResponse<T> {
  data: T;
  cost: QueryCost | undefined;
}

export type AdminRequest = <T = Record<string, unknown>>(
  document: string,
  variables?: Record<string, unknown>,
  options?: RequestOptions,
) => Promise<ShopifyResponse<T>>;

export interface ShopifyTransport {
  request: AdminRequest;
  bucket: ThrottleBucket;
  shopDomain: string;
  apiVersion: string;
  /** The GraphQL endpoint requests go to. */
  endpoint: string;
  /** Plain fetch for bulk result files and staged uploads (not Shopify's API, so not throttled). */
  fetch: typeof fetch;
  /** The requested cost the client expects for a document and variables (static estimate, corrected by Shopify's answers). */
  estimateCost(document: string, variables?: Record<string, unknown>): number;
  /** The points the client expects Shopify to charge in the end (the actual cost; the static estimate until an answer tells). */
  estimateActualCost(document: string, variables?: Record<string, unknown>): number;
}

interface AttemptResult<T> {
  data: T;
  extensions?: { cost?: QueryCost };
}

/** Resolves the endpoint override to the GraphQL URL for `apiVersion`. */
export function adminEndpoint(shopDomain: string, apiVersion: string, adminUrl?: string): string {
  if (!adminUrl) return `https://${shopDomain}/admin/api/${apiVersion}/graphql.json`;
  if (/\/graphql\.json$/.test(adminUrl)) return adminUrl;
  return `${adminUrl.replace(/\/+$/, '')}/admin/api/${apiVersion}/graphql.json`;
}

/**
 * The one chokepoint for Shopify's Admin GraphQL API: cost-aware waiting on the shared bucket,
 * THROTTLED and 429 waited out, 5xx / timeouts / network errors retried with full-jitter backoff.
 */
export function createTransport(options: ShopifyClientOptions): ShopifyTransport {
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  const endpoint = adminEndpoint(options.shopDomain, apiVersion, options.adminUrl);
  const bucket = options.bucket ?? new ThrottleBucket();
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 5;
  const logger = options.logger;
  const api: AdminApiClient = createAdminApiClient({
    storeDomain: options.shopDomain,
    apiVersion,
    accessToken: options.accessToken,
    retries: 0,
    ...(options.adminUrl ? { customFetchApi: (_url: string, init?: RequestInit) => fetch(endpoint, init) } : {}),
  });
  /** requested / estimated, per document: corrects the static estimate once Shopify has priced the document. */
  const costRatio = new Map<string, number>();
  /** actual / estimated, per document: what a request ends up costing once the unreturned nodes are refunded. */
  const actualRatio = new Map<string, number>();

  /**
   * The static estimate corrected by what Shopify charged for the same document. A ratio below 1
   * (Shopify charged less than the guess) holds only for the same sizes (page sizes, number of ids):
   * a nodes(ids:) read of 50 ids priced low says nothing of one id with 50 variants, so other sizes
   * of the document take only a ratio above 1.
   */
  const estimate = (document: string, variables: Record<string, unknown> | undefined, given?: number) => {
    if (given !== undefined) return given;
    const base = estimateQueryCost(document, variables);
    const ratio = costRatio.get(shapeOf(document, variables)) ?? Math.max(1, costRatio.get(document) ?? 1);
    return Math.ceil(base * ratio);
  };
  const learn = (document: string, variables: Record<string, unknown> | undefined, cost: QueryCost | undefined) => {
    if (!cost?.requestedQueryCost) return;
    const base = estimateQueryCost(document, variables);
    costRatio.set(document, cost.requestedQueryCost / base);
    costRatio.set(shapeOf(document, variables), cost.requestedQueryCost / base);
    if (cost.actualQueryCost != null) actualRatio.set(document, cost.actualQueryCost / base);
  };

  async function attempt<T>(
    document: string,
    variables: Record<string, unknown> | undefined,
    opts: RequestOptions,
  ): Promise<AttemptResult<T>> {
    for (;;) {
      const taken = await bucket.acquire(() => estimate(document, variables, opts.estimatedCost), options.lane);
      const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      const sentAt = Date.now();
      const res = await api.request<T>(document, { variables, signal });
      bucket.noteLatency(Date.now() - sentAt);
      const cost = (res.extensions as { cost?: QueryCost } | undefined)?.cost;
      const errors = res.errors;
      if (!errors) {
        bucket.settle(taken, cost);
        learn(document, variables, cost);
        return { data: res.data as T, extensions: { cost } };
      }
      const httpStatus = errors.networkStatusCode;
      const graphQLErrors = (errors.graphQLErrors ?? []) as GraphQLErrorEntry[];
      if (graphQLErrors.some((e) => e.extensions?.code === 'THROTTLED')) {
        learn(document, variables, cost);
        const status = cost?.throttleStatus;
        if (status && cost.requestedQueryCost && cost.requestedQueryCost > status.maximumAvailable) {
          bucket.release(taken);
          throw new ShopifyGraphQLError(
            `${operationName(document)} requests ${cost.requestedQueryCost} points ` +
              `but the bucket holds at most ${status.maximumAvailable}: ask for fewer items`,
            graphQLErrors,
            operationName(document),
          );
        }
        bucket.throttled(taken, cost?.throttleStatus);
        logger?.debug?.(
          { requested: cost?.requestedQueryCost, available: cost?.throttleStatus?.currentlyAvailable },
          'shopify: throttled, waiting',
        );
        continue;
      }
      if (httpStatus === 429) {
        const retryAfter = Number(errors.response?.headers.get('retry-after'));
        await errors.response?.body?.cancel().catch(() => undefined);
        bucket.pause(taken, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000);
        continue;
      }
      if (opts.signal?.aborted) {
        bucket.release(taken);
        throw new ShopifyRequestError('Shopify request cancelled', { retryable: false, cause: opts.signal.reason });
      }
      if (graphQLErrors.length > 0) {
        bucket.settle(taken, cost);
        throw new ShopifyGraphQLError(graphQLErrors.map((e) => e.message).join('; '), graphQLErrors, operationName(document));
      }
      // An HTTP error answer was not charged; a lost answer (timeout, reset) may have been: keep those points spent.
      if (httpStatus !== undefined) bucket.release(taken);
      else bucket.settle(taken, undefined);
      throw await requestError(errors.message ?? 'request failed', httpStatus, errors.response, operationName(document));
    }
  }

  const retry: RetryPolicy = {
    attempts: maxRetries + 1,
    baseMs: options.retryBaseDelayMs ?? 500,
    capMs: options.retryMaxDelayMs ?? 30_000,
  };
  const once: RetryPolicy = { ...retry, attempts: 1 };
  const request: AdminRequest = async <T>(document: string, variables?: Record<string, unknown>, opts: RequestOptions = {}) => {
    const policy = options.retryMutations === false && isMutation(document) ? once : retry;
    const result = await withRetries(() => attempt<T>(document, variables, opts), policy, {
      retryable: (error) => error instanceof ShopifyRequestError && error.retryable,
      signal: opts.signal,
      onRetry: (error, failed) => {
        bucket.noteRetry();
        const { message, status } = error as ShopifyRequestError;
        logger?.warn?.({ err: message, status, attempt: failed, operation: operationName(document) }, 'shopify: retrying');
      },
    });
    return { data: result.data, cost: result.extensions?.cost };
  };

  return {
    request,
    bucket,
    shopDomain: options.shopDomain,
    apiVersion,
    endpoint,
    fetch: globalThis.fetch.bind(globalThis),
    estimateCost: (document, variables) => estimate(document, variables),
    estimateActualCost: (document, variables) => Math.ceil(estimateQueryCost(document, variables) * (actualRatio.get(document) ?? 1)),
  };
}

/** A document with the sizes its cost depends on: numbers (page sizes) and list lengths (ids). */
function shapeOf(document: string, variables: Record<string, unknown> | undefined): string {
  const sizes = Object.entries(variables ?? {})
    .map(([k, v]) => (typeof v === 'number' ? `${k}=${v}` : Array.isArray(v) ? `${k}#${v.length}` : ''))
    .filter(Boolean);
  return `${document}\u0000${sizes.join(',')}`;
}

async function requestError(
  message: string,
  status: number | undefined,
  response: Response | undefined,
  operation: string,
): Promise<ShopifyError> {
  let detail = '';
  if (response && !response.bodyUsed) detail = await response.text().catch(() => '');
  if (status !== undefined && status >= 400 && status < 500) {
    // Some endpoints answer a bad document with HTTP 400 and GraphQL errors in the body.
    const body = parseJson(detail) as { errors?: GraphQLErrorEntry[] | string } | undefined;
    if (Array.isArray(body?.errors) && body.errors.length > 0) {
      return new ShopifyGraphQLError(body.errors.map((e) => e.message).join('; '), body.errors, operation);
    }
  }
  const retryable = status === undefined || status >= 500 || status === 408;
  const said = message.replace(/^GraphQL Client: /, '');
  const text = `Shopify request failed${status ? ` (HTTP ${status})` : ''}: ${said}${detail ? ` - ${detail.slice(0, 300)}` : ''}`;
  return new ShopifyRequestError(text, { status, retryable });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isMutation(document: string): boolean {
  return /^\s*mutation\b/.test(document);
}

export function operationName(document: string): string {
  return /\b(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? 'anonymous';
}
