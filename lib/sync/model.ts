/**
 * The vocabulary of the sync model (DESIGN.md). Frozen maps and the unions derived from them;
 * the database stores these strings, the API returns them, the UI shows them.
 */

/** metafield: one value of a product's or variant's metafield (lib/sync/metafields.ts), keyed `<owner gid>|<namespace>.<key>`. */
export const ENTITY_TYPES = ['product', 'variant', 'inventory_level', 'collection', 'membership', 'media', 'metafield'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const CHANGE_KINDS = ['incoming', 'outgoing', 'conflict'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** create/delete: the entity exists on one side only; update: field diffs. */
export const CHANGE_OPS = ['create', 'update', 'delete'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

export const CHANGE_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'queued',
  'applying',
  'applied',
  'failed',
  'drifted',
  'rolled_back',
  'superseded',
] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/** Statuses in which a change still waits for, or is in, a push. A pull leaves their fields alone. */
export const IN_FLIGHT_CHANGE_STATUSES = ['approved', 'queued', 'applying'] as const satisfies readonly ChangeStatus[];

/** Statuses of an open change: waiting for a decision, or decided and not yet through its push. */
export const OPEN_CHANGE_STATUSES = ['pending', ...IN_FLIGHT_CHANGE_STATUSES] as const satisfies readonly ChangeStatus[];

/** A push that did not land: the product shows an error until a later change of the entity applies. */
export const FAILED_CHANGE_STATUSES = ['failed', 'drifted'] as const satisfies readonly ChangeStatus[];

/**
 * Where a staged change came from; `drift`: a push found Shopify moved under it and re-read the entity;
 * `review`: staged by a reviewer's decision (the restore a rejected incoming change leaves).
 */
export const CHANGE_SOURCES = ['pull', 'poll', 'webhook', 'edit', 'import', 'rollback', 'drift', 'review'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

/**
 * Marks on a change staged by a decision: `restore_shopify` proposes writing the master's value back to Shopify;
 * `revert` was staged by reverting the product to how it was at a point in time (the change's `originAt`).
 */
export const CHANGE_ORIGINS = ['restore_shopify', 'revert'] as const;
export type ChangeOrigin = (typeof CHANGE_ORIGINS)[number];

export const PRIORITIES = ['critical', 'high', 'normal', 'low', 'batch'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** pg-boss priority numbers: higher is fetched first. */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = Object.freeze({
  critical: 40,
  high: 30,
  normal: 20,
  low: 10,
  batch: 0,
});

export const BATCH_KINDS = ['push', 'adopt', 'rollback'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

/** Batches the push engine writes to Shopify; an adopt batch only writes the master, at once. */
export const PUSHED_BATCH_KINDS = ['push', 'rollback'] as const satisfies readonly BatchKind[];

export const BATCH_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** Batches an engine has still to run or finish. */
export const OPEN_BATCH_STATUSES = ['queued', 'running'] as const satisfies readonly BatchStatus[];

/** Where a batch item writes: Shopify (a push) or the product master (an approved incoming change). */
export const ITEM_SIDES = ['shopify', 'master'] as const;
export type ItemSide = (typeof ITEM_SIDES)[number];

export const BATCH_ITEM_STATUSES = ['queued', 'applying', 'applied', 'failed', 'drifted', 'cancelled', 'dead', 'rolled_back'] as const;
export type BatchItemStatus = (typeof BATCH_ITEM_STATUSES)[number];

/** Items a push has still to settle: waiting for a unit, or taken by one. Every other status is final. */
export const OPEN_ITEM_STATUSES = ['queued', 'applying'] as const satisfies readonly BatchItemStatus[];

/**
 * Items that take a created product's Shopify id in place of its local key: those still to write
 * and settled ones a later push or rollback reads. The unit that created it rekeys its own items.
 */
export const REKEYED_ITEM_STATUSES = ['queued', 'applied', 'failed', 'drifted'] as const satisfies readonly BatchItemStatus[];

/** Items whose write reached Shopify: applied, or applied and since rolled back (the push success rate). */
export const LANDED_ITEM_STATUSES = ['applied', 'rolled_back'] as const satisfies readonly BatchItemStatus[];

/** Items a push gave up on (the push success rate's failures). */
export const LOST_ITEM_STATUSES = ['failed', 'dead'] as const satisfies readonly BatchItemStatus[];

export const OPERATION_KINDS = ['pull', 'push', 'rollback', 'import', 'webhook'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

export const OPERATION_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const FINAL_OPERATION_STATUSES = ['completed', 'failed', 'cancelled'] as const satisfies readonly OperationStatus[];

/** Operations a job may still take up (queued) or is working on (running). */
export const OPEN_OPERATION_STATUSES = ['queued', 'running'] as const satisfies readonly OperationStatus[];

/** Sync status of a product as the products page shows it. */
export const PRODUCT_SYNC_STATUSES = ['not_synced', 'pending', 'synced', 'error', 'conflict'] as const;
export type ProductSyncStatus = (typeof PRODUCT_SYNC_STATUSES)[number];

export const WEBHOOK_DELIVERY_STATUSES = ['accepted', 'duplicate', 'processed', 'failed', 'ignored'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One field of a staged change: the three values of the three-way model. */
export interface FieldDiff {
  name: string;
  base: unknown;
  local: unknown;
  remote: unknown;
}

/** A document of synced field values for one entity; `null` means the entity is absent on that side. */
export type FieldValues = Record<string, unknown>;
