import type { ShopifyTransport } from './client';
import {
  bulkOperationCancelMutation,
  bulkOperationQuery,
  bulkOperationRunMutationMutation,
  bulkOperationRunQueryMutation,
  productVariantsBulkUpdateMutation,
  stagedUploadsCreateMutation,
} from './documents';
import {
  assertNoUserErrors,
  ShopifyBulkOperationError,
  ShopifyRequestError,
  type ShopifyUserError,
  type ShopifyUserErrorEntry,
} from './errors';
import { streamJsonl, streamJsonlBatches } from './jsonl';
import { type VariantUpdate, variantInput } from './writes';

/**
 * Shopify's bulk operations: start one (a query, or a mutation over uploaded JSONL variables),
 * poll it to its end, and read its result file. What the lines mean is the caller's (bulk-catalog.ts).
 */

export type BulkOperationStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'EXPIRED';

export interface BulkOperation {
  id: string;
  status: BulkOperationStatus;
  type: 'QUERY' | 'MUTATION';
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface BulkRunOptions {
  /** Between status polls; grows by half up to maxPollIntervalMs. */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  signal?: AbortSignal;
  /** Called after every poll, for progress (objectCount). */
  onProgress?: (operation: BulkOperation) => void;
}

type BulkPayload = { bulkOperation: BulkOperation | null; userErrors: Array<Partial<ShopifyUserErrorEntry>> };

const FINAL: ReadonlySet<BulkOperationStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'EXPIRED']);

function started(operation: string, payload: BulkPayload): BulkOperation {
  if (payload.userErrors.length > 0) {
    try {
      assertNoUserErrors(operation, payload);
    } catch (error) {
      const userErrors = (error as ShopifyUserError).userErrors;
      throw new ShopifyBulkOperationError(`${operation} refused: ${userErrors.map((e) => e.message).join('; ')}`, { userErrors });
    }
  }
  if (!payload.bulkOperation) throw new ShopifyBulkOperationError(`${operation} returned no bulk operation`);
  return payload.bulkOperation;
}

async function startBulkQuery(t: ShopifyTransport, query: string, groupObjects = true): Promise<BulkOperation> {
  const { data } = await t.request<{ bulkOperationRunQuery: BulkPayload }>(bulkOperationRunQueryMutation, { query, groupObjects });
  return started('bulkOperationRunQuery', data.bulkOperationRunQuery);
}

async function getBulkOperation(t: ShopifyTransport, id: string): Promise<BulkOperation | null> {
  const { data } = await t.request<{ bulkOperation: BulkOperation | null }>(bulkOperationQuery, { id });
  return data.bulkOperation;
}

async function cancelBulkOperation(t: ShopifyTransport, id: string): Promise<void> {
  const { data } = await t.request<{ bulkOperationCancel: { userErrors: Array<Partial<ShopifyUserErrorEntry>> } }>(
    bulkOperationCancelMutation,
    { id },
  );
  assertNoUserErrors('bulkOperationCancel', data.bulkOperationCancel);
}

/** Polls until the operation ends; COMPLETED returns it, any other end throws ShopifyBulkOperationError. */
async function waitForBulkOperation(t: ShopifyTransport, id: string, options: BulkRunOptions = {}): Promise<BulkOperation> {
  let interval = options.pollIntervalMs ?? 1000;
  const maxInterval = options.maxPollIntervalMs ?? 10_000;
  for (;;) {
    if (options.signal?.aborted) {
      await cancelBulkOperation(t, id).catch(() => undefined);
      throw new ShopifyBulkOperationError('bulk operation cancelled by the caller', { operationId: id, status: 'CANCELING' });
    }
    const operation = await getBulkOperation(t, id);
    if (!operation) throw new ShopifyBulkOperationError(`bulk operation ${id} not found`, { operationId: id });
    options.onProgress?.(operation);
    if (FINAL.has(operation.status)) {
      if (operation.status === 'COMPLETED') return operation;
      throw new ShopifyBulkOperationError(
        `bulk operation ${operation.status.toLowerCase()}${operation.errorCode ? ` (${operation.errorCode})` : ''}`,
        {
          operationId: id,
          status: operation.status,
          errorCode: operation.errorCode,
        },
      );
    }
    await sleep(interval, options.signal);
    interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
  }
}

/** Starts a bulk query, waits for it and streams its JSONL lines in batches (children carry __parentId). */
export async function* runBulkQueryBatches<T = Record<string, unknown>>(
  t: ShopifyTransport,
  query: string,
  options: BulkRunOptions & { groupObjects?: boolean } = {},
): AsyncGenerator<T[]> {
  const operation = await startBulkQuery(t, query, options.groupObjects ?? true);
  const done = await waitForBulkOperation(t, operation.id, options);
  if (!done.url) return;
  yield* streamJsonlBatches<T>(t, done.url, options.signal);
}

