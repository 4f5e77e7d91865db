import { createHmac, randomUUID } from 'node:crypto';
import { and, eq, isNull, or } from 'drizzle-orm';
import { type Batch, type NotificationSubscriber, notificationAttempts, notificationSubscribers } from '../../drizzle/schema';
import { type RetryPolicy, retryDelay } from '../../lib/retry';
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import type { PgBoss } from '../queue/boss';
import { postToTarget, resolveTarget } from './outbound';

export const NOTIFY_QUEUE = 'notify';
/** Retries after the first attempt; retry n waits a random time up to base * 2^(n-1) (1, 2, 4 ... 128 s). */
export const NOTIFY_RETRIES = 8;
export const SIGNATURE_HEADER = 'x-catalog-sync-hmac-sha256';

/** A delivery's attempts: each retry is a job sent for later, so a subscriber that is down holds no worker. */
function notifyRetry(baseMs: number): RetryPolicy {
  return { attempts: NOTIFY_RETRIES + 1, baseMs, capMs: baseMs * 2 ** (NOTIFY_RETRIES - 1) };
}

export interface NotifyJob {
  subscriberId: string;
  deliveryId: string;
  event: string;
  attempt: number;
  body: string;
}

/** base64(HMAC-SHA256(secret, raw body)), the way Shopify signs its webhooks. */
export function signBody(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

export function batchCompletedPayload(batch: Batch) {
  return {
    event: 'batch.completed',
    batch: {
      id: batch.id,
      storeId: batch.storeId,
      kind: batch.kind,
      status: batch.status,
      priority: batch.priority,
      rollbackOf: batch.rollbackOf,
      operationId: batch.operationId,
      counts: batch.counts,
      createdBy: batch.createdBy,
      createdAt: batch.createdAt.toISOString(),
      finishedAt: batch.finishedAt?.toISOString() ?? null,
    },
  };
}

/**
 * Outbound notifications: every subscriber gets a signed POST per event, retried with exponential
 * backoff and full jitter; every attempt is recorded in notification_attempts.
 */
export class Notifier {
  constructor(
    private readonly db: Db,
    private readonly boss: PgBoss,
    private readonly logger: Logger,
    private readonly options: { baseDelayMs?: number; timeoutMs?: number; allowPrivateTargets?: boolean } = {},
  ) {}

  async start(): Promise<void> {
    await this.boss.createQueue(NOTIFY_QUEUE);
    await this.boss.work<NotifyJob>(NOTIFY_QUEUE, { batchSize: 5, pollingIntervalSeconds: 0.5 }, async (jobs) => {
      await Promise.all(jobs.map((job) => this.deliver(job.data)));
    });
  }

  async batchFinished(batch: Batch): Promise<void> {
    const subs = await this.db
      .select()
      .from(notificationSubscribers)
      .where(
        and(
          eq(notificationSubscribers.active, true),
          or(isNull(notificationSubscribers.storeId), eq(notificationSubscribers.storeId, batch.storeId)),
        ),
      );
    const body = JSON.stringify({ ...batchCompletedPayload(batch), sentAt: new Date().toISOString() });
    for (const sub of subs.filter((s) => s.events.includes('batch.completed'))) {
      await this.boss.send(NOTIFY_QUEUE, {
        subscriberId: sub.id,
        deliveryId: randomUUID(),
        event: 'batch.completed',
        attempt: 1,
        body,
      } satisfies NotifyJob);
    }
  }

  private async deliver(job: NotifyJob): Promise<void> {
    const [sub] = await this.db.select().from(notificationSubscribers).where(eq(notificationSubscribers.id, job.subscriberId));
    if (!sub?.active) return;
    const { error } = await this.attempt(sub, job);
    if (!error) return;
    const waitMs = retryDelay(notifyRetry(this.options.baseDelayMs ?? 1000), job.attempt);
    if (waitMs === null) {
      this.logger.warn({ subscriberId: sub.id, deliveryId: job.deliveryId }, 'notification given up after all retries');
      return;
    }
    await this.boss.sendAfter(NOTIFY_QUEUE, { ...job, attempt: job.attempt + 1 }, {}, new Date(Date.now() + waitMs));
  }

  /**
   * A signed `test` event sent now, once, without retries (an admin checking a receiver from the
   * Settings page); recorded among the subscriber's attempts like any delivery.
   */
  async sendTest(sub: NotificationSubscriber): Promise<typeof notificationAttempts.$inferSelect> {
    const body = JSON.stringify({ event: 'test', subscriberId: sub.id, sentAt: new Date().toISOString() });
    return (await this.attempt(sub, { subscriberId: sub.id, deliveryId: randomUUID(), event: 'test', attempt: 1, body })).row;
  }

  /** One signed POST of a delivery and its record in notification_attempts. */
  private async attempt(sub: NotificationSubscriber, job: NotifyJob) {
    const started = Date.now();
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      // Checked again at every send, after resolving: the URL was public when saved, its DNS may not be now.
      const target = await resolveTarget(sub.url, this.options.allowPrivateTargets ?? false);
      httpStatus = await postToTarget(
        target,
        {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signBody(sub.secret, job.body),
          'x-catalog-sync-event': job.event,
          'x-catalog-sync-delivery': job.deliveryId,
          'x-catalog-sync-attempt': String(job.attempt),
        },
        job.body,
        this.options.timeoutMs ?? 5000,
      );
      if (httpStatus < 200 || httpStatus >= 300) error = `HTTP ${httpStatus}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const [row] = await this.db
      .insert(notificationAttempts)
      .values({
        subscriberId: sub.id,
        deliveryId: job.deliveryId,
        event: job.event,
        attempt: job.attempt,
        status: error ? 'failed' : 'delivered',
        httpStatus,
        error,
        durationMs: Date.now() - started,
      })
      .returning();
    return { error, row: row! };
  }
}
