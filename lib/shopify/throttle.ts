/**
 * A client-side copy of Shopify's leaky bucket for one store and access token. Every answer's
 * `extensions.cost.throttleStatus` corrects it; a request waits here until its requested cost is
 * available instead of being sent and answered THROTTLED.
 *
 * Requests wait their turn in the store's lane scheduler (lanes.ts); the one chosen waits at the
 * head until its cost is available, so a big query is not overtaken for ever by a stream of small ones.
 */
import { DEFAULT_LANE, LaneScheduler, type LaneStats } from './lanes';

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number | null;
  actualQueryCost: number | null;
  throttleStatus?: ThrottleStatus | null;
}

export interface ThrottleStats {
  /** Actual points charged by Shopify since the bucket was created. */
  pointsUsed: number;
  /** Points charged per second over the last `windowMs` (10 s by default). */
  pointsPerSecond: number;
  /** Points charged per second since the bucket first had to make a request wait: the rate achieved while the bucket was the limit. */
  sustainedPointsPerSecond: number | null;
  restoreRate: number;
  maximumAvailable: number;
  currentlyAvailable: number;
  /** THROTTLED answers and HTTP 429s seen (each one waited out and retried). */
  throttledCount: number;
  /** Retries after 5xx, timeouts and network errors. */
  retryCount: number;
  requests: number;
  /** Requests Shopify answered (with a cost, THROTTLED or 429); requests minus answers were lost on the way. */
  answers: number;
  /** Milliseconds requests spent waiting for points, summed over requests. */
  waitedMs: number;
  /** A moving average of the time Shopify took to answer a request (sent to answered), null before the first. */
  latencyMs: number | null;
}

export interface ThrottleBucketOptions {
  /** Assumed until the first answer tells the truth; conservative so a cold start does not burst into THROTTLED. */
  maximumAvailable?: number;
  restoreRate?: number;
  now?: () => number;
  /** Weight of each lane's share of the points when several wait (a lane not named weighs 1). */
  shares?: Record<string, number>;
}

const SAMPLE_WINDOW_MS = 60_000;

export class ThrottleBucket {
  private maximum: number;
  private rate: number;
  private available: number;
  private updatedAt: number;
  private calibrated = false;
  private inFlight = 0;
  private readonly scheduler: LaneScheduler;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;
  private readonly samples: Array<[number, number]> = [];
  private counters = { pointsUsed: 0, throttledCount: 0, retryCount: 0, requests: 0, answers: 0, waitedMs: 0 };
  private saturatedSince: { at: number; pointsUsed: number } | undefined;
  private lastSettledAt = 0;
  private latency: number | null = null;

  constructor(options: ThrottleBucketOptions = {}) {
    this.now = options.now ?? Date.now;
    this.scheduler = new LaneScheduler(options.shares ?? {}, this.now);
    this.maximum = options.maximumAvailable ?? 1000;
    this.rate = options.restoreRate ?? 50;
    this.available = this.maximum;
    this.updatedAt = this.now();
  }

  /**
   * Resolves once `cost` points are taken from the bucket; returns the points taken, which the
   * caller hands back to `settle`. `cost` may be a function: it is read when the request reaches
   * the head of the queue, so a cost learned meanwhile is used. `lane` names the kind of work whose
   * share it draws from.
   */
  acquire(cost: number | (() => number), lane = DEFAULT_LANE): Promise<number> {
    const read = typeof cost === 'function' ? cost : () => cost;
    return new Promise((resolve) => {
      this.scheduler.enqueue(read, lane, resolve);
      this.pump();
    });
  }

  /** Per lane: requests served, points reserved, requests waiting now, time spent waiting. */
  laneStats(): Record<string, LaneStats> {
    return this.scheduler.stats();
  }

  /** Records an answer: refunds what was taken beyond the actual cost and adopts Shopify's view of the bucket. */
  settle(taken: number, cost: QueryCost | null | undefined): void {
    this.refill();
    this.inFlight = Math.max(0, this.inFlight - taken);
    this.counters.requests += 1;
    if (cost) this.counters.answers += 1;
    const actual = cost?.actualQueryCost ?? (cost ? 0 : taken);
    this.available += taken - actual;
    if (actual > 0) this.record(actual);
    const status = cost?.throttleStatus;
    if (status) this.adopt(status);
    this.available = Math.min(this.available, this.maximum);
    this.lastSettledAt = this.now();
    this.pump();
  }

