export interface BucketLevel {
  available: number;
  maximum: number;
}

/**
 * Units in flight per store, between min and max: halved after a failure worth retrying, raised
 * by one after a success while the throttle bucket is more than half full, lowered by one when
 * it runs below a tenth.
 */
export class AdaptiveConcurrency {
  private readonly limits = new Map<string, number>();

  constructor(
    private readonly min = 2,
    private readonly max = 10,
  ) {}

  limit(storeId: string): number {
    return this.limits.get(storeId) ?? Math.max(this.min, 4);
  }

  adapt(storeId: string, ok: boolean, bucket: BucketLevel | null): void {
    let next = this.limit(storeId);
    if (!ok) next = Math.max(this.min, Math.floor(next / 2));
    else if (!bucket || bucket.available > bucket.maximum * 0.5) next = Math.min(this.max, next + 1);
    else if (bucket.available < bucket.maximum * 0.1) next = Math.max(this.min, next - 1);
    this.limits.set(storeId, next);
  }
}
