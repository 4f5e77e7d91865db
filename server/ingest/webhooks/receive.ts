import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../lib/errors';
import { jsonNestedDeeperThan } from '../../../lib/json-depth';
import { clientAddress } from '../../http/origin';
import type { Runtime } from '../../runtime';
import type { StoreLookup, WebhookStore } from '../../stores/lookup';
import type { DeliveryRecorder } from './deliveries';
import type { UnknownShopRefusals } from './refusals';
import type { WebhookSubscriptionCheck } from './subscription-check';
import type { UnverifiedWebhookLimiter } from './unverified-limit';
import type { WebhookWorker } from './worker';

export const WEBHOOK_MAX_BYTES = 1024 * 1024;
/** Shopify's payloads nest a handful of levels; far deeper is no delivery of theirs. */
export const WEBHOOK_MAX_DEPTH = 64;

/** Topics that trigger a targeted re-read; others are recorded as ignored and answered 200. */
export const HANDLED_TOPICS = [
  'products/create',
  'products/update',
  'products/delete',
  'inventory_levels/update',
  'collections/create',
  'collections/update',
  'collections/delete',
] as const;

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
 * Request) or the fast path in front of Next (a Node IncomingMessage). See server/ingest/webhooks/http.ts.
 */
export interface WebhookRequest {
  /** A header's value (repeated headers joined by ", "), or null. */
  header(name: string): string | null;
  /** The raw body, read up to `max` bytes without trusting Content-Length; past it a 413 AppError. */
  body(max: number): Promise<Uint8Array>;
  /** The connection's peer address (null where the carrier does not know it). */
  peer: string | null;
}

export const tooLarge = (max: number) => new AppError('payload_too_large', `Webhook bodies are limited to ${max / 1024 / 1024} MB`);

/** The webhook services of a process: deliveries recorded (group commit), then worked off; failed verifications limited. */
export interface WebhookServices {
  recorder: DeliveryRecorder;
  limiter: UnverifiedWebhookLimiter;
  worker: WebhookWorker;
  /** Deliveries refused because no store has their shop, for the health answer. */
  refusals: UnknownShopRefusals;
  /** The periodic check that each store still sends us its webhooks. */
  subscriptions: WebhookSubscriptionCheck;
}

/** What receiving a delivery needs: the runtime's config, logger and metrics, the store lookup, the webhook services. */
export interface WebhookIntake {
  runtime: Pick<Runtime, 'config' | 'logger' | 'metrics'>;
  stores: StoreLookup;
  webhooks: WebhookServices;
}

export interface ReceiveResult {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * POST /api/webhooks/shopify: size cap -> store -> HMAC -> depth -> JSON -> dedupe -> queue. A
 * verified delivery is always accepted (never 429), even from an address over its budget of failed
 * verifications: behind a proxy without TRUST_PROXY every sender shares one address, and a forger's
 * requests must not cost Shopify's their answer. A flood of verified deliveries is recorded,
 * coalesced per entity and re-read at the pace of the store's Shopify bucket by the worker. Answers
 * fast; the re-read happens in the webhook worker.
 */
export async function receiveWebhook({ runtime, stores, webhooks }: WebhookIntake, req: WebhookRequest): Promise<ReceiveResult> {
  const address = clientAddress({ get: (name) => req.header(name) }, req.peer, runtime.config) ?? 'unknown';
  const raw = await req.body(WEBHOOK_MAX_BYTES);
  const shop = (req.header('x-shopify-shop-domain') ?? '').toLowerCase();
  const hmac = req.header('x-shopify-hmac-sha256');
  // An address over its budget is heard out, but without database work: its request must first
  // verify against the store this process last found for the shop (memory). Only then is the
  // store read afresh and the signature checked against what it says now.
  const blockedFor = webhooks.limiter.blockedFor(address);
  if (blockedFor > 0 && !signedBy(stores.remembered(shop), raw, hmac)) return rateLimited(blockedFor);
  const store = shop ? await stores.byShopDomain(shop) : null;
  if (shop && !store) webhooks.refusals.note(shop);
  if (!store || !signedBy(store, raw, hmac)) {
    if (blockedFor > 0) return rateLimited(blockedFor);
    const wait = await webhooks.limiter.spend(address).catch((err: unknown) => {
      runtime.logger.warn({ err }, 'webhook rate limit could not be counted');
      return 0;
    });
    if (wait > 0) return rateLimited(wait);
    throw new AppError('unauthorized', 'Webhook signature missing or invalid');
  }
  const text = Buffer.from(raw).toString('utf8');
  if (jsonNestedDeeperThan(text, WEBHOOK_MAX_DEPTH)) {
    throw new AppError('bad_request:too_deep', `Webhook bodies may nest at most ${WEBHOOK_MAX_DEPTH} levels`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new AppError('bad_request:invalid_json', 'Webhook body is not valid JSON');
  }
  if (typeof payload !== 'object' || payload === null)
    throw new AppError('bad_request:invalid_payload', 'Webhook body must be a JSON object');
  // Postgres jsonb cannot hold a NUL character; Shopify never sends one.
  if (/(^|[^\\])(\\\\)*\\u0000/.test(text)) {
    throw new AppError('bad_request:invalid_payload', 'Webhook body contains a NUL character');
  }
  const topic = req.header('x-shopify-topic') ?? '';
  const eventId = req.header('x-shopify-event-id') ?? req.header('x-shopify-webhook-id');
  if (!topic || !eventId) throw new AppError('bad_request:missing_headers', 'X-Shopify-Topic and X-Shopify-Event-Id are required');
  const handled = (HANDLED_TOPICS as readonly string[]).includes(topic);
  const triggeredAt = Date.parse(req.header('x-shopify-triggered-at') ?? '');
  const row = await webhooks.recorder.record({
    storeId: store.id,
    shop,
    topic,
    eventId,
    webhookId: req.header('x-shopify-webhook-id'),
    apiVersion: req.header('x-shopify-api-version'),
    triggeredAt: Number.isFinite(triggeredAt) ? new Date(triggeredAt).toISOString() : null,
    status: handled ? 'accepted' : 'ignored',
    // The body as received: it parsed as a JSON object above, and the database parses it once more.
    payload: text,
  });
  if (!row.inserted) return { status: 200, body: { ok: true, duplicate: true, deliveryId: row.id } };
  if (!handled) {
    runtime.logger.info({ topic, shop, eventId }, 'webhook topic not handled; recorded and ignored');
    return { status: 200, body: { ok: true, ignored: true, deliveryId: row.id } };
  }
  webhooks.worker.kick();
  return { status: 200, body: { ok: true, deliveryId: row.id } };
}

/** True when the body carries the store's signature. */
function signedBy(store: WebhookStore | null, raw: Uint8Array, header: string | null): boolean {
  return !!store?.webhookSecret && verifyHmac(store.webhookSecret, raw, header);
}

function rateLimited(retryAfter: number): ReceiveResult {
  return {
    status: 429,
    body: { error: { code: 'rate_limited', message: 'Too many webhook requests that failed verification from this address' } },
    headers: { 'retry-after': String(retryAfter) },
  };
}
