/**
 * Typed calls to the HTTP API for the dashboard: each parses its response with the schemas
 * beside it, so pages never see an unexpected shape.
 */
import type { z } from 'zod';
import { ApiError, type ApiOptions, api, qs, scopedStoreId } from '../api-client';
import type { OwnershipRuleInput } from '../sync/ownership';
import type { StagedFilterInput } from '../sync/staged-filter';
import * as s from './schemas';

async function call<S extends z.ZodType>(schema: S, path: string, options?: ApiOptions): Promise<z.infer<S>> {
  const data = await api<unknown>(path, options);
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ApiError(500, 'bad_response', `The server answered ${path} with an unexpected shape`, parsed.error.issues);
  return parsed.data;
}

/** The staged-change filter as the list and the bulk endpoints read it (lib/sync/staged-filter.ts). */
export type StagedFilter = StagedFilterInput;

/** The filter without empty values: what goes on the query string and in a bulk `{filter}`. */
export function cleanFilter(filter: StagedFilter): StagedFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== null && v !== '')) as StagedFilter;
}

export const dashboardApi = {
  listStaged: (filter: StagedFilter, page: { cursor?: string | null; limit?: number } = {}, signal?: AbortSignal) =>
    call(
      s.stagedListSchema,
      `/api/sync/staged${qs({ ...cleanFilter(filter), cursor: page.cursor ?? undefined, limit: page.limit ?? 100 })}`,
      { signal },
    ),
  getStaged: (id: string) => call(s.stagedChangeDetailSchema, `/api/sync/staged/${encodeURIComponent(id)}`),
  approve: (id: string, body: { fields?: string[]; resolution?: Record<string, unknown> } = {}) =>
    api<unknown>(`/api/sync/staged/${encodeURIComponent(id)}/approve`, { method: 'POST', body }),
  reject: (id: string, reason?: string) =>
    api<unknown>(`/api/sync/staged/${encodeURIComponent(id)}/reject`, { method: 'POST', body: reason ? { reason } : {} }),
  retry: (id: string) => api<unknown>(`/api/sync/staged/${encodeURIComponent(id)}/retry`, { method: 'POST', body: {} }),
  unapprove: (id: string) => api<unknown>(`/api/sync/staged/${encodeURIComponent(id)}/unapprove`, { method: 'POST', body: {} }),
  bulk: (action: 'approve' | 'reject', target: { ids: string[] } | { filter: StagedFilter }) =>
    call(s.countResultSchema, `/api/sync/staged/bulk-${action}`, {
      method: 'POST',
      body: 'filter' in target ? { filter: cleanFilter(target.filter) } : target,
    }),

  /** Uploads a CSV: a preview (commit false) or the import itself (commit true), with an optional column mapping. */
  importCsv: (file: File, options: { mapping?: Record<string, string>; keyColumn?: string; location?: string; commit: boolean }) => {
    const form = new FormData();
    form.set('file', file);
    form.set('commit', String(options.commit));
    if (options.mapping) form.set('mapping', JSON.stringify(options.mapping));
    if (options.keyColumn) form.set('keyColumn', options.keyColumn);
    if (options.location) form.set('location', options.location);
    return call(s.importResultSchema, '/api/imports', { method: 'POST', rawBody: form });
  },

  /** Waiting and recent schedules; `productId` narrows to a product's change windows. */
  listSchedules: (params: { productId?: string } = {}) => call(s.scheduleListSchema, `/api/sync/schedules${qs(params)}`),
  schedulePush: (runAt: string) => api<unknown>('/api/sync/schedules', { method: 'POST', body: { kind: 'push', runAt } }),
  /** Approves an outgoing change with a start (and an end): applied and reverted as batches. */
  scheduleWindow: (id: string, body: { startAt: string; endAt?: string }) =>
    api<unknown>(`/api/sync/staged/${encodeURIComponent(id)}/schedule`, { method: 'POST', body }),
  cancelSchedule: (id: string) => api<unknown>(`/api/sync/schedules/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: {} }),

  listOperations: (params: { kind?: string; status?: string; limit?: number } = {}) =>
    call(s.operationListSchema, `/api/operations${qs(params)}`),
  getOperation: (id: string) => call(s.operationSchema, `/api/operations/${encodeURIComponent(id)}`),
  cancelOperation: (id: string) => api<unknown>(`/api/operations/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: {} }),
  pushSummary: () => call(s.pushSummarySchema, '/api/sync/shopify/push/summary'),
  push: (priority?: string) => call(s.startedSchema, '/api/sync/shopify/push', { method: 'POST', body: priority ? { priority } : {} }),
  /** A pull of the store the switcher shows, or of `storeId` (Settings' store cards name theirs). */
  pull: (mode: 'full' | 'incremental', storeId?: string) =>
    call(s.startedSchema, '/api/sync/shopify/pull', { method: 'POST', body: storeId ? { mode, storeId } : { mode } }),

  listBatches: (params: { q?: string; cursor?: string | null; limit?: number } = {}) =>
    call(
      s.batchListSchema,
      `/api/sync/batches${qs({ q: params.q || undefined, cursor: params.cursor ?? undefined, limit: params.limit })}`,
    ),
  /** A batch with one keyset page of its items (`nextCursor` asks for the next). */
  getBatch: (id: string, page: { status?: string; cursor?: string | null; limit?: number } = {}) =>
    call(
      s.batchDetailSchema,
      `/api/sync/batches/${encodeURIComponent(id)}${qs({
        status: page.status || undefined,
        cursor: page.cursor ?? undefined,
        limit: page.limit,
      })}`,
    ),
  failedCsvUrl: (id: string) => `/api/sync/batches/${encodeURIComponent(id)}/items.csv?status=failed`,
  rollbackPreview: (id: string, itemIds?: string[]) =>
    call(s.rollbackPreviewSchema, `/api/sync/rollback/${encodeURIComponent(id)}/preview${qs({ itemIds: itemIds?.join(',') })}`),
  rollback: (id: string, itemIds?: string[]) =>
    call(s.startedSchema, `/api/sync/rollback/${encodeURIComponent(id)}`, { method: 'POST', body: itemIds?.length ? { itemIds } : {} }),
  /** Drifted items of a rollback, written over what Shopify holds now (admins). */
  restoreAnyway: (rollbackId: string, itemIds: string[]) =>
    call(s.startedSchema, `/api/sync/rollback/${encodeURIComponent(rollbackId)}/restore-anyway`, { method: 'POST', body: { itemIds } }),

  listProducts: (params: { q?: string; status?: string; syncStatus?: string; cursor?: string | null; limit?: number }) =>
    call(s.productListSchema, `/api/products${qs({ ...params, cursor: params.cursor ?? undefined })}`),
  getProduct: (id: string) => call(s.productSchema, `/api/products/${encodeURIComponent(id)}`),
  /** The products of a filter as Shopify's product CSV (a download link: the session cookie authorizes it). */
  productsCsvUrl: (filter: { q?: string; status?: string; syncStatus?: string }) =>
    `/api/products/export.csv${qs({ ...filter, storeId: scopedStoreId() })}`,
  productsTemplateUrl: () => `/api/products/template.csv${qs({ storeId: scopedStoreId() })}`,
  /** A product's timeline of pushes, adoptions and rollbacks, newest first (`field`: one field's entries). */
  productHistory: (id: string, page: { field?: string; cursor?: string | null; limit?: number } = {}, signal?: AbortSignal) =>
    call(
      s.productHistorySchema,
      `/api/products/${encodeURIComponent(id)}/history${qs({
        field: page.field || undefined,
        cursor: page.cursor ?? undefined,
        limit: page.limit,
      })}`,
      { signal },
    ),
  /** Reverts the product (or some fields) to how it was at `at`: staged for review; `dryRun` only says what would be. */
  revertProduct: (id: string, body: { at: string; fields?: string[]; dryRun?: boolean }) =>
    call(s.revertResultSchema, `/api/products/${encodeURIComponent(id)}/revert`, { method: 'POST', body }),
  updateProduct: (id: string, body: Record<string, unknown>) =>
    api<unknown>(`/api/products/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  /** A product made in the master with its variants: staged as one create for review. */
  createProduct: (body: Record<string, unknown>) => call(s.productStagedSchema, '/api/products', { method: 'POST', body }),
  /** A new variant of a product: staged as a create for review. */
  createVariant: (id: string, body: Record<string, unknown>) =>
    call(s.productStagedSchema, `/api/products/${encodeURIComponent(id)}/variants`, { method: 'POST', body }),
  /** Deletes a product in the master: staged as a delete a person approves before the push deletes it in Shopify. */
  deleteProduct: (id: string) => api<unknown>(`/api/products/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  listCollections: (params: { q?: string } = {}) => call(s.collectionListSchema, `/api/collections${qs(params)}`),
  collectionProducts: (id: string) => call(s.collectionMembersSchema, `/api/collections/${encodeURIComponent(id)}/products`),

  listStores: () => call(s.storeListSchema, '/api/stores'),
  /** Connects a store: the server tests the connection first and keeps the token and secret encrypted. */
  connectStore: (body: Record<string, string>) => call(s.storeSchema, '/api/stores', { method: 'POST', body }),
  /** Removes a store from the desk (deactivated; its history is kept). */
  removeStore: (id: string) => call(s.storeSchema, `/api/stores/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  registerWebhooks: (storeId: string) =>
    call(s.webhookRegistrationSchema, `/api/stores/${encodeURIComponent(storeId)}/webhooks`, { method: 'POST' }),
  listSubscribers: () => call(s.subscriberListSchema, '/api/sync/notification-subscribers'),
  createSubscriber: (body: { url: string; secret?: string }) =>
    call(s.subscriberSchema, '/api/sync/notification-subscribers', { method: 'POST', body }),
  deleteSubscriber: (id: string) => api<unknown>(`/api/sync/notification-subscribers/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  testSubscriber: (id: string) =>
    call(s.attemptSchema, `/api/sync/notification-subscribers/${encodeURIComponent(id)}/test`, { method: 'POST' }),
  subscriberAttempts: (id: string) =>
    call(s.attemptListSchema, `/api/sync/notification-subscribers/${encodeURIComponent(id)}/attempts?limit=20`),

  listRules: () => call(s.ruleListSchema, '/api/sync/auto-approval-rules'),
  createRule: (body: { name: string; enabled: boolean; condition: z.infer<typeof s.ruleConditionSchema> }) =>
    call(s.ruleSchema, '/api/sync/auto-approval-rules', { method: 'POST', body }),
  updateRule: (id: string, body: Partial<{ name: string; enabled: boolean; condition: z.infer<typeof s.ruleConditionSchema> }>) =>
    call(s.ruleSchema, `/api/sync/auto-approval-rules/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  deleteRule: (id: string) => api<unknown>(`/api/sync/auto-approval-rules/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  listOwnership: () => call(s.ownershipListSchema, '/api/sync/ownership-rules'),
  previewOwnership: (body: OwnershipSelection) =>
    call(s.ownershipOutcomeSchema, '/api/sync/ownership-rules/preview', { method: 'POST', body }),
  /** Enables what a preview showed: a preset's rules, or one rule. */
  enableOwnership: (body: OwnershipSelection) =>
    'preset' in body
      ? call(s.ownershipAppliedSchema, `/api/sync/ownership-rules/presets/${encodeURIComponent(body.preset)}/apply`, {
          method: 'POST',
          body: {},
        })
      : call(s.ownershipAppliedSchema, '/api/sync/ownership-rules', { method: 'POST', body: { rule: body.rules[0] } }),
  deleteOwnership: (id: string) => api<unknown>(`/api/sync/ownership-rules/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};

/** A preset by name, or one rule (entity, field, owner): what the ownership preview and enabling take. */
export type OwnershipSelection = { preset: string } | { rules: [OwnershipRuleInput] };

/** A short message for an error thrown by the API helpers. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong';
}
