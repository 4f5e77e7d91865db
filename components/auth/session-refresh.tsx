'use client';

import { useEffect } from 'react';
import { api } from '@/lib/api-client';
import { browserSupabase } from './supabase-client';

/**
 * Keeps the session cookie in step with Supabase: supabase-js refreshes the access token before it
 * expires, and each new token is posted to the sign-in endpoint, which sets the cookie again. A
 * reviewer working past the first token's expiry keeps the session (and the socket reconnects
 * with the new cookie when the old token's socket is dropped).
 */
export function SessionRefresh({ url, anonKey }: { url: string; anonKey: string }) {
  useEffect(() => {
    const supabase = browserSupabase(url, anonKey);
    const { data } = supabase.auth.onAuthStateChange((event, session) => {
      if (event !== 'TOKEN_REFRESHED' || !session) return;
      void api('/api/auth/session', { body: { accessToken: session.access_token } }).catch(() => {
        // The next refresh tries again; a request made with the expired cookie meanwhile says to sign in.
      });
    });
    return () => data.subscription.unsubscribe();
  }, [url, anonKey]);
  return null;
}
