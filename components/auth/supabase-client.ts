'use client';

import { createClient, type SupabaseClient } from '@supabase/supabase-js';

let client: { key: string; supabase: SupabaseClient } | undefined;

/**
 * The browser's one Supabase client per project: the sign-in form signs in with it, and the
 * dashboard keeps it alive so supabase-js refreshes the session it stored (components/auth/session-refresh.tsx).
 */
export function browserSupabase(url: string, anonKey: string): SupabaseClient {
  const key = `${url}\n${anonKey}`;
  if (client?.key !== key) client = { key, supabase: createClient(url, anonKey) };
  return client.supabase;
}
