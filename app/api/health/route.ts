import { tokenFromRequest } from '@/server/auth/tokens';
import { getHealth } from '@/server/health';
import { json } from '@/server/http/request';
import { type App, getApp, hasApp } from '@/server/registry';

export const dynamic = 'force-dynamic';

/**
 * Anyone (a load balancer, an uptime check) learns whether the service is up: `{status}`, 503 when
 * down. The detail (database, queue, socket, auth mode, sync indicators) is for a signed-in user:
 * it names the store, the database kind and the auth mode, which are no one else's business.
 */
export async function GET(req: Request) {
  const app = hasApp() ? getApp() : undefined;
  const health = await getHealth(app);
  const status = health.status === 'down' ? 503 : 200;
  return (await signedIn(req, app)) ? json(health, status) : json({ status: health.status }, status);
}

async function signedIn(req: Request, app: App | undefined): Promise<boolean> {
  const found = tokenFromRequest(req.headers);
  if (!app || !found?.token) return false;
  return app.runtime.verifier.verify(found.token).then(
    () => true,
    () => false,
  );
}
