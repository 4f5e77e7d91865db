/**
 * The store's one scheduler of Shopify work, under its throttle bucket (throttle.ts): each kind of
 * work (a lane: the push, the poll, webhook re-reads, pulls) gets a share of the points by its
 * weight (start-time fair queueing). Within a lane requests are served first come, first served;
 * across lanes the request with the lowest virtual start (points / weight already given to its
 * lane) goes next, so a lane with a backlog of a thousand re-reads delays a push request by at
 * most one turn, and none starves.
 */

/** What one lane has been given and has waiting, for metrics and the mixed bench. */
export interface LaneStats {
  requests: number;
  /** Points reserved for the lane's requests (requested cost, before refunds). */
  points: number;
  waiting: number;
  waitedMs: number;
}

export interface Waiter {
  cost: () => number;
  lane: string;
  /** Virtual start time: the points (divided by weight) the scheduler had handed out when it was queued. */
  tag: number;
  enqueuedAt: number;
  resolve: (granted: number) => void;
}

export const DEFAULT_LANE = 'default';

interface Lane {
  queue: Waiter[];
  finish: number;
  stats: LaneStats;
}

export class LaneScheduler {
  private readonly lanes = new Map<string, Lane>();
  /** Virtual time: the start tag of the request served last. */
  private virtual = 0;

  /** `shares`: each lane's weight (a lane not named weighs 1). */
  constructor(
    private readonly shares: Record<string, number>,
    private readonly now: () => number,
  ) {}

  /** Queues a request of `lane`; `resolve` is called with the points granted when `take` serves it. */
  enqueue(cost: () => number, lane: string, resolve: (granted: number) => void): void {
    const l = this.lane(lane);
    const weight = Math.max(0.01, this.shares[lane] ?? 1);
    const tag = Math.max(this.virtual, l.finish);
    l.finish = tag + Math.max(1, cost()) / weight;
    l.stats.waiting += 1;
    l.queue.push({ cost, lane, tag, enqueuedAt: this.now(), resolve });
  }

  /** The waiting request to serve next: the lowest virtual start among the lanes' heads. */
  next(): Waiter | undefined {
    let best: Waiter | undefined;
    for (const l of this.lanes.values()) {
      const head = l.queue[0];
      if (head && (!best || head.tag < best.tag)) best = head;
    }
    return best;
  }

  /** Serves `head` (the request `next` gave) with `cost` points; returns how long it waited. */
  take(head: Waiter, cost: number): number {
    const lane = this.lane(head.lane);
    lane.queue.shift();
    this.virtual = Math.max(this.virtual, head.tag);
    const waited = this.now() - head.enqueuedAt;
    Object.assign(lane.stats, {
      requests: lane.stats.requests + 1,
      points: lane.stats.points + cost,
      waiting: lane.stats.waiting - 1,
      waitedMs: lane.stats.waitedMs + waited,
    });
    head.resolve(cost);
    return waited;
  }

  /** Per lane: requests served, points reserved, requests waiting now, time spent waiting. */
  stats(): Record<string, LaneStats> {
    return Object.fromEntries([...this.lanes].map(([name, l]) => [name, { ...l.stats }]));
  }

  private lane(name: string): Lane {
    let l = this.lanes.get(name);
    if (!l) {
      l = { queue: [], finish: 0, stats: { requests: 0, points: 0, waiting: 0, waitedMs: 0 } };
      this.lanes.set(name, l);
    }
    return l;
  }
}
