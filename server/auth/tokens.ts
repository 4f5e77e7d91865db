import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyOptions, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { appSecrets, users } from '../../drizzle/schema';
import { isRole, type Principal } from '../../lib/auth/permissions';
import type { Config } from '../../lib/env';
import { AppError, unauthorized } from '../../lib/errors';
import type { Db } from '../db/client';
import { DEMO_USERS } from './demo-users';

export const DEMO_ISSUER = 'catalog-sync-desk/demo';
export const SESSION_COOKIE = 'csd_session';
const DEMO_AUDIENCE = 'authenticated';
const DEMO_TOKEN_TTL = '12h';
/**
 * The longest a token may live (Supabase allows access tokens of up to a week). A token must say when
 * it was issued and when it expires; one issued in the future, or living longer than this, is refused.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 7 * 24 * 60 * 60;
const CLOCK_TOLERANCE_SECONDS = 30;
const LIFETIME_CHECKS = {
  requiredClaims: ['exp', 'iat', 'sub'],
  maxTokenAge: MAX_TOKEN_LIFETIME_SECONDS,
  clockTolerance: CLOCK_TOLERANCE_SECONDS,
} satisfies JWTVerifyOptions;

export interface VerifiedToken {
  principal: Principal;
  expiresAt: Date;
}

interface SupabaseClaims extends JWTPayload {
  email?: string;
  app_metadata?: { role?: unknown };
  user_metadata?: { full_name?: unknown; name?: unknown };
}

/**
 * Verifies bearer tokens: demo tokens (HS256, a secret the app generated and keeps in the database)
 * and Supabase access tokens (HS256 with SUPABASE_JWT_SECRET, or the project's JWKS). Every token
 * must name its audience (SUPABASE_JWT_AUDIENCE; a token of another project signed with a shared
 * secret is not ours), its issuer where one is known (the demo issuer, SUPABASE_URL/auth/v1), and
 * carry exp and iat within MAX_TOKEN_LIFETIME_SECONDS. The role comes from app_metadata.role; a token
 * without a known role is refused.
 */
export class TokenVerifier {
  private demoKey?: Uint8Array;
  private readonly supabaseKey?: Uint8Array;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly config: Config) {
    if (config.supabase.jwtSecret) this.supabaseKey = new TextEncoder().encode(config.supabase.jwtSecret);
    else if (config.supabase.url) {
      this.jwks = createRemoteJWKSet(new URL(`${config.supabase.url}/auth/v1/.well-known/jwks.json`));
    }
  }

  /** Loads (or creates, once for every process) the demo signing secret and seeds the demo users. */
  async init(db: Db): Promise<void> {
    if (!this.config.devAuth) return;
    await db
      .insert(appSecrets)
      .values({ name: 'demo_jwt_secret', value: randomBytes(32).toString('base64url') })
      .onConflictDoNothing();
    const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, 'demo_jwt_secret'));
    this.demoKey = new TextEncoder().encode(row!.value);
    for (const u of DEMO_USERS) {
      await db
        .insert(users)
        .values({ id: u.id, email: u.email, name: u.name, role: u.role, source: 'demo' })
        .onConflictDoUpdate({ target: users.id, set: { role: u.role, name: u.name, email: u.email, updatedAt: sql`now()` } });
    }
  }

  get demoEnabled(): boolean {
    return this.config.devAuth && this.demoKey !== undefined;
  }

  async signDemoToken(userId: string, ttl: string | number = DEMO_TOKEN_TTL): Promise<string> {
    const user = DEMO_USERS.find((u) => u.id === userId);
    if (!this.demoEnabled || !this.demoKey) throw new AppError('forbidden:demo_disabled', 'Demo sign-in is not enabled');
    if (!user) throw new AppError('not_found:demo_user', `No demo user ${userId}`);
    return new SignJWT({ email: user.email, name: user.name, app_metadata: { role: user.role } })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(DEMO_ISSUER)
      .setAudience(DEMO_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(ttl)
      .sign(this.demoKey);
  }

  /** Any failure is a 401 with a reason; never a 500. */
  async verify(token: string): Promise<Principal> {
    return (await this.verifyToken(token)).principal;
  }

  /** The principal and when its token expires (a session cookie and a socket live no longer). */
  async verifyToken(token: string): Promise<VerifiedToken> {
    if (token?.split('.').length !== 3) throw unauthorized('Malformed token');
    let payload: SupabaseClaims;
    let via: Principal['via'];
    try {
      const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { alg?: string };
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { iss?: string };
      if (claims.iss === DEMO_ISSUER) {
        if (!this.demoKey) throw unauthorized('Demo sign-in is not enabled');
        ({ payload } = await jwtVerify<SupabaseClaims>(token, this.demoKey, {
          ...LIFETIME_CHECKS,
          issuer: DEMO_ISSUER,
          audience: DEMO_AUDIENCE,
          algorithms: ['HS256'],
        }));
        via = 'demo';
      } else if (this.supabaseKey && header.alg === 'HS256') {
        ({ payload } = await jwtVerify<SupabaseClaims>(token, this.supabaseKey, { ...this.supabaseChecks(), algorithms: ['HS256'] }));
        via = 'supabase';
      } else if (this.jwks) {
        ({ payload } = await jwtVerify<SupabaseClaims>(token, this.jwks, this.supabaseChecks()));
        via = 'supabase';
      } else {
        throw unauthorized('Token is not signed by a key this server trusts');
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw unauthorized(reasonOf(err));
    }
    if (payload.exp! - payload.iat! > MAX_TOKEN_LIFETIME_SECONDS) throw unauthorized('Token lives longer than this server allows');
    const role = payload.app_metadata?.role;
    if (!isRole(role)) throw unauthorized('Token carries no role (app_metadata.role must be merchandiser, admin or support)');
    if (!payload.sub) throw unauthorized('Token has no subject');
    const name = payload.user_metadata?.full_name ?? payload.user_metadata?.name ?? (payload as { name?: unknown }).name;
    const principal: Principal = {
      id: payload.sub,
      email: typeof payload.email === 'string' ? payload.email : null,
      name: typeof name === 'string' ? name : null,
      role,
      via,
    };
    return { principal, expiresAt: new Date(payload.exp! * 1000) };
  }

  private supabaseChecks(): JWTVerifyOptions {
    const { audience, issuer } = this.config.supabase;
    return { ...LIFETIME_CHECKS, audience, ...(issuer ? { issuer } : {}) };
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'Token expired';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'Token signature is invalid';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `Token claim invalid: ${err.claim}`;
  if (err instanceof joseErrors.JOSEError) return `Token rejected (${err.code})`;
  return 'Malformed token';
}

/** Bearer header first, then the session cookie the sign-in page sets. */
export function tokenFromRequest(headers: Headers): { token: string; via: 'header' | 'cookie' } | null {
  const auth = headers.get('authorization');
  if (auth) {
    const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return match ? { token: match[1]!.trim(), via: 'header' } : { token: '', via: 'header' };
  }
  const cookie = readCookie(headers.get('cookie'), SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}
