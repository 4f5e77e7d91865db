import { AppError, isAppError } from '../../lib/errors';
import type { Logger } from '../logger';

/**
 * Reading requests and answering them, for route handlers and the webhook fast path alike:
 * bodies read under a cap, JSON answers, and any error mapped once to an AppError.
 */

const MAX_BODY_BYTES = 1024 * 1024;

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(data, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export function errorResponse(err: AppError, requestId?: string): Response {
  return json(err.toBody(), err.status, requestId ? { 'x-request-id': requestId } : undefined);
}

/**
 * A path whose percent-encoding does not decode (`/api/products/%ff%fe`): Next's routing would fail
 * on it with a bare 500, so the app server answers it first with this 400.
 */
export function malformedPathError(url: string | undefined): AppError | null {
  const q = url?.indexOf('?') ?? -1;
  try {
    decodeURIComponent(q === -1 ? (url ?? '') : url!.slice(0, q));
    return null;
  } catch {
    return new AppError('bad_request:malformed_path', 'The request path is not valid percent-encoded UTF-8');
  }
}

/** Reads the body with a size cap (413), then parses JSON (400). An empty body is `{}`. */
export async function readJsonBody(req: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readBodyText(req, maxBytes);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_request:invalid_json', 'Request body is not valid JSON');
  }
}

/** The raw body, read up to `maxBytes` without trusting Content-Length; past it, `tooLargeError` (a 413). */
export async function readBodyBytes(
  req: Request,
  maxBytes = MAX_BODY_BYTES,
  tooLargeError: (maxBytes: number) => AppError = tooLarge,
): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLargeError(maxBytes);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

async function readBodyText(req: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const bytes = await readBodyBytes(req, maxBytes);
  return new TextDecoder('utf-8').decode(bytes);
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `Request body exceeds ${Math.round(maxBytes / 1024)} KB`);
}

/** The SQLSTATE of a database error, looked up through wrappers (drizzle wraps the driver's error as `cause`). */
function sqlState(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Any error as the AppError to answer; what is not the request's fault is logged (never returned). */
export function toAppError(err: unknown, logger: Logger | undefined, requestId: string): AppError {
  if (isAppError(err)) return err;
  if (err instanceof SyntaxError) return new AppError('bad_request:invalid_json', 'Request body is not valid JSON');
  // Class 22 (data exception: bad uuid, out-of-range number, invalid byte sequence) comes from a value
  // the request carried that validation let through: the request is wrong, not the server.
  // Class 53 (disk full, out of memory, too many connections): the request was fine, the server could
  // not take it; the transaction rolled back, so nothing of it was kept.
  const state = sqlState(err);
  if (state === '53100') {
    logger?.error({ err, requestId }, 'database out of disk space');
    return new AppError(
      'insufficient_storage',
      'The database is out of disk space: nothing from this request was saved. Free space, then try again.',
    );
  }
  if (state?.startsWith('53')) {
    logger?.error({ err, requestId }, 'database out of resources');
    return new AppError(
      'unavailable:database_resources',
      'The database is out of resources: nothing from this request was saved. Try again shortly.',
    );
  }
  if (state?.startsWith('22')) {
    logger?.warn({ err, requestId }, 'request value refused by the database');
    return new AppError('bad_request:invalid_value', 'A value in the request is not valid for this field');
  }
  logger?.error({ err, requestId }, 'unhandled error in request');
  return new AppError('internal', `Internal error (request ${requestId}); the server log has the details`);
}