  /** A THROTTLED answer: nothing was charged; the bucket holds what Shopify says it holds. */
  throttled(taken: number, status: ThrottleStatus | null | undefined): void {
    this.refill();
    this.inFlight = Math.max(0, this.inFlight - taken);
    this.counters.throttledCount += 1;
    this.counters.answers += 1;
    this.available += taken;
    if (status) {
      this.adopt(status);
      this.available = Math.min(this.available, status.currentlyAvailable);
    } else {
      this.available = 0;
    }
    this.markSaturated();
    this.pump();
  }

  /** An HTTP 429 or a request answered without cost data: refund and hold every request for `ms`. */
  pause(taken: number, ms: number): void {
    this.refill();
    this.inFlight = Math.max(0, this.inFlight - taken);
    this.counters.throttledCount += 1;
    this.counters.answers += 1;
    this.available = Math.min(this.available + taken, -(ms / 1000) * this.rate);
    this.markSaturated();
    this.pump();
  }

  /** Gives points back without recording an answer (the request never reached Shopify). */
  release(taken: number): void {
    this.refill();
    this.inFlight = Math.max(0, this.inFlight - taken);
    this.available = Math.min(this.maximum, this.available + taken);
    this.pump();
  }

  /** Records how long one request took to be answered (a moving average over the last ~20). */
  noteLatency(ms: number): void {
    this.latency = this.latency === null ? ms : this.latency + (ms - this.latency) / 20;
  }

  noteRetry(): void {
    this.counters.retryCount += 1;
  }

  get restoreRate(): number {
    return this.rate;
  }

  get maximumAvailable(): number {
    return this.maximum;
  }

  stats(windowMs = 10_000): ThrottleStats {
    this.refill();
    const now = this.now();
    const from = now - windowMs;
    let windowPoints = 0;
    for (const [at, points] of this.samples) if (at >= from) windowPoints += points;
    const firstSample = this.samples[0]?.[0];
    const span = firstSample === undefined ? 0 : Math.min(windowMs, Math.max(now - firstSample, 1000));
    const sat = this.saturatedSince;
    const satSpan = sat ? this.lastSettledAt - sat.at : 0;
    return {
      ...this.counters,
      pointsPerSecond: span > 0 ? (windowPoints * 1000) / span : 0,
      sustainedPointsPerSecond: sat && satSpan > 0 ? ((this.counters.pointsUsed - sat.pointsUsed) * 1000) / satSpan : null,
      restoreRate: this.rate,
      maximumAvailable: this.maximum,
      currentlyAvailable: Math.max(0, Math.floor(this.available)),
      latencyMs: this.latency === null ? null : Math.round(this.latency),
    };
  }

  private adopt(status: ThrottleStatus): void {
    this.maximum = status.maximumAvailable;
    this.rate = status.restoreRate;
    if (!this.calibrated) {
      // First answer: our assumed bucket may be smaller (or larger) than the real one.
      // Shopify has not yet seen the requests still in flight, so they stay deducted.
      this.available = status.currentlyAvailable - this.inFlight;
      this.calibrated = true;
    } else {
      // Never believe we hold more than Shopify says: someone else may share the token.
      this.available = Math.min(this.available, status.currentlyAvailable);
    }
  }

  private refill(): void {
    const now = this.now();
    const elapsed = (now - this.updatedAt) / 1000;
    this.updatedAt = now;
    if (elapsed > 0) this.available = Math.min(this.maximum, this.available + elapsed * this.rate);
  }

  private record(points: number): void {
    const now = this.now();
    this.counters.pointsUsed += points;
    this.samples.push([now, points]);
    while (this.samples.length > 0 && this.samples[0]![0] < now - SAMPLE_WINDOW_MS) this.samples.shift();
  }

  private markSaturated(): void {
    // Points reserved by requests in flight were spent before this moment: count them as used already.
    this.saturatedSince ??= { at: this.now(), pointsUsed: this.counters.pointsUsed + this.inFlight };
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.refill();
    for (let head = this.scheduler.next(); head; head = this.scheduler.next()) {
      // A query can never need more than the whole bucket (Shopify rejects those with MAX_COST_EXCEEDED).
      const cost = Math.max(0, Math.min(head.cost(), this.maximum));
      if (this.available >= cost) {
        this.available -= cost;
        this.inFlight += cost;
        this.counters.waitedMs += this.scheduler.take(head, cost);
        continue;
      }
      // Before the first answer the bucket size is assumed, so running short proves nothing yet.
      if (this.calibrated) this.markSaturated();
      const waitMs = Math.max(1, Math.ceil(((cost - this.available) / this.rate) * 1000));
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, waitMs);
      return;
    }
  }
}
