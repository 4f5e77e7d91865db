import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, isAppError } from '../../../lib/errors';
import { apiSecurityHeaders } from '../../../lib/security-headers';
import { readBodyBytes, toAppError } from '../../http/request';
import { receiveWebhook, tooLarge, type WebhookIntake, type WebhookRequest } from './receive';

export const WEBHOOK_PATH = '/api/webhooks/shopify';

export interface WebhookAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * The answer to POST /api/webhooks/shopify, whoever carries the request: the Next route handler
 * and the fast path below both call this, so the two cannot drift apart. Errors become their
 * status (401, 400, 413); anything unexpected is a 500 that says only that nothing was recorded.
 */
export async function answerWebhook(intake: WebhookIntake | undefined, req: WebhookRequest): Promise<WebhookAnswer> {
  if (!intake) return fromError(new AppError('unavailable', 'The server is starting or stopping; try again shortly'));
  const started = performance.now();
  const topic = req.header('x-shopify-topic') ?? 'unknown';
  let status = 500;
  try {
    const result = await receiveWebhook(intake, req);
    status = result.status;
    return result;
  } catch (err) {
    // A value the database refuses (a NUL in the payload) is the sender's error (400), not ours.
    const mapped = isAppError(err) ? err : toAppError(err, intake.runtime.logger, randomUUID());
    const appError = mapped.status >= 500 ? new AppError('internal', 'Webhook could not be recorded') : mapped;
    status = appError.status;
    return fromError(appError);
  } finally {
    intake.runtime.metrics.webhookDeliveries.inc({ topic, result: String(status) });
    intake.runtime.metrics.webhookLatency.observe({ topic }, (performance.now() - started) / 1000);
  }
}

function fromError(err: AppError): WebhookAnswer {
  return { status: err.status, body: err.toBody() };
}

/** A fetch Request (the route handler's) as a WebhookRequest. */
export function fetchWebhookRequest(req: Request): WebhookRequest {
  return {
    header: (name) => req.headers.get(name),
    body: (max) => readBodyBytes(req, max, tooLarge),
    peer: null,
  };
}

/** A Node request (the fast path's) as a WebhookRequest. */
export function nodeWebhookRequest(req: IncomingMessage): WebhookRequest {
  return {
    header(name) {
      const value = req.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    peer: req.socket.remoteAddress ?? null,
    body: (max) =>
      new Promise<Uint8Array>((resolve, reject) => {
        const declared = Number(req.headers['content-length'] ?? NaN);
        if (Number.isFinite(declared) && declared > max) return reject(tooLarge(max));
        const chunks: Buffer[] = [];
        let size = 0;
        const onData = (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > max) {
            req.off('data', onData);
            req.pause();
            reject(tooLarge(max));
          } else chunks.push(chunk);
        };
        req.on('data', onData);
        req.once('end', () => resolve(Buffer.concat(chunks)));
        req.once('error', reject);
      }),
  };
}

/** True for the requests the fast path answers: POST /api/webhooks/shopify, with or without a query. */
export function isWebhookDelivery(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || !req.url) return false;
  const q = req.url.indexOf('?');
  return (q === -1 ? req.url : req.url.slice(0, q)) === WEBHOOK_PATH;
}

/**
 * Answers a webhook delivery in front of Next: the same answer as the route handler (answerWebhook)
 * with the headers Next would add (lib/security-headers.ts), without Next's routing per request.
 */
export async function serveWebhookFastPath(intake: WebhookIntake | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const answer = await answerWebhook(intake, nodeWebhookRequest(req));
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...apiSecurityHeaders(),
    'cache-control': 'no-store',
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    // A body refused unread (too large) is not drained: the connection closes after the answer.
    ...(answer.status === 413 ? { connection: 'close' } : {}),
    ...answer.headers,
  });
  res.end(body);
}
