import { cookies } from 'next/headers';
import type { Principal } from '../../lib/auth/permissions';
import { getRuntime, hasApp } from '../registry';
import { SESSION_COOKIE } from './tokens';

/** The signed-in principal for a server component, or null (no cookie, expired, tampered). */
export async function currentPrincipal(): Promise<Principal | null> {
  if (!hasApp()) return null;
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  try {
    return await getRuntime().verifier.verify(token);
  } catch {
    return null;
  }
}
