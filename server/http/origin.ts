import type { Config } from '../../lib/env';

/**
 * Where a request comes from, judged the same way for cookie-authenticated API writes, the sign-in
 * endpoint and the Socket.IO handshake. X-Forwarded-* headers are anyone's to send: they count only
 * with TRUST_PROXY (a reverse proxy in front that sets them).
 */

/** `unknown`: the request says nothing about its origin (a non-browser client, or a same-origin GET). */
export type RequestSite = 'same-origin' | 'cross-site' | 'unknown';

/** Reads one header: a fetch Headers object, or a Node request's header map. */
export interface HeaderSource {
  get(name: string): string | null;
}

type ProxyConfig = Pick<Config, 'TRUST_PROXY' | 'PUBLIC_URL'>;

export function nodeHeaders(headers: Record<string, string | string[] | undefined>): HeaderSource {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? (value[0] ?? null) : value;
    },
  };
}

/** The host the client asked for: the proxy's X-Forwarded-Host when trusted, else Host. */
export function requestHost(headers: HeaderSource, config: ProxyConfig): string | null {
  const forwarded = config.TRUST_PROXY ? headers.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  return forwarded || headers.get('host');
}

/** Whether the client reached us over https (through a trusted proxy that says so, or directly). */
export function requestIsHttps(url: string, headers: HeaderSource, config: ProxyConfig): boolean {
  if (config.TRUST_PROXY && headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') return true;
  return url.startsWith('https:');
}

/**
 * The client's address: the entry our trusted proxy appended to X-Forwarded-For (the last one;
 * earlier entries are the client's own say), else the socket's peer.
 */
export function clientAddress(headers: HeaderSource, peer: string | null | undefined, config: ProxyConfig): string | null {
  if (config.TRUST_PROXY) {
    const last = headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return peer ?? null;
}

/**
 * Sec-Fetch-Site when the browser sends it (it cannot be forged by a page), else the Origin header
 * compared with the host asked for and PUBLIC_URL. `Origin: null` (a sandboxed frame) is cross-site.
 */
export function requestSite(headers: HeaderSource, config: ProxyConfig): RequestSite {
  const fetchSite = headers.get('sec-fetch-site');
  if (fetchSite) return fetchSite === 'same-origin' ? 'same-origin' : fetchSite === 'none' ? 'unknown' : 'cross-site';
  const origin = headers.get('origin');
  if (!origin) return 'unknown';
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return 'cross-site';
  }
  if (config.PUBLIC_URL && url.origin === new URL(config.PUBLIC_URL).origin) return 'same-origin';
  return url.host === requestHost(headers, config) ? 'same-origin' : 'cross-site';
}
