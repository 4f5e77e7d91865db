import { errorResponse, json, toAppError } from '@/server/http/route';
import { AppError, isAppError } from '@/lib/errors';
import { getRuntime } from '@/server/registry';
import { receiveWebhook } from '@/server/webhooks/receive';

export const dynamic = 'force-dynamic';

/** Shopify webhooks: authenticated by HMAC of the raw body, not by a user token. */
export async function POST(req: Request): Promise<Response> {
  const started = performance.now();
  const topic = req.headers.get('x-shopify-topic') ?? 'unknown';
  let runtime;
  try {
    runtime = getRuntime();
  } catch {
    return errorResponse(new AppError('unavailable', 'The server is starting or stopping; try again shortly'));
  }
  let status = 500;
  try {
    const result = await receiveWebhook(runtime, req);
    status = result.status;
    return json(result.body, result.status, result.headers);
  } catch (err) {
    // A value the database refuses (a NUL in the payload) is the sender's error (400), not ours.
    const mapped = isAppError(err) ? err : toAppError(err, runtime, crypto.randomUUID());
    const appError = mapped.status >= 500 ? new AppError('internal', 'Webhook could not be recorded') : mapped;
    status = appError.status;
    return errorResponse(appError);
  } finally {
    runtime.metrics.webhookDeliveries.inc({ topic, result: String(status) });
    runtime.metrics.webhookLatency.observe({ topic }, (performance.now() - started) / 1000);
  }
}
