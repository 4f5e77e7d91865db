/**
 * The browser's way to the HTTP API: JSON in and out, errors as ApiError with the server's
 * code and message (DESIGN.md's `{error: {code, message, details}}`).
 */

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The server could not be reached or answered without our error shape. */
  get unreachable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Raw body (a CSV file upload). */
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

/** The store the dashboard's switcher shows ('all' or a store id), sent with every request as `x-store-id`. */
let storeScope: string | null = null;

export function setStoreScope(scope: string | null): void {
  storeScope = scope;
}

/** The one store the switcher shows, for links that cannot send a header (downloads); none with "All stores". */
export function scopedStoreId(): string | undefined {
  return storeScope && storeScope !== 'all' ? storeScope : undefined;
}

export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...(storeScope ? { 'x-store-id': storeScope } : {}),
    ...options.headers,
  };
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'unreachable', 'The server cannot be reached. Check your connection; we will retry.');
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    throw new ApiError(
      res.status,
      error?.code ?? 'http_error',
      error?.message ?? `The server answered ${res.status} ${res.statusText}`,
      error?.details,
    );
  }
  return data as T;
}

/** Builds a query string from defined values only. */
export function qs(params: Record<string, string | number | boolean | null | undefined | string[]>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, v);
    else search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
