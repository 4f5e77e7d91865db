import { SignJWT } from 'jose';

/**
 * Supabase-shaped tokens signed with a known HS256 secret, for the tests that check every claim is
 * verified: the secret alone must not make a token ours.
 */
export const FORGED_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const FORGED_SUPABASE_URL = 'https://project-a.supabase.co';
/** The settings under which `forgedToken()` with no overrides is a valid admin token. */
export const FORGED_ENV = { SUPABASE_JWT_SECRET: FORGED_SECRET, SUPABASE_URL: FORGED_SUPABASE_URL };

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Claims to override; null leaves the claim out. */
export interface TokenShape {
  aud?: string | null;
  iss?: string | null;
  iat?: number | null;
  exp?: number | null;
}

/** An admin token of our project (aud authenticated, our issuer, an hour to live) but for `shape`. */
export async function forgedToken(shape: TokenShape = {}): Promise<string> {
  const claims: Record<string, unknown> = { email: 'mallory@example.com', app_metadata: { role: 'admin' }, sub: 'mallory' };
  const defaults = { aud: 'authenticated', iss: `${FORGED_SUPABASE_URL}/auth/v1`, iat: nowSeconds(), exp: nowSeconds() + 3600 };
  for (const [k, v] of Object.entries({ ...defaults, ...shape })) if (v !== null) claims[k] = v;
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(FORGED_SECRET));
}
