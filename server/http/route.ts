import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { type Action, can, deniedReason, type Principal } from '../../lib/auth/permissions';
import { AppError, zodDetails } from '../../lib/errors';
import { recordAudit } from '../audit/log';
import { tokenFromRequest } from '../auth/tokens';
import { type App, getApp } from '../registry';
import type { Runtime } from '../runtime';
import type { Services } from '../services';
import { requestSite } from './origin';
import { errorResponse, json, readJsonBody, toAppError } from './request';

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
  /** The process's long-lived services (pull, push, Shopify gateways...), built once at start. */
  services: Services;
  principal: Principal;
  body: B;
  query: Q;
  params: P;
  requestId: string;
  /**
   * The store the dashboard's store switcher has chosen (header `x-store-id`), for routes whose
   * query or body names none; undefined when it says "all" or nothing. A storeId in the query or
   * body always wins.
   */
  scopeStoreId: string | undefined;
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
    let app: App;
    try {
      app = getApp();
    } catch {
      return errorResponse(new AppError('unavailable', 'The server is starting or stopping; try again shortly'), requestId);
    }
    const { runtime, services } = app;
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
        services,
        principal,
        body,
        query,
        params,
        requestId,
        scopeStoreId: scopeOf(req.headers),
        audit: (record) => Object.assign(audit, record),
      });
      if (spec.audit) await writeAudit(runtime, principal, audit, requestId, 'ok');
      if (result instanceof Response) return result;
      return json(result ?? { ok: true }, spec.status ?? 200, { 'x-request-id': requestId });
    } catch (err) {
      const appError = toAppError(err, runtime.logger, requestId);
      if (spec.audit && principal && appError.status !== 401) {
        await writeAudit(runtime, principal, audit, requestId, appError.code).catch(() => {});
      }
      return errorResponse(appError, requestId);
    }
  };
  return Object.assign(guarded, { action: spec.action });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The switcher's store: a UUID, else none ("all", absent or not a UUID). */
function scopeOf(headers: Headers): string | undefined {
  const value = headers.get('x-store-id')?.trim();
  return value && UUID.test(value) ? value.toLowerCase() : undefined;
}

/** Bearer header or session cookie; cookie sessions must come from our own origin (CSRF). */
async function authenticate(req: Request, runtime: Runtime): Promise<Principal> {
  const found = tokenFromRequest(req.headers);
  if (!found) throw new AppError('unauthorized', 'Sign in required: send a bearer token or sign in');
  // A cookie-authenticated write must show it is ours: a request that says nothing is refused too.
  if (found.via === 'cookie' && !isSafeMethod(req.method) && requestSite(req.headers, runtime.config) !== 'same-origin') {
    throw new AppError('forbidden:cross_site', 'Cross-site request refused: send the request from the dashboard or with a bearer token');
  }
  return runtime.verifier.verify(found.token);
}

function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
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
  if (nul)
    throw new AppError('validation', `Invalid ${where}: ${nul}: text may not contain NUL characters`, [
      { path: nul, message: 'contains a NUL character' },
    ]);
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
