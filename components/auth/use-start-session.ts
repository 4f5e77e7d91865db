'use client';

import { useRouter } from 'next/navigation';
import { ApiError, api } from '@/lib/api-client';

/**
 * Exchanges a credential (a demo user, or a Supabase access token) for the session cookie and opens
 * the review page. Answers the reason when the server refuses, null when signed in.
 */
export function useStartSession() {
  const router = useRouter();
  return async (credential: { demoUser: string } | { accessToken: string }): Promise<string | null> => {
    try {
      await api('/api/auth/session', { body: credential });
      router.replace('/review');
      router.refresh();
      return null;
    } catch (err) {
      return err instanceof ApiError ? err.message : 'Sign-in failed';
    }
  };
}
