import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSecrets } from '../../drizzle/schema';
import { can, ROLES } from '../../lib/auth/permissions';
import { DEMO_ISSUER } from '../../server/auth/tokens';
import { callRoute, demoToken } from '../helpers/api';
import { discoverRoutes, type DiscoveredRoute } from '../helpers/routes';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
let routes: DiscoveredRoute[];
let demoKey: Uint8Array;

beforeAll(async () => {
  t = await startTestRuntime();
  routes = (await discoverRoutes()).filter((r) => r.action);
  const [row] = await t.runtime.db.select().from(appSecrets).where(eq(appSecrets.name, 'demo_jwt_secret'));
  demoKey = new TextEncoder().encode(row!.value);
});
afterAll(() => t?.stop());

function call(route: DiscoveredRoute, token: string | null) {
  return callRoute(route.handler, { method: route.method, path: route.path, params: route.params, token, body: route.method === 'GET' ? undefined : {} });
}

async function sign(claims: Record<string, unknown>, options: { exp?: number; key?: Uint8Array } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(DEMO_ISSUER)
    .setSubject('someone')
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '1h')
    .sign(options.key ?? demoKey);
}

describe('authorization matrix', () => {
  it('finds the guarded routes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(5);
  });

  for (const role of ROLES) {
    it(`lets ${role} do exactly what DESIGN.md allows`, async () => {
      const token = await demoToken(role);
      const wrong: string[] = [];
      for (const route of routes) {
        const res = await call(route, token);
        const allowed = can(role, route.action!);
        if (allowed ? res.status === 401 || res.status === 403 : res.status !== 403) {
          wrong.push(`${route.method} ${route.path} (${route.action}) -> ${res.status} ${JSON.stringify(res.body)}`);
        }
        if (!allowed) expect(res.body.error.code).toBe('forbidden');
      }
      expect(wrong).toEqual([]);
    });
  }

  it('answers 401 without a token, with a tampered, expired, wrongly signed or role-less token', async () => {
    const good = await demoToken('admin');
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, app_metadata: { role: 'admin' }, sub: 'mallory' })).toString('base64url')}.${s}`;
    const tokens = {
      none: null,
      malformed: 'not-a-jwt',
      tampered,
      expired: await sign({ app_metadata: { role: 'admin' } }, { exp: Math.floor(Date.now() / 1000) - 60 }),
      wrongKey: await sign({ app_metadata: { role: 'admin' } }, { key: new TextEncoder().encode('x'.repeat(32)) }),
      roleless: await sign({ app_metadata: {} }),
      unknownRole: await sign({ app_metadata: { role: 'owner' } }),
    };
    for (const route of routes) {
      for (const [name, token] of Object.entries(tokens)) {
        const res = await call(route, token);
        expect.soft(res.status, `${route.method} ${route.path} with ${name} token`).toBe(401);
        expect.soft(res.body?.error?.code, `${name}`).toBe('unauthorized');
      }
    }
  });
});
