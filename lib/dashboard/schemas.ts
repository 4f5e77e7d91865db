/**
 * Shapes of the HTTP API as the dashboard reads them (DESIGN.md "Shapes the API returns").
 * Every response is parsed here, so a server shape that differs is adapted in one place;
 * objects are loose so extra fields pass through untouched.
 */
import { z } from 'zod';
import { ENTITY_TYPES } from '../sync/model';
import { FIELD_OWNERS } from '../sync/ownership';

const nullableString = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

/** A page of a keyset-paged list: its items, the count of all that match (where the route gives it) and the next cursor. */
const listPage = <T extends z.ZodType>(item: T) =>
  z.looseObject({ items: z.array(item), total: z.number().optional(), nextCursor: nullableString.optional() });
const count = z.coerce.number().int().nonnegative().catch(0);

export const fieldDiffSchema = z.looseObject({
  name: z.string(),
  base: z.unknown(),
  local: z.unknown(),
  remote: z.unknown(),
  /** How people read each value when it is stored otherwise (a category's full name, a weight with its unit). */
  display: z.record(z.string(), z.string().nullable()).nullish(),
});

export const stagedChangeSchema = z.looseObject({
  id: z.string(),
  storeId: z.string().optional(),
  entity: z.string(),
  entityId: nullableString.optional(),
  entityKey: z.string().optional(),
  productKey: nullableString.optional(),
  kind: z.enum(['incoming', 'outgoing', 'conflict']),
  op: z.string().optional().default('update'),
  status: z.string(),
  fields: z.array(fieldDiffSchema).default([]),
  title: nullableString.optional(),
  vendor: nullableString.optional(),
  productType: nullableString.optional(),
  approvedFields: z.array(z.string()).nullish(),
  autoRule: nullableString.optional(),
  /** `restore_shopify`: proposes writing the master's value back after the linked incoming change was rejected. */
  origin: nullableString.optional(),
  originChangeId: nullableString.optional(),
  /** For a `revert`: the point in time the product was reverted to. */
  originAt: nullableString.optional(),
  decidedBy: nullableString.optional(),
  decidedAt: nullableString.optional(),
  reason: nullableString.optional(),
  error: nullableString.optional(),
  batchId: nullableString.optional(),
  magnitude: z.record(z.string(), z.number()).nullish(),
  variantTitle: nullableString.optional(),
  sku: nullableString.optional(),
  locationName: nullableString.optional(),
  metafieldName: nullableString.optional(),
  /** Names of what reference metafield values point at, by GID. */
  valueNames: z.record(z.string(), z.string()).nullish(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type StagedChangeView = z.infer<typeof stagedChangeSchema>;

/** A change's detail: the list item plus whatever context the server adds (variants, inventory, memberships). */
export const stagedChangeDetailSchema = stagedChangeSchema.extend({
  product: z
    .looseObject({
      id: z.string().optional(),
      title: nullableString.optional(),
      variants: z
        .array(
          z.looseObject({
            id: z.string().optional(),
            shopifyId: nullableString.optional(),
            title: nullableString.optional(),
            sku: nullableString.optional(),
            price: z.unknown().optional(),
            local: z.record(z.string(), z.unknown()).nullish(),
            remote: z.record(z.string(), z.unknown()).nullish(),
            inventory: z
              .array(
                z.looseObject({
                  key: z.string(),
                  location: z.string().optional(),
                  locationName: z.string().optional(),
                  local: z.record(z.string(), z.unknown()).nullish(),
                  remote: z.record(z.string(), z.unknown()).nullish(),
                }),
              )
              .optional(),
          }),
        )
        .optional(),
    })
    .nullish(),
  inventory: z
    .array(
      z.looseObject({
        location: z.string().optional(),
        locationName: z.string().optional(),
        available: z.unknown(),
        remote: z.unknown().optional(),
      }),
    )
    .nullish(),
  related: z.array(stagedChangeSchema).nullish(),
  /** The entity's other changes, newest first, with who decided what and why. */
  history: z
    .array(
      z.looseObject({
        id: z.string(),
        kind: z.string(),
        op: z.string().optional(),
        status: z.string(),
        fields: z.array(z.string()).catch([]),
        origin: nullableString.optional(),
        decidedBy: nullableString.optional(),
        autoRule: nullableString.optional(),
        decidedAt: nullableString.optional(),
        reason: nullableString.optional(),
        createdAt: nullableString.optional(),
      }),
    )
    .catch([]),
});
export type StagedChangeDetail = z.infer<typeof stagedChangeDetailSchema>;

export const countsSchema = z
  .looseObject({ incoming: count.optional(), outgoing: count.optional(), conflict: count.optional() })
  .transform((c) => ({ incoming: c.incoming ?? 0, outgoing: c.outgoing ?? 0, conflict: c.conflict ?? 0 }));

const wholeSchema = z
  .looseObject({ create: count.optional(), delete: count.optional() })
  .catch({})
  .transform((o) => ({ create: o.create ?? 0, delete: o.delete ?? 0 }));

/** The pending creates and deletes matching the filter, per kind (what "all matching" would create or remove). */
export const opsSchema = z.looseObject({ incoming: wholeSchema.optional(), outgoing: wholeSchema.optional() }).transform((o) => ({
  incoming: o.incoming ?? { create: 0, delete: 0 },
  outgoing: o.outgoing ?? { create: 0, delete: 0 },
}));

export const stagedListSchema = z.looseObject({
  items: z.array(stagedChangeSchema),
  total: count,
  nextCursor: nullableString,
  counts: countsSchema.optional(),
  ops: opsSchema.optional(),
});
export type StagedList = z.infer<typeof stagedListSchema>;

export const countResultSchema = z.looseObject({ count });

export const operationSchema = z.looseObject({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  title: nullableString.optional(),
  progress: z.looseObject({ done: count, total: z.number().nullish() }).catch({ done: 0, total: null }),
  counts: z.record(z.string(), z.number()).nullish(),
  error: z.unknown().optional(),
  startedBy: nullableString.optional(),
  startedAt: nullableString.optional(),
  finishedAt: nullableString.optional(),
  createdAt: z.string().optional(),
  meta: z.unknown().optional(),
});
export type OperationSummary = z.infer<typeof operationSchema>;
export const operationListSchema = listPage(operationSchema);

export const startedSchema = z.looseObject({ operationId: z.string(), batchId: z.string().nullish() });

/** GET /api/sync/shopify/push/summary: what a push would do now, for its confirmation. */
export const pushSummarySchema = z.looseObject({
  store: z.looseObject({ id: z.string(), name: z.string(), shopDomain: z.string() }),
  changes: z.number(),
  writes: z.number(),
  products: z.number(),
  priorities: z.array(z.looseObject({ priority: z.string(), count: z.number() })),
  priority: z.string(),
  path: z.enum(['regular', 'bulk']),
  etaSeconds: z.number(),
});
export type PushSummary = z.infer<typeof pushSummarySchema>;

export const batchSchema = z.looseObject({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  priority: nullableString.optional(),
  operationId: nullableString.optional(),
  rollbackOf: nullableString.optional(),
  rollbackOfBatch: z.object({ id: z.string(), kind: z.string(), total: z.number(), createdAt: z.string() }).nullish(),
  counts: z.record(z.string(), z.number()).nullish(),
  total: z.number().nullish(),
  createdBy: nullableString.optional(),
  createdAt: z.string().optional(),
  finishedAt: nullableString.optional(),
});
export type BatchSummary = z.infer<typeof batchSchema>;
export const batchListSchema = listPage(batchSchema);

/** Full names of taxonomy categories by GID, beside documents that hold category ids. */
const valueNames = z.record(z.string(), z.string()).nullish();

export const batchItemSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  entity: z.string().optional(),
  entityKey: z.string().optional(),
  entityId: nullableString.optional(),
  productTitle: nullableString.optional(),
  entityLabel: nullableString.optional(),
  side: nullableString.optional(),
  op: nullableString.optional(),
  target: z.unknown().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  /** What Shopify (or the master) held instead of `before` when the item was found drifted. */
  observed: z.unknown().optional(),
  sourceItemId: nullableString.optional(),
  error: nullableString.optional(),
  changeId: nullableString.optional(),
  valueNames,
});
export type BatchItemView = z.infer<typeof batchItemSchema>;
export const batchDetailSchema = batchSchema.extend({ items: z.array(batchItemSchema).default([]), nextCursor: nullableString.optional() });
export type BatchDetail = z.infer<typeof batchDetailSchema>;

const previewItemSchema = z.looseObject({
  itemId: z.string(),
  entity: z.string(),
  entityId: z.string(),
  productTitle: nullableString.optional(),
  entityLabel: nullableString.optional(),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
  reason: nullableString.optional(),
  /** A skipped (drifted) item: what Shopify holds now. */
  observed: z.unknown().optional(),
});
export const rollbackPreviewSchema = z.looseObject({
  restore: z.array(previewItemSchema).default([]),
  skipped: z.array(previewItemSchema).default([]),
  valueNames,
});
export type RollbackPreview = z.infer<typeof rollbackPreviewSchema>;

export const variantSchema = z.looseObject({
  id: z.string(),
  title: nullableString.optional(),
  /** Option values in the product's option order. */
  selectedOptions: z.array(z.looseObject({ name: z.string(), value: z.string() })).catch([]),
  sku: nullableString.optional(),
  barcode: nullableString.optional(),
  price: z.union([z.string(), z.number()]).nullish(),
  compareAtPrice: z.union([z.string(), z.number()]).nullish(),
  weight: nullableString.optional(),
  weightUnit: nullableString.optional(),
  inventory: z
    .array(
      z.looseObject({
        key: z.string().optional(),
        locationName: z.string().optional(),
        location: z.string().optional(),
        available: z.unknown(),
      }),
    )
    .nullish(),
});
export const productSchema = z.looseObject({
  id: z.string(),
  shopifyId: nullableString.optional(),
  title: z.string().catch(''),
  handle: nullableString.optional(),
  vendor: nullableString.optional(),
  productType: nullableString.optional(),
  status: nullableString.optional(),
  tags: z.array(z.string()).catch([]),
  syncStatus: z.enum(['not_synced', 'pending', 'synced', 'error', 'conflict']).catch('not_synced'),
  pendingChanges: z.number().optional(),
  descriptionHtml: nullableString.optional(),
  /** The category's taxonomy GID and the full name people read. */
  category: nullableString.optional(),
  categoryName: nullableString.optional(),
  variants: z.array(variantSchema).catch([]),
  /** Shopify ids of the custom collections the product is in, in the master. */
  collections: z.array(z.string()).catch([]),
  /** The product's images in the master's order (one removed in the master last, existsLocally false). */
  media: z
    .array(
      z.looseObject({
        id: z.string(),
        mediaId: nullableString.optional(),
        alt: nullableString.optional(),
        position: z.number().catch(0),
        url: nullableString.optional(),
        existsLocally: z.boolean().catch(true),
        existsInShopify: z.boolean().catch(true),
      }),
    )
    .catch([]),
  seoTitle: nullableString.optional(),
  seoDescription: nullableString.optional(),
  /** Option names and their values in Shopify's order (none for a product of one default variant). */
  options: z.array(z.looseObject({ name: z.string(), values: z.array(z.string()) })).catch([]),
  /**
   * The product's metafields (the product page's read; absent in lists): one per definition of the
   * store with its name and type, then those without a definition. `value`: the master's (null: none).
   */
  metafields: z
    .array(
      z.looseObject({
        namespace: z.string(),
        key: z.string(),
        name: nullableString.optional(),
        type: z.string(),
        validations: z.array(z.looseObject({ name: z.string(), value: nullableString })).catch([]),
        value: z.unknown(),
        inShopify: z.boolean().catch(false),
      }),
    )
    .catch([]),
  /** Titles of the products and collections reference metafields point at, by GID (what the app knows). */
  referenceTitles: z.record(z.string(), z.string()).catch({}),
  /** False once deleted in the master (the delete waits for review); false in Shopify until a create is pushed. */
  existsLocally: z.boolean().catch(true),
  existsInShopify: z.boolean().catch(true),
});
export type ProductView = z.infer<typeof productSchema>;
/** A product create (or new variant): the product as the master now holds it. */
export const productStagedSchema = z.looseObject({ product: productSchema });
export const productListSchema = listPage(productSchema);

export const collectionSchema = z.looseObject({
  id: z.string(),
  shopifyId: nullableString.optional(),
  title: z.string().catch(''),
  handle: nullableString.optional(),
  smart: z.boolean().optional(),
  productsCount: z.number().nullish(),
  pendingChanges: z.number().optional(),
});
export const collectionMemberSchema = z.looseObject({
  id: z.string(),
  shopifyId: nullableString.optional(),
  title: z.string().catch(''),
  inMaster: z.boolean(),
  inShopify: z.boolean(),
  pending: z.boolean(),
});
export const collectionMembersSchema = listPage(collectionMemberSchema);
export type CollectionView = z.infer<typeof collectionSchema>;
export const collectionListSchema = listPage(collectionSchema);

export const ruleConditionSchema = z.object({
  kinds: z.array(z.enum(['incoming', 'outgoing'])).optional(),
  entity: z.enum(ENTITY_TYPES).optional(),
  fields: z.array(z.string().min(1)).optional(),
  maxQuantityDelta: z.number().int().nonnegative().optional(),
  maxPricePercent: z.number().nonnegative().max(1000).optional(),
});
export const ruleSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  condition: ruleConditionSchema.catch({}),
  createdBy: nullableString.optional(),
  updatedAt: z.string().optional(),
});
export type AutoApprovalRuleView = z.infer<typeof ruleSchema>;
export const ruleListSchema = z.looseObject({ items: z.array(ruleSchema) });

