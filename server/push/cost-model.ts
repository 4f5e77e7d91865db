import type { EntityType } from '../../lib/sync/model';

/**
 * The push's cost model: how long a batch takes on each path, from what it holds and the store's
 * throttle bucket as it is now. The push (and the rollback) takes the faster path; the operation's
 * ETA and the push confirmation's estimate come from here too, so what the admin is told before
 * the push is what the progress counts down from.
 *
 * Regular path: per product one drift-check read (nodes(ids)) and one mutation per kind of write.
 * It is bound by points (what the bucket holds now, then the restore rate) or by round trips
 * (requests x latency / workers in flight), whichever is slower.
 * Bulk path (variant updates only; other items stay regular): drift reads of 100 variants each,
 * stagedUploadsCreate + upload + bulkOperationRunMutation, then Shopify runs the lines while we poll.
 */

export type PushPath = 'regular' | 'bulk';

/** An item as the model sees it: which entity, which op, and which product (unit) it belongs to. */
export interface CostItem {
  entity: EntityType;
  op: string;
  unit: string;
}

/** What a batch costs on each path, in points and round trips; computed once from its items. */
export interface BatchShape {
  items: number;
  units: number;
  /** Regular path for every item. */
  regular: { points: number; requests: number };
  /** Bulk path: what stays regular (units with other writes), and the bulk run's reads and lines. */
  bulk: { rest: { points: number; requests: number }; variants: number; lines: number; readRequests: number; readPoints: number };
}

/** The store's bucket as the model reads it, and how fast Shopify answers and runs bulk lines. */
export interface Conditions {
  available: number;
  restoreRate: number;
  /** Seconds per request, measured (the bucket's moving average) or assumed. */
  latency: number;
  /** Bulk mutation lines Shopify runs per second, measured on this store's last bulk runs or assumed. */
  bulkLinesPerSecond: number;
}

export interface PathEstimate {
  path: PushPath;
  /** Seconds the chosen path is expected to take. */
  seconds: number;
  regularSeconds: number;
  /** Null when nothing in the batch can go the bulk path. */
  bulkSeconds: number | null;
  shape: BatchShape;
}

/** Points one mutation costs (Shopify's published base cost). */
export const MUTATION_POINTS = 10;
/** Shopify's limit of one query's requested cost: a bulk run's drift reads take as many variants as fit (at most 250). */
const MAX_QUERY_COST = 1000;
/** Variant updates per bulk run (server/push/claims.ts). */
const BULK_RUN_VARIANTS = 5000;
/** Units the engine keeps in flight at first (it adapts between 2 and 10). */
const WORKERS = 4;
/** Round trips of a bulk run besides its reads and polls: stagedUploadsCreate, the upload, bulkOperationRunMutation. */
const BULK_RUN_TRIPS = 3;
/** Points of the bulk run's own requests (two mutations, a handful of status polls). */
const BULK_RUN_POINTS = 2 * MUTATION_POINTS + 10;
/** The bulk status poll: first at once, then after this, growing by half (lib/shopify/bulk-run.ts, as the push calls it). */
export const BULK_POLL_MS = 250;
const BULK_POLL_MAX_MS = 5000;

/**
 * Our own side of a batch: taking it up, then settling each item (its row, its staged change, the
 * master's base) in Postgres; measured on this machine kind at about 3.5 ms per item, 0.5 s per batch.
 */
const LOCAL_SECONDS = 0.5;
const LOCAL_SECONDS_PER_ITEM = 0.004;

/** Assumed until measured (unverified for Shopify itself: its bulk lines are not published as a rate). */
export const DEFAULT_CONDITIONS = { latency: 0.3, bulkLinesPerSecond: 40 };

/**
 * Points the client expects the drift reads to request (its estimate, corrected by Shopify's
 * answers): a regular unit's read of `ids` nodes, and a bulk run's read of `ids` variants.
 */
export interface ReadCosts {
  unit(ids: number): number;
  variants(ids: number): number;
}

