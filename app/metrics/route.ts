import { timingSafeEqual } from 'node:crypto';
import { AppError } from '@/lib/errors';
import { errorResponse } from '@/server/http/request';
import { getRuntime } from '@/server/registry';

export const dynamic = 'force-dynamic';

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Prometheus text, for a scraper holding METRICS_TOKEN. Off (404) when no token is configured. */
export async function GET(req: Request) {
  const runtime = getRuntime();
  const expected = runtime.config.METRICS_TOKEN;
  if (!expected) return errorResponse(new AppError('not_found:metrics', 'Metrics are off: set METRICS_TOKEN to enable GET /metrics'));
  const given = /^Bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1] ?? '';
  if (!tokenMatches(given, expected)) return errorResponse(new AppError('unauthorized', 'A valid metrics token is required'));
  const body = await runtime.metrics.registry.metrics();
  return new Response(body, { headers: { 'content-type': runtime.metrics.registry.contentType, 'cache-control': 'no-store' } });
}