/** A CSV import: its preview (mapping, normalized sample rows, per-row errors) or its outcome. */
export const importResultSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  filename: z.string(),
  keyColumn: nullableString,
  mapping: z.record(z.string(), z.string()).catch({}),
  counts: z.looseObject({
    rows: count,
    valid: count,
    errors: count,
    skipped: count.optional(),
    changes: count.optional(),
    staged: count.optional(),
    unchanged: count.optional(),
  }),
  rowErrors: z.array(z.object({ row: z.number(), column: z.string().nullable(), reason: z.string() })).catch([]),
  operationId: nullableString.optional(),
  headers: z.array(z.string()).optional(),
  encoding: z.string().optional(),
  delimiter: z.string().optional(),
  preview: z.array(z.object({ row: z.number(), values: z.record(z.string(), z.unknown()) })).optional(),
  /** The cells that change the master (the first few hundred). */
  changes: z
    .array(
      z.object({
        row: z.number(),
        product: z.string(),
        item: z.string().nullable(),
        field: z.string(),
        from: z.unknown(),
        to: z.unknown(),
      }),
    )
    .optional(),
  /** Columns the import does not read (not synced, or left unmapped). */
  ignored: z.array(z.string()).optional(),
  locations: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  /** The location picked for the file's quantities. */
  location: z.object({ id: z.string(), name: z.string() }).nullish(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const storeSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  shopDomain: z.string(),
  apiVersion: nullableString.optional(),
  source: nullableString.optional(),
  lastPullAt: nullableString.optional(),
  webhooksRegisteredAt: nullableString.optional(),
  hasWebhookSecret: z.boolean().optional(),
  health: z
    .looseObject({
      pollFailures: z.number().catch(0),
      lastPollAt: nullableString.optional(),
      lastPollSuccessAt: nullableString.optional(),
      lastPollError: nullableString.optional(),
    })
    .optional(),
});
export type StoreView = z.infer<typeof storeSchema>;
export const storeListSchema = z.looseObject({
  items: z.array(storeSchema),
  /** Where the key that encrypts stores' credentials comes from. */
  secretsKey: z.enum(['environment', 'database']).optional(),
});
export const webhookRegistrationSchema = z.looseObject({ created: z.array(z.string()), existing: z.array(z.string()) });