/** Builds a batch's shape: its units and what each path spends on them. */
export function shapeOf(items: readonly CostItem[], costs: ReadCosts): BatchShape {
  const readPoints = (ids: number) => costs.unit(ids);
  const units = new Map<string, CostItem[]>();
  for (const item of items) units.set(item.unit, [...(units.get(item.unit) ?? []), item]);
  const regular = { points: 0, requests: 0 };
  const rest = { points: 0, requests: 0 };
  let variants = 0;
  let lines = 0;
  for (const list of units.values()) {
    const variantUpdates = list.filter(isBulkable);
    const others = list.filter((i) => !isBulkable(i));
    const whole = unitCost(list, readPoints);
    regular.points += whole.points;
    regular.requests += whole.requests;
    if (variantUpdates.length) {
      variants += variantUpdates.length;
      lines += Math.ceil(variantUpdates.length / 250);
    }
    if (others.length) {
      const left = unitCost(others, readPoints);
      rest.points += left.points;
      rest.requests += left.requests;
    }
  }
  const perRead = Math.max(1, Math.min(250, Math.floor(MAX_QUERY_COST / Math.max(1, costs.variants(1)))));
  const readRequests = Math.ceil(variants / perRead);
  const bulkReads = readRequests === 0 ? 0 : (readRequests - 1) * costs.variants(perRead) + costs.variants(variants % perRead || perRead);
  return { items: items.length, units: units.size, regular, bulk: { rest, variants, lines, readRequests, readPoints: bulkReads } };
}

const isBulkable = (i: CostItem) => i.entity === 'variant' && i.op === 'update';

/** One product's unit on the regular path: its drift read, then a mutation per kind of write. */
function unitCost(list: readonly CostItem[], readPoints: (ids: number) => number): { points: number; requests: number } {
  const create = list.some((i) => i.entity === 'product' && i.op === 'create');
  if (create) return { points: MUTATION_POINTS * 2, requests: 1 };
  const reads = 1 + list.filter((i) => i.entity === 'variant' || i.entity === 'inventory_level').length;
  const product = list.some((i) => (i.entity === 'product' && i.op === 'update') || i.entity === 'membership') ? 1 : 0;
  const variant = list.some((i) => i.entity === 'variant') ? 1 : 0;
  // A product's levels go in one inventorySetQuantities per 250 (apply.ts writeInventory).
  const inventory = Math.ceil(list.filter((i) => i.entity === 'inventory_level').length / 250);
  const del = list.some((i) => i.entity === 'product' && i.op === 'delete') ? 1 : 0;
  // Images: a call for removals, one for additions, and two for updates (alt text, then the reorder).
  const media = list.filter((i) => i.entity === 'media');
  const has = (op: string) => (media.some((i) => i.op === op) ? 1 : 0);
  const mediaWrites = has('delete') + has('create') + 2 * has('update');
  const writes = del || product + variant + inventory + mediaWrites;
  return { points: readPoints(reads) + writes * MUTATION_POINTS, requests: 1 + writes };
}

/** Seconds to spend `points` with `requests` round trips, `workers` at a time, from the bucket as it is. */
function spend(points: number, requests: number, c: Conditions, workers = WORKERS): number {
  const byPoints = Math.max(0, points - c.available) / c.restoreRate;
  const byTrips = (requests * c.latency) / workers;
  return Math.max(byPoints, byTrips);
}

/** When the poll that sees a run of `seconds` finished happens: polls at 0, then +250 ms growing by half. */
function polledAt(seconds: number): number {
  let at = 0;
  let interval = BULK_POLL_MS / 1000;
  while (at < seconds) {
    at += interval;
    interval = Math.min(BULK_POLL_MAX_MS / 1000, interval * 1.5);
  }
  return at;
}

/** Both paths' estimates for a shape under these conditions, and the faster one. */
export function estimatePaths(shape: BatchShape, c: Conditions): PathEstimate {
  const local = LOCAL_SECONDS + shape.items * LOCAL_SECONDS_PER_ITEM;
  const regularSeconds = spend(shape.regular.points, shape.regular.requests, c) + local;
  if (shape.bulk.variants === 0) return { path: 'regular', seconds: regularSeconds, regularSeconds, bulkSeconds: null, shape };
  const runs = Math.ceil(shape.bulk.variants / BULK_RUN_VARIANTS);
  const { rest } = shape.bulk;
  const points = rest.points + shape.bulk.readPoints + runs * BULK_RUN_POINTS;
  // The bulk runs go one after another (one per batch at a time); the rest of the batch goes beside them.
  const chain =
    shape.bulk.readRequests * c.latency +
    runs * BULK_RUN_TRIPS * c.latency +
    runs * polledAt(shape.bulk.lines / runs / c.bulkLinesPerSecond) +
    runs * c.latency;
  const bulkSeconds =
    Math.max(spend(points, rest.requests + shape.bulk.readRequests, c), spend(rest.points, rest.requests, c), chain) + local;
  const path: PushPath = bulkSeconds < regularSeconds ? 'bulk' : 'regular';
  return { path, seconds: path === 'bulk' ? bulkSeconds : regularSeconds, regularSeconds, bulkSeconds, shape };
}

