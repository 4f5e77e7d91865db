import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSecrets } from '../../drizzle/schema';
import { ROLES, type Role } from '../../lib/auth/permissions';
import { DEMO_ISSUER } from '../../server/auth/tokens';
import { callRoute, demoToken } from '../helpers/api';
import { type DiscoveredRoute, discoverRoutes } from '../helpers/routes';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

/**
 * DESIGN.md's role table, written out per route (method + path -> the roles allowed), not read from
 * the routes' own declarations: a route that declares the wrong action fails here. A route added
 * under app/api must be added to this table (or to PUBLIC) before the suite passes.
 */
const ANY: readonly Role[] = ['merchandiser', 'admin', 'support'];
const MERCH_ADMIN: readonly Role[] = ['merchandiser', 'admin'];
const ADMIN: readonly Role[] = ['admin'];
const ROLLBACK: readonly Role[] = ['admin', 'support'];

const MATRIX: Record<string, readonly Role[]> = {
  // view staged changes, products, batches, operations: everyone
  'GET /api/auth/session': ANY,
  'GET /api/sync/staged': ANY,
  'GET /api/sync/staged/:id': ANY,
  'GET /api/sync/batches': ANY,
  'GET /api/sync/batches/:id': ANY,
  'GET /api/sync/batches/:id/items.csv': ANY,
  'GET /api/sync/metrics': ANY,
  'GET /api/sync/recent-activity': ANY,
  'GET /api/operations': ANY,
  'GET /api/operations/:id': ANY,
  'GET /api/products': ANY,
  'GET /api/products/:id': ANY,
  // a product's history of applied changes is a view
  'GET /api/products/:id/history': ANY,
  // a product export (Shopify's CSV format) and its template are views of the products
  'GET /api/products/export.csv': ANY,
  'GET /api/products/template.csv': ANY,
  'GET /api/collections': ANY,
  'GET /api/collections/:id': ANY,
  'GET /api/collections/:id/products': ANY,
  'GET /api/stores': ANY,
  'GET /api/stores/:id': ANY,
  'GET /api/sync/auto-approval-rules': ANY,
  // field ownership: reading the rules and previewing what a rule would decide is a view; setting them is a store setting
  'GET /api/sync/ownership-rules': ANY,
  'GET /api/sync/ownership-rules/:id': ANY,
  'POST /api/sync/ownership-rules/preview': ANY,
  'GET /api/sync/auto-approval-rules/:id': ANY,
  'GET /api/sync/schedules': ANY,
  // edit a product locally, import a CSV: merchandiser, admin
  'PATCH /api/products/:id': MERCH_ADMIN,
  // products and variants made in the master, and products deleted there, are edits (staged for review)
  'POST /api/products': MERCH_ADMIN,
  'DELETE /api/products/:id': MERCH_ADMIN,
  'POST /api/products/:id/variants': MERCH_ADMIN,
  // a revert to a point in time stages local edits, as editing a product does
  'POST /api/products/:id/revert': MERCH_ADMIN,
  'POST /api/imports': MERCH_ADMIN,
  'GET /api/imports/:id': MERCH_ADMIN,
  // approve / reject / bulk / resolve: merchandiser, admin
  'POST /api/sync/staged/:id/approve': MERCH_ADMIN,
  'POST /api/sync/staged/:id/reject': MERCH_ADMIN,
  'POST /api/sync/staged/:id/unapprove': MERCH_ADMIN,
  'POST /api/sync/staged/:id/retry': MERCH_ADMIN,
  // a start and an end are part of approving; cancelling a window too (a scheduled push's cancel is admin's, checked per schedule)
  'POST /api/sync/staged/:id/schedule': MERCH_ADMIN,
  'POST /api/sync/schedules/:id/cancel': MERCH_ADMIN,
  'POST /api/sync/staged/bulk-approve': MERCH_ADMIN,
  'POST /api/sync/staged/bulk-reject': MERCH_ADMIN,
  // trigger pull, push, cancel an operation (and the seed's sync-down aliases): admin
  'POST /api/sync/shopify/pull': ADMIN,
  'POST /api/sync/schedules': ADMIN,
  'POST /api/sync/shopify/push': ADMIN,
  'GET /api/sync/shopify/push/summary': ADMIN,
  'POST /api/operations/:id/cancel': ADMIN,
  'POST /api/shopify/sync-down/start': ADMIN,
  'GET /api/shopify/sync-down/status/:id': ADMIN,
  'POST /api/shopify/sync-down/cancel/:id': ADMIN,
  // roll back a batch: admin, support
  'GET /api/sync/rollback/:id/preview': ROLLBACK,
  'POST /api/sync/rollback/:id': ROLLBACK,
  // restoring drifted rollback items over Shopify's current value: admin (it overwrites as a push does)
  'POST /api/sync/rollback/:id/restore-anyway': ADMIN,
  // store settings, webhook registration (rules, notification subscribers, the demo store): admin
  'POST /api/stores/:id/webhooks': ADMIN,
  'POST /api/stores': ADMIN,
  'DELETE /api/stores/:id': ADMIN,
  'POST /api/sync/auto-approval-rules': ADMIN,
  'PATCH /api/sync/auto-approval-rules/:id': ADMIN,
  'DELETE /api/sync/auto-approval-rules/:id': ADMIN,
  'POST /api/sync/ownership-rules': ADMIN,
  'PATCH /api/sync/ownership-rules/:id': ADMIN,
  'DELETE /api/sync/ownership-rules/:id': ADMIN,
  'POST /api/sync/ownership-rules/presets/:id/apply': ADMIN,
  'GET /api/sync/notification-subscribers': ADMIN,
  'POST /api/sync/notification-subscribers': ADMIN,
  'GET /api/sync/notification-subscribers/:id': ADMIN,
  'PATCH /api/sync/notification-subscribers/:id': ADMIN,
  'DELETE /api/sync/notification-subscribers/:id': ADMIN,
  'GET /api/sync/notification-subscribers/:id/attempts': ADMIN,
  'POST /api/sync/notification-subscribers/:id/test': ADMIN,
  'GET /api/demo/store-activity': ADMIN,
  'POST /api/demo/store-activity': ADMIN,
};

