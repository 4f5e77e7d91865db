import { json } from '@/server/http/request';
import { answerWebhook, fetchWebhookRequest } from '@/server/ingest/webhooks/http';
import { getApp, hasApp } from '@/server/registry';

export const dynamic = 'force-dynamic';

/**
 * Shopify webhooks: authenticated by HMAC of the raw body, not by a user token. The app server
 * answers most deliveries before Next (server/ingest/webhooks/http.ts) with this same answerWebhook.
 */
export async function POST(req: Request): Promise<Response> {
  const app = hasApp() ? getApp() : undefined;
  const answer = await answerWebhook(app && { runtime: app.runtime, ...app.services }, fetchWebhookRequest(req));
  return json(answer.body, answer.status, answer.headers);
}