/** The estimate for a path chosen otherwise (a store setting forcing it). */
export function estimateFor(path: PushPath, shape: BatchShape, c: Conditions): PathEstimate {
  const both = estimatePaths(shape, c);
  const seconds = path === 'bulk' ? (both.bulkSeconds ?? both.regularSeconds) : both.regularSeconds;
  return { ...both, path, seconds };
}

/**
 * Seconds left of a running batch: what its path still has to spend, `done` of `total` items
 * settled, from the bucket as it is now; a bulk run counts down from its estimate. Never below
 * one second while items are left (the ETA does not claim "done" before the batch is).
 */
export function remainingSeconds(
  estimate: Pick<PathEstimate, 'path' | 'shape' | 'bulkSeconds'>,
  progress: { done: number; total: number; elapsedSeconds: number },
  c: Conditions,
): number {
  const left = progress.total > 0 ? Math.max(0, 1 - progress.done / progress.total) : 0;
  if (left === 0) return 0;
  const { shape } = estimate;
  const local = shape.items * left * LOCAL_SECONDS_PER_ITEM;
  let seconds: number;
  if (estimate.path === 'regular') seconds = spend(shape.regular.points * left, shape.regular.requests * left, c) + local;
  else {
    // The bulk estimate counts our settling already.
    const rest = spend(shape.bulk.rest.points * left, shape.bulk.rest.requests * left, c) + local;
    seconds = Math.max(rest, (estimate.bulkSeconds ?? 0) - progress.elapsedSeconds);
  }
  return Math.max(1, seconds);
}

/** What this process has seen of each store's bulk runs: lines per second, a moving average. */
export class BulkRunRates {
  private readonly rates = new Map<string, number>();

  observe(storeId: string, lines: number, seconds: number): void {
    if (lines <= 0 || seconds <= 0) return;
    const rate = lines / seconds;
    const known = this.rates.get(storeId);
    this.rates.set(storeId, known === undefined ? rate : known + (rate - known) / 3);
  }

  linesPerSecond(storeId: string): number {
    return this.rates.get(storeId) ?? DEFAULT_CONDITIONS.bulkLinesPerSecond;
  }
}

/** The model's conditions for a store: its bucket now, the measured answer time, its bulk run rate. */
export function conditionsOf(
  bucket: { available: number; restoreRate: number; latencyMs: number | null } | null,
  bulkLinesPerSecond: number,
): Conditions {
  return {
    available: bucket?.available ?? 0,
    restoreRate: bucket?.restoreRate || 50,
    latency: bucket?.latencyMs != null ? Math.max(0.005, bucket.latencyMs / 1000) : DEFAULT_CONDITIONS.latency,
    bulkLinesPerSecond,
  };
}

/** Estimates a batch's items on both paths and picks one: the faster, or the one a store setting forces. */
export type PathChooser = (items: readonly CostItem[], forced?: PushPath) => PathEstimate;

/** A store's `bulkThreshold` setting forces the path by product count (as before the model); unset, the model chooses. */
export function forcedPath(bulkThreshold: number | undefined, products: number): PushPath | undefined {
  if (bulkThreshold === undefined) return undefined;
  return products > bulkThreshold ? 'bulk' : 'regular';
}

/** What an operation keeps of its estimate (meta.estimate), for its ETA and the batch's page. */
export function estimateMeta(e: PathEstimate) {
  return {
    path: e.path,
    seconds: Math.round(e.seconds * 10) / 10,
    regularSeconds: Math.round(e.regularSeconds * 10) / 10,
    bulkSeconds: e.bulkSeconds === null ? null : Math.round(e.bulkSeconds * 10) / 10,
    shape: e.shape,
  };
}
export type EstimateMeta = ReturnType<typeof estimateMeta>;
