import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { type Action, can, deniedReason, type Principal } from '../../lib/auth/permissions';
import { AppError, type ErrorBody, isAppError, zodDetails } from '../../lib/errors';
import { recordAudit } from '../audit/log';
import { tokenFromRequest } from '../auth/tokens';
import { getRuntime } from '../registry';
import type { Runtime } from '../runtime';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface AuditRecord {
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  storeId?: string | null;
  details?: Record<string, unknown>;
}

export interface RouteContext<B, Q, P> {
  req: Request;
  runtime: Runtime;
  principal: Principal;
  body: B;
  query: Q;
  params: P;
  requestId: string;
  /** Describe the change for the audit log (state-changing routes record one entry per request). */
  audit(record: Partial<AuditRecord>): void;
}

export interface RouteSpec<B, Q, P> {
  /** The permission of DESIGN.md's matrix this route needs. */
  action: Action;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** Audit action name; defaults to none for reads. Every non-GET route must name one. */
  audit?: string;
  maxBodyBytes?: number;
  /** 'raw': the handler reads the request itself (file uploads); the guard does not parse it. */
  bodyKind?: 'json' | 'raw';
  /** Status of a successful answer (default 200). */
  status?: number;
}

type NextParams = { params: Promise<Record<string, string | string[]>> };
export type RouteHandler = ((req: Request, ctx: NextParams) => Promise<Response>) & {
  /** The permission the route needs; tests walk every route file and check the matrix with it. */
  readonly action?: Action;
};

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(data, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export function errorResponse(err: AppError, requestId?: string): Response {
  return json(err.toBody(), err.status, requestId ? { 'x-request-id': requestId } : undefined);
}

/**
 * The one guard ladder for route handlers: authenticate -> authorize -> parse -> delegate -> respond.
 * Authorization comes before parsing so that a role that may not act learns only that (403).
 * Handlers return data (sent as JSON) or a Response.
 */
export function route<B = undefined, Q = Record<string, never>, P = Record<string, never>>(
  spec: RouteSpec<B, Q, P>,
  handler: (ctx: RouteContext<B, Q, P>) => Promise<unknown>,
): RouteHandler {
  const guarded = async (req: Request, nextCtx: NextParams): Promise<Response> => {
    const requestId = req.headers.get('x-request-id') ?? randomUUID();
    let runtime: Runtime;
    try {
      runtime = getRuntime();
    } catch {
      return errorResponse(new AppError('unavailable', 'The server is starting or stopping; try again shortly'), requestId);
    }
    let principal: Principal | undefined;
    const audit: AuditRecord = { action: spec.audit ?? '' };
    try {
      principal = await authenticate(req, runtime);
      if (!can(principal.role, spec.action)) throw new AppError('forbidden', deniedReason(principal.role, spec.action)!);
      const params = parseWith(spec.params, await nextCtx.params, 'params') as P;
      const query = parseWith(spec.query, Object.fromEntries(new URL(req.url).searchParams), 'query') as Q;
      // A write's body is always read under the cap and must be JSON, even where the route ignores it.
      const raw = isSafeMethod(req.method) || spec.bodyKind === 'raw' ? undefined : await readJsonBody(req, spec.maxBodyBytes);
      const body = spec.body ? (parseWith(spec.body, raw, 'body') as B) : (undefined as B);
      const result = await handler({
        req,
        runtime,
        principal,
        body,
        query,
        params,
        requestId,
        audit: (record) => Object.assign(audit, record),
      });
      if (spec.audit) await writeAudit(runtime, principal, audit, requestId, 'ok');
      if (result instanceof Response) return result;
      return json(result ?? { ok: true }, spec.status ?? 200, { 'x-request-id': requestId });
    } catch (err) {
      const appError = toAppError(err, runtime, requestId);
      if (spec.audit && principal && appError.status !== 401) {
        await writeAudit(runtime, principal, audit, requestId, appError.code).catch(() => {});
      }
      return errorResponse(appError, requestId);
    }
  };
  return Object.assign(guarded, { action: spec.action });
}

/** Bearer header or session cookie; cookie sessions must come from our own origin (CSRF). */
export async function authenticate(req: Request, runtime: Runtime): Promise<Principal> {
  const found = tokenFromRequest(req.headers);
  if (!found) throw new AppError('unauthorized', 'Sign in required: send a bearer token or sign in');
  if (found.via === 'cookie' && !isSafeMethod(req.method) && !sameOrigin(req)) {
    throw new AppError('forbidden:cross_site', 'Cross-site request refused: send the request from the dashboard or with a bearer token');
  }
  return runtime.verifier.verify(found.token);
}

function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/** A cookie-authenticated write must carry an Origin (or Sec-Fetch-Site) showing it is ours. */
function sameOrigin(req: Request): boolean {
  const site = req.headers.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = req.headers.get('origin');
  if (!origin) return false;
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Postgres text cannot hold NUL; refusing it here keeps it from reaching a query as a 500. */
function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(root)' : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return `${path}${path ? '.' : ''}(key)`;
    const found = findNul(v, `${path}${path ? '.' : ''}${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

function parseWith<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'body' | 'query' | 'params'): T | unknown {
  const nul = findNul(value, '');
  if (nul) throw new AppError('validation', `Invalid ${where}: ${nul}: text may not contain NUL characters`, [{ path: nul, message: 'contains a NUL character' }]);
  if (!schema) return value;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = zodDetails(parsed.error.issues);
  const first = details[0];
  throw new AppError(
    where === 'params' ? 'not_found:route_param' : 'validation',
    first ? `Invalid ${where}: ${first.path === '(root)' ? '' : `${first.path}: `}${first.message}` : `Invalid ${where}`,
    details,
  );
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
export async function readBodyBytes(req: Request, maxBytes = MAX_BODY_BYTES, tooLargeError: (maxBytes: number) => AppError = tooLarge): Promise<Uint8Array> {
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

export async function readBodyText(req: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
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

export function toAppError(err: unknown, runtime: Runtime | undefined, requestId: string): AppError {
  if (isAppError(err)) return err;
  if (err instanceof SyntaxError) return new AppError('bad_request:invalid_json', 'Request body is not valid JSON');
  // Class 22 (data exception: bad uuid, out-of-range number, invalid byte sequence) comes from a value
  // the request carried that validation let through: the request is wrong, not the server.
  // Class 53 (disk full, out of memory, too many connections): the request was fine, the server could
  // not take it; the transaction rolled back, so nothing of it was kept.
  const state = sqlState(err);
  if (state === '53100') {
    runtime?.logger.error({ err, requestId }, 'database out of disk space');
    return new AppError('insufficient_storage', 'The database is out of disk space: nothing from this request was saved. Free space, then try again.');
  }
  if (state?.startsWith('53')) {
    runtime?.logger.error({ err, requestId }, 'database out of resources');
    return new AppError('unavailable:database_resources', 'The database is out of resources: nothing from this request was saved. Try again shortly.');
  }
  if (state?.startsWith('22')) {
    runtime?.logger.warn({ err, requestId }, 'request value refused by the database');
    return new AppError('bad_request:invalid_value', 'A value in the request is not valid for this field');
  }
  runtime?.logger.error({ err, requestId }, 'unhandled error in request');
  return new AppError('internal', `Internal error (request ${requestId}); the server log has the details`);
}

async function writeAudit(runtime: Runtime, principal: Principal, record: AuditRecord, requestId: string, outcome: string) {
  await recordAudit(runtime.db, {
    actor: principal,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId,
    storeId: record.storeId,
    details: { ...record.details, outcome },
    requestId,
  });
}

export type { ErrorBody };
