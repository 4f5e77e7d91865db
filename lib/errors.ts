/**
 * One error class for everything the API reports on purpose. The code's prefix
 * (before ':') decides the HTTP status, once, in `statusOf`.
 * Codes look like `not_found:batch`, `conflict:change_not_pending`, `bad_request:invalid_json`.
 */

export const errorStatus = {
  bad_request: 400,
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  insufficient_storage: 507,
} as const;

export type ErrorKind = keyof typeof errorStatus;
export type ErrorCode = ErrorKind | `${ErrorKind}:${string}`;

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const APP_ERROR = Symbol.for('catalog-sync-desk.AppError');

export class AppError extends Error {
  override name = 'AppError';
  readonly [APP_ERROR] = true;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): number {
    return statusOf(this.code);
  }

  toBody(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) },
    };
  }
}

/**
 * `instanceof` is not enough: Next bundles server code separately from the
 * custom server's module graph, so an AppError may come from another copy of this module.
 */
export function isAppError(value: unknown): value is AppError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[APP_ERROR] === true;
}

export function statusOf(code: string): number {
  const kind = code.split(':', 1)[0] as ErrorKind;
  return errorStatus[kind] ?? 500;
}

export const notFound = (what: string, id?: string) =>
  new AppError(`not_found:${what}`, id ? `No ${what.replace(/_/g, ' ')} with id ${id}` : `No such ${what.replace(/_/g, ' ')}`);

export const forbidden = (message = 'Your role does not allow this action') => new AppError('forbidden', message);

export const unauthorized = (message = 'Sign in required') => new AppError('unauthorized', message);

export const conflict = (what: string, message: string, details?: unknown) => new AppError(`conflict:${what}`, message, details);

/** Turns a zod error into the `details` list the API returns: one entry per failing path. */
export function zodDetails(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string }>) {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message, code: i.code }));
}
