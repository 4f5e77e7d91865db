/** Shopify's plan presets for the GraphQL Admin API leaky bucket (points and points per second). */
export const PLAN_LIMITS = {
  standard: { maximumAvailable: 2000, restoreRate: 100 },
  advanced: { maximumAvailable: 4000, restoreRate: 200 },
  plus: { maximumAvailable: 20000, restoreRate: 1000 },
  enterprise: { maximumAvailable: 40000, restoreRate: 2000 },
} as const;

export type Plan = keyof typeof PLAN_LIMITS;
export const MAX_SINGLE_QUERY_COST = 1000;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** A leaky bucket per access token: requests take points up front, points flow back at the restore rate. */
export class ThrottleBucket {
  private available: number;
  private last = performance.now();

  constructor(
    readonly maximumAvailable: number,
    readonly restoreRate: number,
  ) {
    this.available = maximumAvailable;
  }

  private refill(): void {
    const now = performance.now();
    this.available = Math.min(this.maximumAvailable, this.available + ((now - this.last) / 1000) * this.restoreRate);
    this.last = now;
  }

  /** Takes `cost` points when that many are available; false (nothing taken) otherwise. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.maximumAvailable, this.available + points);
  }

  status(): ThrottleStatus {
    this.refill();
    return { maximumAvailable: this.maximumAvailable, currentlyAvailable: Math.floor(this.available), restoreRate: this.restoreRate };
  }
}

/** A bucket per access token, sized by the shop's current plan: a plan change starts fresh buckets. */
export class ThrottleBuckets {
  private readonly buckets = new Map<string, ThrottleBucket>();

  constructor(private readonly plan: () => Plan) {}

  of(token: string): ThrottleBucket {
    const limits = PLAN_LIMITS[this.plan()];
    let bucket = this.buckets.get(token);
    if (!bucket || bucket.maximumAvailable !== limits.maximumAvailable) {
      bucket = new ThrottleBucket(limits.maximumAvailable, limits.restoreRate);
      this.buckets.set(token, bucket);
    }
    return bucket;
  }

  clear(): void {
    this.buckets.clear();
  }
}
