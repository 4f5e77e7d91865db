import { sql } from 'drizzle-orm';
import { users } from '../../drizzle/schema';
import type { Principal } from '../../lib/auth/permissions';
import { AppError } from '../../lib/errors';
import { recordAudit } from '../audit/log';
import type { Runtime } from '../runtime';
import { SESSION_COOKIE } from './tokens';

export type SignInRequest = { demoUser: string } | { accessToken: string };

/** Verifies the credentials, remembers the user and answers the token to keep in the session cookie. */
export async function signIn(runtime: Runtime, request: SignInRequest): Promise<{ principal: Principal; token: string; maxAge: number }> {
  let token: string;
  if ('demoUser' in request) {
    if (!runtime.verifier.demoEnabled) throw new AppError('forbidden:demo_disabled', 'Demo sign-in is not enabled on this server');
    token = await runtime.verifier.signDemoToken(request.demoUser);
  } else {
    token = request.accessToken;
  }
  const { principal, expiresAt } = await runtime.verifier.verifyToken(token);
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  await runtime.db
    .insert(users)
    .values({
      id: principal.id,
      email: principal.email,
      name: principal.name,
      role: principal.role,
      source: principal.via,
      lastSeenAt: new Date(),
    })
    .onConflictDoUpdate({
      target: users.id,
      set: { role: principal.role, email: principal.email, lastSeenAt: sql`now()`, updatedAt: sql`now()` },
    });
  await recordAudit(runtime.db, {
    actor: principal,
    action: 'auth.sign_in',
    entityType: 'user',
    entityId: principal.id,
    details: { via: principal.via },
  });
  return { principal, token, maxAge };
}

export function sessionCookie(token: string, maxAge: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAge}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
