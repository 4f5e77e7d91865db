import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../lib/errors';
import type { Runtime } from '../runtime';
import { storeByShopDomain } from '../stores/lookup';
import { deliveryRecorder } from './deliveries';
import { getWebhookWorker } from './worker';

export const WEBHOOK_MAX_BYTES = 1024 * 1024;
export const DEFAULT_WEBHOOKS_PER_MINUTE = 100;

/** Topics that trigger a targeted re-read; others are recorded as ignored and answered 200. */
export const HANDLED_TOPICS = ['products/create', 'products/update', 'products/delete', 'inventory_levels/update', 'collections/create', 'collections/update', 'collections/delete'] as const;

/** base64(HMAC-SHA256(secret, raw body)) compared in constant time. */
export function verifyHmac(secret: string, raw: Uint8Array, header: string | null): boolean {
  if (!header) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  let given: Buffer;
  try {
    given = Buffer.from(header, 'base64');
  } catch {
    return false;
  }
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * What receiving needs of a request, whichever server carries it: the Next route handler (a fetch
 * Request) or the fast path in front of Next (a Node IncomingMessage). See server/webhooks/http.ts.
 */
export interface WebhookRequest {
  /** A header's value (repeated headers joined by ", "), or null. */
  header(name: string): string | null;
  /** The raw body, read up to `max` bytes without trusting Content-Length; past it a 413 AppError. */
  body(max: number): Promise<Uint8Array>;
}

export const tooLarge = (max: number) => new AppError('payload_too_large', `Webhook bodies are limited to ${max / 1024 / 1024} MB`);

/** A fixed one-minute window per store, per process. */
class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  take(key: string, limit: number, now = Date.now()): { ok: boolean; retryAfter: number } {
    const minute = Math.floor(now / 60_000) * 60_000;
    let w = this.windows.get(key);
    if (!w || w.start !== minute) {
      w = { start: minute, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return { ok: w.count <= limit, retryAfter: Math.ceil((minute + 60_000 - now) / 1000) };
  }
}

function limiter(runtime: Runtime): RateLimiter {
  let l = runtime.services.get('webhookRateLimiter') as RateLimiter | undefined;
  if (!l) runtime.services.set('webhookRateLimiter', (l = new RateLimiter()));
  return l;
}

export interface ReceiveResult {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * POST /api/webhooks/shopify: size cap -> store -> HMAC -> rate limit -> JSON -> dedupe -> queue.
 * Answers fast; the re-read happens in the webhook worker.
 */
export async function receiveWebhook(runtime: Runtime, req: WebhookRequest): Promise<ReceiveResult> {
  const raw = await req.body(WEBHOOK_MAX_BYTES);
  const shop = (req.header('x-shopify-shop-domain') ?? '').toLowerCase();
  const store = shop ? await storeByShopDomain(runtime, shop) : null;
  if (!store || !store.webhookSecret || !verifyHmac(store.webhookSecret, raw, req.header('x-shopify-hmac-sha256'))) {
    throw new AppError('unauthorized', 'Webhook signature missing or invalid');
  }
  const limit = store.settings.webhookRateLimitPerMinute ?? DEFAULT_WEBHOOKS_PER_MINUTE;
  const taken = limiter(runtime).take(store.id, limit);
  if (!taken.ok) {
    return { status: 429, body: { error: { code: 'rate_limited', message: `More than ${limit} webhooks a minute for this store` } }, headers: { 'retry-after': String(taken.retryAfter) } };
  }
  const text = Buffer.from(raw).toString('utf8');
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new AppError('bad_request:invalid_json', 'Webhook body is not valid JSON');
  }
  if (typeof payload !== 'object' || payload === null) throw new AppError('bad_request:invalid_payload', 'Webhook body must be a JSON object');
  // Postgres jsonb cannot hold a NUL character; Shopify never sends one.
  if (/(^|[^\\])(\\\\)*\\u0000/.test(text)) {
    throw new AppError('bad_request:invalid_payload', 'Webhook body contains a NUL character');
  }
  const topic = req.header('x-shopify-topic') ?? '';
  const eventId = req.header('x-shopify-event-id') ?? req.header('x-shopify-webhook-id');
  if (!topic || !eventId) throw new AppError('bad_request:missing_headers', 'X-Shopify-Topic and X-Shopify-Event-Id are required');
  const handled = (HANDLED_TOPICS as readonly string[]).includes(topic);
  const triggeredAt = Date.parse(req.header('x-shopify-triggered-at') ?? '');
  const row = await deliveryRecorder(runtime).record({
    storeId: store.id,
    shop,
    topic,
    eventId,
    webhookId: req.header('x-shopify-webhook-id'),
    apiVersion: req.header('x-shopify-api-version'),
    triggeredAt: Number.isFinite(triggeredAt) ? new Date(triggeredAt).toISOString() : null,
    status: handled ? 'accepted' : 'ignored',
    payload: JSON.stringify(payload),
  });
  if (!row.inserted) return { status: 200, body: { ok: true, duplicate: true, deliveryId: row.id } };
  if (!handled) {
    runtime.logger.info({ topic, shop, eventId }, 'webhook topic not handled; recorded and ignored');
    return { status: 200, body: { ok: true, ignored: true, deliveryId: row.id } };
  }
  getWebhookWorker(runtime).kick();
  return { status: 200, body: { ok: true, deliveryId: row.id } };
}
