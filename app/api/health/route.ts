import { getHealth } from '@/server/health';
import { json } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/** Public: database reachable, queue and socket state. Never secrets. */
export async function GET() {
  const health = await getHealth();
  return json(health, health.status === 'down' ? 503 : 200);
}
