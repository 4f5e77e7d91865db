/**
 * Typed calls to the HTTP API for the dashboard: each parses its response with the schemas
 * beside it, so pages never see an unexpected shape.
 */
import type { z } from 'zod';
import { api, ApiError, type ApiOptions, qs } from '../api-client';
import * as s from './schemas';

async function call<S extends z.ZodType>(schema: S, path: string, options?: ApiOptions): Promise<z.infer<S>> {
  const data = await api<unknown>(path, options);
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ApiError(500, 'bad_response', `The server answered ${path} with an unexpected shape`, parsed.error.issues);
  return parsed.data;
}

export interface StagedFilter {
  status?: string;
  kind?: string;
  entity?: string;
  field?: string;
  vendor?: string;
  productType?: string;
  q?: string;
  productId?: string;
}

/** The filter without empty values: what goes on the query string and in a bulk `{filter}`. */
export function cleanFilter(filter: StagedFilter): StagedFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== null && v !== '')) as StagedFilter;
}

export const dashboardApi = {
  listStaged: (filter: StagedFilter, page: { cursor?: string | null; limit?: number } = {}, signal?: AbortSignal) =>
    call(s.stagedListSchema, `/api/sync/staged${qs({ ...cleanFilter(filter), cursor: page.cursor ?? undefined, limit: page.limit ?? 100 })}`, { signal }),
  getStaged: (id: string) => call(s.stagedChangeDetailSchema, `/api/sync/staged/${encodeURIComponent(id)}`),
  approve: (id: string, body: { fields?: string[]; resolution?: Record<string, unknown> } = {}) =>
    api<unknown>(`/api/sync/staged/${encodeURIComponent(id)}/approve`, { method: 'POST', body }),
  reject: (id: string, reason?: string) => api<unknown>(`/api/sync/staged/${encodeURIComponent(id)}/reject`, { method: 'POST', body: reason ? { reason } : {} }),
  unapprove: (id: string) => api<unknown>(`/api/sync/staged/${encodeURIComponent(id)}/unapprove`, { method: 'POST', body: {} }),
  bulk: (action: 'approve' | 'reject', target: { ids: string[] } | { filter: StagedFilter }) =>
    call(s.countResultSchema, `/api/sync/staged/bulk-${action}`, { method: 'POST', body: 'filter' in target ? { filter: cleanFilter(target.filter) } : target }),

  /** Uploads a CSV: a preview (commit false) or the import itself (commit true), with an optional column mapping. */
  importCsv: (file: File, options: { mapping?: Record<string, string>; keyColumn?: string; commit: boolean }) => {
    const form = new FormData();
    form.set('file', file);
    form.set('commit', String(options.commit));
    if (options.mapping) form.set('mapping', JSON.stringify(options.mapping));
    if (options.keyColumn) form.set('keyColumn', options.keyColumn);
    return call(s.importResultSchema, '/api/imports', { method: 'POST', rawBody: form });
  },

  listOperations: (params: { kind?: string; status?: string; limit?: number } = {}) => call(s.operationListSchema, `/api/operations${qs(params)}`),
  getOperation: (id: string) => call(s.operationSchema, `/api/operations/${encodeURIComponent(id)}`),
  cancelOperation: (id: string) => api<unknown>(`/api/operations/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: {} }),
  push: (priority?: string) => call(s.startedSchema, '/api/sync/shopify/push', { method: 'POST', body: priority ? { priority } : {} }),
  pull: (mode: 'full' | 'incremental') => call(s.startedSchema, '/api/sync/shopify/pull', { method: 'POST', body: { mode } }),

  listBatches: (params: { cursor?: string | null; limit?: number } = {}) => call(s.batchListSchema, `/api/sync/batches${qs({ cursor: params.cursor ?? undefined, limit: params.limit })}`),
  getBatch: (id: string) => call(s.batchDetailSchema, `/api/sync/batches/${encodeURIComponent(id)}`),
  failedCsvUrl: (id: string) => `/api/sync/batches/${encodeURIComponent(id)}/items.csv?status=failed`,
  rollbackPreview: (id: string, itemIds?: string[]) =>
    call(s.rollbackPreviewSchema, `/api/sync/rollback/${encodeURIComponent(id)}/preview${qs({ itemIds: itemIds?.join(',') })}`),
  rollback: (id: string, itemIds?: string[]) => call(s.startedSchema, `/api/sync/rollback/${encodeURIComponent(id)}`, { method: 'POST', body: itemIds?.length ? { itemIds } : {} }),

  listProducts: (params: { q?: string; status?: string; syncStatus?: string; cursor?: string | null; limit?: number }) =>
    call(s.productListSchema, `/api/products${qs({ ...params, cursor: params.cursor ?? undefined })}`),
  updateProduct: (id: string, body: Record<string, unknown>) => api<unknown>(`/api/products/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  listCollections: (params: { q?: string } = {}) => call(s.collectionListSchema, `/api/collections${qs(params)}`),
  collectionProducts: (id: string) => call(s.collectionMembersSchema, `/api/collections/${encodeURIComponent(id)}/products`),

  listRules: () => call(s.ruleListSchema, '/api/sync/auto-approval-rules'),
  createRule: (body: { name: string; enabled: boolean; condition: z.infer<typeof s.ruleConditionSchema> }) =>
    call(s.ruleSchema, '/api/sync/auto-approval-rules', { method: 'POST', body }),
  updateRule: (id: string, body: Partial<{ name: string; enabled: boolean; condition: z.infer<typeof s.ruleConditionSchema> }>) =>
    call(s.ruleSchema, `/api/sync/auto-approval-rules/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  deleteRule: (id: string) => api<unknown>(`/api/sync/auto-approval-rules/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};

/** A short message for an error thrown by the API helpers. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong';
}
