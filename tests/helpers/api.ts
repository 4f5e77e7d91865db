import type { RouteHandler } from '../../server/http/route';
import { getRuntime } from '../../server/registry';

export interface CallOptions {
  method?: string;
  /** Path and query, e.g. /api/sync/staged?status=pending */
  path?: string;
  params?: Record<string, string | string[]>;
  body?: unknown;
  /** Raw body text, sent as is (for malformed JSON). */
  rawBody?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls a route handler module's export as Next would, with a real Request. */
export async function callRoute<T = any>(handler: RouteHandler, options: CallOptions = {}): Promise<CallResult<T>> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set('content-type', 'application/json');
  }
  const req = new Request(`http://localhost${options.path ?? '/api/test'}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const res = await handler(req, { params: Promise.resolve(options.params ?? {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** A demo token for one of the seeded users. */
export async function demoToken(role: 'merchandiser' | 'admin' | 'support'): Promise<string> {
  return getRuntime().verifier.signDemoToken(`demo-${role}`);
}
