/**
 * The security headers of every answer. next.config.ts sets them on what Next serves; the
 * webhook fast path (server/ingest/webhooks/http.ts) answers before Next and sets the same ones from here.
 */
export interface HeaderEntry {
  key: string;
  value: string;
}

export const SECURITY_HEADERS: readonly HeaderEntry[] = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

/** API answers are data, never documents: nothing may run, load or frame them. */
export const API_HEADERS: readonly HeaderEntry[] = [
  { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" },
];

/** What Next adds to an answer under /api: the security headers, then the API ones. */
export function apiSecurityHeaders(): Record<string, string> {
  return Object.fromEntries([...SECURITY_HEADERS, ...API_HEADERS].map((h) => [h.key, h.value]));
}
