import { createHmac, randomUUID } from 'node:crypto';
import type { ShopState } from './state';

export interface WebhookAttempt {
  at: string;
  status: number | null;
  error?: string;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  webhookId: string;
  topic: string;
  uri: string;
  subscriptionId: number;
  body: string;
  triggeredAt: string;
  duplicate: boolean;
  status: 'pending' | 'delivered' | 'failed';
  attempts: WebhookAttempt[];
}

/** PRODUCTS_UPDATE → products/update, INVENTORY_LEVELS_UPDATE → inventory_levels/update. */
export function topicHeader(topic: string): string {
  const lower = topic.toLowerCase();
  const cut = lower.lastIndexOf('_');
  return cut < 0 ? lower : `${lower.slice(0, cut)}/${lower.slice(cut + 1)}`;
}

/** includeFields on a subscription trims the payload to those top-level keys, as Shopify does. */
function pick(payload: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => f in payload).map((f) => [f, payload[f]]));
}

export function hmacOf(secret: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** Shopify retries a failed delivery 8 times over about 4 hours; here the schedule is scaled. */
export const RETRY_DELAYS_MS = [10_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000];

export interface DispatcherOptions {
  state: ShopState;
  shopDomain: string;
  apiVersion: string;
  secret: () => string;
  timeScale: () => number;
  duplicates: () => boolean;
}

/**
 * At-least-once delivery: each event is POSTed to every subscription of its topic with Shopify's
 * headers and HMAC; a non-2xx answer or a network error is retried with growing delays.
 */
export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: DispatcherOptions) {}

  emit(topic: string, payload: unknown): void {
    if (this.closed) return;
    const subs = [...this.options.state.webhookSubscriptions.values()].filter((s) => s.topic === topic);
    const header = topicHeader(topic);
    if (subs.length === 0) return;
    const fullBody = JSON.stringify(payload);
    const eventId = randomUUID();
    const triggeredAt = new Date().toISOString();
    for (const sub of subs) {
      const body =
        sub.includeFields.length && payload && typeof payload === 'object'
          ? JSON.stringify(pick(payload as Record<string, unknown>, sub.includeFields))
          : fullBody;
      const copies = this.options.duplicates() ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        const delivery: WebhookDelivery = {
          id: randomUUID(),
          eventId,
          webhookId: randomUUID(),
          topic: header,
          uri: sub.uri,
          subscriptionId: sub.id,
          body,
          triggeredAt,
          duplicate: c > 0,
          status: 'pending',
          attempts: [],
        };
        this.deliveries.push(delivery);
        if (this.deliveries.length > 5000) this.deliveries.splice(0, this.deliveries.length - 5000);
        this.attempt(delivery);
      }
    }
  }

  private attempt(delivery: WebhookDelivery): void {
    const run = this.send(delivery).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async send(delivery: WebhookDelivery): Promise<void> {
    if (this.closed) return;
    const headers = {
      'content-type': 'application/json',
      'x-shopify-topic': delivery.topic,
      'x-shopify-hmac-sha256': hmacOf(this.options.secret(), delivery.body),
      'x-shopify-shop-domain': this.options.shopDomain,
      'x-shopify-api-version': this.options.apiVersion,
      'x-shopify-webhook-id': delivery.webhookId,
      'x-shopify-event-id': delivery.eventId,
      'x-shopify-triggered-at': delivery.triggeredAt,
    };
    let status: number | null = null;
    let error: string | undefined;
    try {
      const response = await fetch(delivery.uri, { method: 'POST', headers, body: delivery.body, signal: AbortSignal.timeout(5000) });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (err) {
      error = (err as Error).message;
    }
    delivery.attempts.push({ at: new Date().toISOString(), status, ...(error ? { error } : {}) });
    if (status !== null && status >= 200 && status < 300) {
      delivery.status = 'delivered';
      return;
    }
    const retry = delivery.attempts.length - 1;
    if (retry >= RETRY_DELAYS_MS.length || this.closed) {
      delivery.status = 'failed';
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.attempt(delivery);
    }, RETRY_DELAYS_MS[retry]! * this.options.timeScale());
    timer.unref();
    this.timers.add(timer);
  }

  /** Resolves once nothing is being sent right now (pending retries may remain). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.deliveries.length = 0;
  }

  close(): void {
    this.closed = true;
    this.clear();
  }
}
