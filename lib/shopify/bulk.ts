import type { ShopifyTransport } from './client';
import {
  buildBulkCatalogQuery,
  bulkCollectionsQuery,
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
import { getLocations } from './reads';
import {
  addVariants,
  type RawCollection,
  type RawInventoryLevel,
  type RawProduct,
  type RawVariant,
  reshapeCollection,
  reshapeProduct,
} from './reshape';
import type { ShopifyCollection, ShopifyProduct } from './types';
import { type VariantUpdate, variantInput } from './writes';

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

/**
 * Reads a JSONL file from `url` and parses it per network chunk: each batch holds the complete
 * lines of one chunk (a line cut by the chunk boundary waits for the next). Memory stays bounded
 * whatever the file's size, and the consumer pays one await per chunk rather than per line.
 */
export async function* streamJsonlBatches<T = Record<string, unknown>>(
  t: ShopifyTransport,
  url: string,
  signal?: AbortSignal,
): AsyncGenerator<T[]> {
  const response = await t.fetch(url, signal ? { signal } : {});
  if (!response.ok || !response.body) {
    throw new ShopifyRequestError(`bulk result download failed (HTTP ${response.status})`, {
      status: response.status,
      retryable: response.status >= 500,
    });
  }
  const decoder = new TextDecoder();
  let partial = '';
  const parse = (text: string, batch: T[]) => {
    for (const line of text.split('\n')) if (line.trim() !== '') batch.push(JSON.parse(line) as T);
  };
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const text = partial + decoder.decode(chunk, { stream: true });
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      partial = text;
      continue;
    }
    partial = text.slice(end + 1);
    const batch: T[] = [];
    parse(text.slice(0, end), batch);
    if (batch.length) yield batch;
  }
  const batch: T[] = [];
  parse(partial + decoder.decode(), batch);
  if (batch.length) yield batch;
}

/** Reads a JSONL file from `url` one line at a time: memory stays bounded whatever the file's size. */
async function* streamJsonl<T = Record<string, unknown>>(t: ShopifyTransport, url: string, signal?: AbortSignal): AsyncGenerator<T> {
  for await (const batch of streamJsonlBatches<T>(t, url, signal)) yield* batch;
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

type BulkLine = { id: string; __parentId?: string } & Record<string, unknown>;

const gidType = (id: string) => /^gid:\/\/shopify\/(\w+)\//.exec(id)?.[1];

/**
 * The catalog as domain products, in batches (one per network chunk of the result): each product
 * complete with all its variants, their inventory at every location and its collection ids.
 * Relies on groupObjects (children follow their parent): a product whose lines run past the end
 * of a chunk is held back until the next one, so only one chunk's products are in memory.
 * `search` narrows the products (the incremental pull's updated_at filter).
 */
export async function* streamBulkCatalogBatches(
  t: ShopifyTransport,
  options: BulkRunOptions & { search?: string } = {},
): AsyncGenerator<ShopifyProduct[]> {
  const locations = await getLocations(t);
  const query = buildBulkCatalogQuery(
    locations.map((l) => l.id),
    options.search,
  );
  /** The product being read, and its variants' lines so far. */
  let current: { product: ShopifyProduct; variants: RawVariant[] } | undefined;
  for await (const lines of runBulkQueryBatches<BulkLine>(t, query, { ...options, groupObjects: true })) {
    const products: ShopifyProduct[] = [];
    for (const line of lines) {
      const type = gidType(line.id);
      if (type === 'Product') {
        if (current) products.push(finish(current));
        current = { product: reshapeProduct(line as unknown as RawProduct), variants: [] };
        continue;
      }
      if (!current) throw new ShopifyBulkOperationError(`bulk line ${line.id} came before any product`);
      if (type === 'ProductVariant') {
        expectParent(line, current.product.id);
        current.variants.push(withLevels(line as unknown as BulkVariant));
      } else if (type === 'Collection') {
        expectParent(line, current.product.id);
        current.product.collectionIds.push(line.id);
      }
    }
    if (products.length) yield products;
  }
  if (current) yield [finish(current)];
}

/** The catalog as domain products, one at a time (see streamBulkCatalogBatches). */
export async function* streamBulkCatalog(t: ShopifyTransport, options: BulkRunOptions = {}): AsyncGenerator<ShopifyProduct> {
  for await (const batch of streamBulkCatalogBatches(t, options)) yield* batch;
}

type BulkVariant = RawVariant & { inventoryItem: RawVariant['inventoryItem'] & Record<string, unknown> };

/** Gathers the per-location aliases (level_0, level_1...) into the inventoryLevels the reshape expects. */
function withLevels(raw: BulkVariant): RawVariant {
  const levels = Object.entries(raw.inventoryItem)
    .filter(([key, value]) => key.startsWith('level_') && value)
    .map(([, value]) => ({ node: value as RawInventoryLevel }));
  return {
    ...raw,
    inventoryItem: {
      id: raw.inventoryItem.id,
      tracked: raw.inventoryItem.tracked,
      unitCost: raw.inventoryItem.unitCost,
      inventoryLevels: { edges: levels },
    },
  };
}

export async function* streamBulkCollectionsBatches(
  t: ShopifyTransport,
  options: BulkRunOptions = {},
): AsyncGenerator<ShopifyCollection[]> {
  for await (const lines of runBulkQueryBatches<RawCollection>(t, bulkCollectionsQuery, options)) yield lines.map(reshapeCollection);
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

function expectParent(line: BulkLine, productId: string): void {
  if (line.__parentId !== productId) {
    throw new ShopifyBulkOperationError(
      `bulk line ${line.id} belongs to ${line.__parentId}, not to the product being read (${productId}): results are not grouped`,
    );
  }
}

function finish({ product, variants }: { product: ShopifyProduct; variants: RawVariant[] }): ShopifyProduct {
  addVariants(product, variants);
  return product;
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
