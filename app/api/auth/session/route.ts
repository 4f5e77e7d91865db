import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { clearedSessionCookie, sessionCookie, signIn } from '@/server/auth/session';
import { tokenFromRequest } from '@/server/auth/tokens';
import { requestIsHttps, requestSite } from '@/server/http/origin';
import { errorResponse, json, readJsonBody, toAppError } from '@/server/http/request';
import { route } from '@/server/http/route';
import { getRuntime } from '@/server/registry';

export const dynamic = 'force-dynamic';

const signInSchema = z.union([
  z.object({ demoUser: z.string().min(1).max(100) }).strict(),
  z.object({ accessToken: z.string().min(10).max(8192) }).strict(),
]);

/** Who is signed in. */
export const GET = route({ action: 'view' }, async ({ principal }) => ({ user: principal }));

/** Sign in: a demo user (demo mode) or a Supabase access token; sets the session cookie. */
export async function POST(req: Request) {
  const requestId = crypto.randomUUID();
  try {
    const runtime = getRuntime();
    // Login CSRF: another site must not sign the browser in (as the attacker) behind the user's back.
    if (requestSite(req.headers, runtime.config) === 'cross-site') throw new AppError('forbidden:cross_site', 'Cross-site sign-in refused');
    const parsed = signInSchema.safeParse(await readJsonBody(req));
    if (!parsed.success) throw new AppError('validation', 'Send {"demoUser": id} or {"accessToken": token}');
    const { principal, token, maxAge } = await signIn(runtime, parsed.data);
    const secure = requestIsHttps(req.url, req.headers, runtime.config);
    return json({ user: principal, expiresIn: maxAge }, 200, { 'set-cookie': sessionCookie(token, maxAge, secure) });
  } catch (err) {
    return errorResponse(toAppError(err, undefined, requestId), requestId);
  }
}

/** Sign out: clears the cookie. Works without a valid session. */
export async function DELETE(req: Request) {
  const found = tokenFromRequest(req.headers);
  return json({ ok: true, hadSession: Boolean(found) }, 200, { 'set-cookie': clearedSessionCookie() });
}
