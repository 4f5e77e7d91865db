import { json } from '@/server/http/route';
import { hasRuntime, getRuntime } from '@/server/registry';
import { answerWebhook, fetchWebhookRequest } from '@/server/webhooks/http';

export const dynamic = 'force-dynamic';

/**
 * Shopify webhooks: authenticated by HMAC of the raw body, not by a user token. The app server
 * answers most deliveries before Next (server/webhooks/http.ts) with this same answerWebhook.
 */
export async function POST(req: Request): Promise<Response> {
  const answer = await answerWebhook(hasRuntime() ? getRuntime() : undefined, fetchWebhookRequest(req));
  return json(answer.body, answer.status, answer.headers);
}