/**
 * productVariantsBulkUpdate for many products in one bulk mutation (a push batch over the bulk
 * threshold). The answer is per line, in input order: the line's userErrors and GraphQL errors
 * (empty when it was applied), or null when Shopify gave the line no answer.
 */
export async function bulkUpdateVariants(
  t: ShopifyTransport,
  lines: ReadonlyArray<{ productId: string; variants: readonly VariantUpdate[] }>,
  options: BulkRunOptions & { clientIdentifier?: string } = {},
): Promise<Array<Array<Partial<ShopifyUserErrorEntry> & { message: string }> | null>> {
  const result = await runBulkMutation(
    t,
    productVariantsBulkUpdateMutation,
    lines.map((l) => ({ productId: l.productId, variants: l.variants.map(variantInput), allowPartialUpdates: false })),
    options,
  );
  return result.results.map((r) => (r ? [...r.userErrors, ...r.errors.map((e) => ({ message: e.message }))] : null));
}

interface BulkMutationLineResult<T = Record<string, unknown>> {
  /** 0-based index into the lines given to runBulkMutation. */
  lineNumber: number;
  /** The mutation's payload (the value of its single root field), null when the line failed outright. */
  payload: T | null;
  userErrors: ShopifyUserErrorEntry[];
  errors: Array<{ message: string }>;
}

interface BulkMutationResult<T> {
  operation: BulkOperation;
  /** Indexed by line number; null for a line Shopify did not answer. */
  results: Array<BulkMutationLineResult<T> | null>;
}

/**
 * stagedUploadsCreate -> multipart upload of the JSONL variables -> bulkOperationRunMutation ->
 * wait -> results mapped back to their input line by __lineNumber.
 */
async function runBulkMutation<T = Record<string, unknown>>(
  t: ShopifyTransport,
  mutation: string,
  lines: ReadonlyArray<Record<string, unknown>>,
  options: BulkRunOptions & { clientIdentifier?: string } = {},
): Promise<BulkMutationResult<T>> {
  const stagedUploadPath = await uploadJsonl(t, lines);
  const { data } = await t.request<{ bulkOperationRunMutation: BulkPayload }>(bulkOperationRunMutationMutation, {
    mutation,
    stagedUploadPath,
    clientIdentifier: options.clientIdentifier ?? null,
  });
  const operation = await waitForBulkOperation(t, started('bulkOperationRunMutation', data.bulkOperationRunMutation).id, options);
  const results: Array<BulkMutationLineResult<T> | null> = lines.map(() => null);
  if (operation.url) {
    type Line = { __lineNumber: number; data?: Record<string, unknown> | null; errors?: Array<{ message: string }> };
    for await (const line of streamJsonl<Line>(t, operation.url, options.signal)) {
      const payload = (line.data ? Object.values(line.data)[0] : null) as
        | (T & { userErrors?: Array<Partial<ShopifyUserErrorEntry>> })
        | null;
      const userErrors = (payload?.userErrors ?? []).map((e) => ({
        field: e.field ?? null,
        code: e.code ?? null,
        message: e.message ?? 'unknown error',
      }));
      if (line.__lineNumber >= 0 && line.__lineNumber < results.length) {
        results[line.__lineNumber] = { lineNumber: line.__lineNumber, payload, userErrors, errors: line.errors ?? [] };
      }
    }
  }
  return { operation, results };
}

async function uploadJsonl(t: ShopifyTransport, lines: ReadonlyArray<Record<string, unknown>>): Promise<string> {
  const { data } = await t.request<{
    stagedUploadsCreate: {
      stagedTargets: Array<{ url: string; parameters: Array<{ name: string; value: string }> }> | null;
      userErrors: Array<Partial<ShopifyUserErrorEntry>>;
    };
  }>(stagedUploadsCreateMutation, {
    input: [{ resource: 'BULK_MUTATION_VARIABLES', filename: 'bulk-mutation.jsonl', mimeType: 'text/jsonl', httpMethod: 'POST' }],
  });
  assertNoUserErrors('stagedUploadsCreate', data.stagedUploadsCreate);
  const target = data.stagedUploadsCreate.stagedTargets?.[0];
  const key = target?.parameters.find((p) => p.name === 'key')?.value;
  if (!target || !key) throw new ShopifyBulkOperationError('stagedUploadsCreate returned no upload target with a key');
  const form = new FormData();
  for (const p of target.parameters) form.append(p.name, p.value);
  form.append('file', new Blob([`${lines.map((l) => JSON.stringify(l)).join('\n')}\n`], { type: 'text/jsonl' }), 'bulk-mutation.jsonl');
  const response = await t.fetch(target.url, { method: 'POST', body: form });
  if (!response.ok) {
    throw new ShopifyRequestError(`staged upload failed (HTTP ${response.status})`, {
      status: response.status,
      retryable: response.status >= 500,
    });
  }
  await response.body?.cancel().catch(() => undefined);
  return key;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