/** Routes without a user guard: sign-in and out, public health, HMAC-verified webhooks, the JSON 404. */
const PUBLIC = new Set(['POST /api/auth/session', 'DELETE /api/auth/session', 'GET /api/health', 'POST /api/webhooks/shopify']);

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';
const keyOf = (r: DiscoveredRoute) => `${r.method} ${r.path.replaceAll(SAMPLE_ID, ':id')}`;

let t: TestRuntime;
let routes: DiscoveredRoute[];
let guarded: DiscoveredRoute[];
let demoKey: Uint8Array;

beforeAll(async () => {
  t = await startTestRuntime();
  routes = (await discoverRoutes(SAMPLE_ID)).filter((r) => !r.file.includes('[...'));
  guarded = routes.filter((r) => !PUBLIC.has(keyOf(r)));
  const [row] = await t.runtime.db.select().from(appSecrets).where(eq(appSecrets.name, 'demo_jwt_secret'));
  demoKey = new TextEncoder().encode(row!.value);
});
afterAll(() => t?.stop());

function call(route: DiscoveredRoute, token: string | null) {
  return callRoute(route.handler, {
    method: route.method,
    path: route.path,
    params: route.params,
    token,
    body: route.method === 'GET' ? undefined : {},
  });
}

async function sign(claims: Record<string, unknown>, options: { exp?: number; key?: Uint8Array } = {}) {
  return new SignJWT({ aud: 'authenticated', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(DEMO_ISSUER)
    .setSubject('someone')
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '1h')
    .sign(options.key ?? demoKey);
}

describe('authorization matrix', () => {
  it('has a row for every API route, and a route for every row', () => {
    const found = new Set(routes.map(keyOf));
    expect(
      [...found].filter((k) => !PUBLIC.has(k) && !(k in MATRIX)),
      'routes missing from the table',
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((k) => !found.has(k)),
      'rows without a route',
    ).toEqual([]);
  });

  for (const role of ROLES) {
    it(`lets ${role} do exactly what DESIGN.md allows`, async () => {
      const token = await demoToken(role);
      const wrong: string[] = [];
      for (const route of guarded) {
        const allowed = MATRIX[keyOf(route)]?.includes(role) ?? false;
        const res = await call(route, token);
        const refused = res.status === 401 || res.status === 403;
        if (allowed ? refused : res.status !== 403 || res.body?.error?.code !== 'forbidden') {
          wrong.push(
            `${keyOf(route)}: ${role} ${allowed ? 'allowed' : 'refused'} by DESIGN.md, got ${res.status} ${JSON.stringify(res.body)}`,
          );
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it('answers 401 without a token, with a tampered, expired, wrongly signed, role-less, foreign-audience or endless token', async () => {
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
      otherAudience: await sign({ app_metadata: { role: 'admin' }, aud: 'another-project' }),
      neverExpires: await new SignJWT({ app_metadata: { role: 'admin' } })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(DEMO_ISSUER)
        .setAudience('authenticated')
        .setSubject('someone')
        .setIssuedAt()
        .sign(demoKey),
    };
    for (const route of guarded) {
      for (const [name, token] of Object.entries(tokens)) {
        const res = await call(route, token);
        expect.soft(res.status, `${route.method} ${route.path} with ${name} token`).toBe(401);
        expect.soft(res.body?.error?.code, `${name}`).toBe('unauthorized');
      }
    }
  });
});