export const subscriberSchema = z.looseObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()).catch([]),
  active: z.boolean(),
  createdBy: nullableString.optional(),
  createdAt: z.string().optional(),
  /** Only in the answer to its creation: shown once. */
  secret: z.string().optional(),
});
export type SubscriberView = z.infer<typeof subscriberSchema>;
export const subscriberListSchema = z.looseObject({ items: z.array(subscriberSchema) });
export const attemptSchema = z.looseObject({
  id: z.union([z.string(), z.number()]),
  event: z.string(),
  attempt: z.number(),
  status: z.string(),
  httpStatus: z.number().nullish(),
  error: nullableString.optional(),
  durationMs: z.number().nullish(),
  at: z.string(),
});
export type AttemptView = z.infer<typeof attemptSchema>;
export const attemptListSchema = z.looseObject({ items: z.array(attemptSchema) });

/** One write in a product's history (GET /api/products/:id/history): a push, an adoption or a rollback of one entity. */
export const historyEntrySchema = z.looseObject({
  id: z.string(),
  at: z.string(),
  batchId: z.string(),
  batchKind: z.string(),
  what: z.string(),
  side: z.string(),
  rollbackOf: nullableString.optional(),
  actor: nullableString.optional(),
  decidedBy: nullableString.optional(),
  autoRule: nullableString.optional(),
  origin: nullableString.optional(),
  originAt: nullableString.optional(),
  entity: z.string(),
  entityKey: z.string(),
  entityLabel: z.string(),
  op: z.string(),
  status: z.string(),
  fields: z.array(
    z.looseObject({
      name: z.string(),
      label: z.string(),
      before: z.unknown(),
      after: z.unknown(),
      display: z.looseObject({ before: nullableString.optional(), after: nullableString.optional() }).nullish(),
    }),
  ),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export const productHistorySchema = listPage(historyEntrySchema);

/** POST /api/products/:id/revert: the fields that differ from how the product was at T, and what was staged. */
export const revertResultSchema = z.looseObject({
  at: z.string(),
  planned: z.array(
    z.looseObject({
      entity: z.string(),
      entityKey: z.string(),
      label: z.string(),
      fields: z.array(z.looseObject({ name: z.string(), label: z.string(), current: z.unknown(), target: z.unknown() })),
    }),
  ),
  notReverted: z.array(z.looseObject({ entity: z.string(), entityKey: z.string(), label: z.string(), reason: z.string() })),
  changeIds: z.array(z.string()),
  staged: z.array(stagedChangeSchema).default([]),
  message: z.string(),
});
export type RevertResult = z.infer<typeof revertResultSchema>;
/** Field ownership (server/review/ownership.ts): a store's rules, the presets, and what enabling decides. */
export const ownershipRuleSchema = z.looseObject({
  id: z.string(),
  entity: z.enum(ENTITY_TYPES),
  field: z.string(),
  owner: z.enum(FIELD_OWNERS),
  preset: nullableString,
  name: z.string(),
  createdBy: nullableString.optional(),
});
export type OwnershipRuleView = z.infer<typeof ownershipRuleSchema>;
export const ownershipListSchema = z.looseObject({
  storeId: z.string(),
  items: z.array(ownershipRuleSchema),
  presets: z.array(
    z.looseObject({
      name: z.string(),
      label: z.string(),
      description: z.string(),
      rules: z.array(z.object({ entity: z.enum(ENTITY_TYPES), field: z.string(), owner: z.enum(FIELD_OWNERS) })),
    }),
  ),
});
export const ownershipOutcomeSchema = z.looseObject({
  total: count,
  message: z.string(),
  counts: z.array(
    z.object({ decision: z.enum(['adopt', 'restore', 'keep_master']), entity: z.enum(ENTITY_TYPES), field: z.string(), count }),
  ),
  sample: z.array(
    z.looseObject({
      changeId: z.string(),
      entity: z.enum(ENTITY_TYPES),
      title: nullableString,
      decision: z.string(),
      fields: z.array(z.string()),
    }),
  ),
});
export type OwnershipOutcomeView = z.infer<typeof ownershipOutcomeSchema>;
export const ownershipAppliedSchema = z.looseObject({ outcome: ownershipOutcomeSchema });
const scheduleStepSchema = z.looseObject({
  id: z.string(),
  runAt: z.string(),
  status: z.enum(['scheduled', 'running', 'done', 'cancelled', 'failed']),
  result: z.looseObject({ batchId: z.string().optional(), message: z.string().optional(), items: z.number().optional() }).nullish(),
  cancelledBy: nullableString.optional(),
  batch: z.looseObject({ id: z.string(), kind: z.string(), status: z.string(), counts: z.record(z.string(), z.number()) }).nullish(),
});
export type ScheduleStep = z.infer<typeof scheduleStepSchema>;

/** A scheduled push, or a change window with its end (GET /api/sync/schedules). */
export const scheduleEntrySchema = scheduleStepSchema.extend({
  kind: z.enum(['push', 'window']),
  storeId: z.string(),
  priority: nullableString.optional(),
  createdBy: z.string(),
  end: scheduleStepSchema.nullish(),
  change: z
    .looseObject({
      id: z.string(),
      status: z.string(),
      entity: z.string(),
      productId: nullableString.optional(),
      title: nullableString.optional(),
      fields: z.array(z.looseObject({ name: z.string(), label: z.string(), from: z.unknown(), to: z.unknown() })),
    })
    .nullish(),
});
export type ScheduleEntry = z.infer<typeof scheduleEntrySchema>;
export const scheduleListSchema = listPage(scheduleEntrySchema);
