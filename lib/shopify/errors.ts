/**
 * What the Shopify client throws. THROTTLED never reaches a caller: the client waits it out.
 * A caller decides per class: ShopifyUserError is final for that item, ShopifyRequestError with
 * `retryable` survived the client's own retries, ShopifyGraphQLError means the document or its
 * variables are wrong (or the field is not available), ShopifyBulkOperationError ends a bulk run.
 */

export interface ShopifyUserErrorEntry {
  field: string[] | null;
  code: string | null;
  message: string;
}

export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

export class ShopifyError extends Error {
  override name = 'ShopifyError';
}

export class ShopifyGraphQLError extends ShopifyError {
  override name = 'ShopifyGraphQLError';
  constructor(
    message: string,
    readonly errors: GraphQLErrorEntry[],
    readonly operation?: string,
  ) {
    super(message);
  }

  /** Shopify's error code (MAX_COST_EXCEEDED, ACCESS_DENIED...) of the first error that has one. */
  get code(): string | undefined {
    for (const e of this.errors) {
      const code = e.extensions?.code;
      if (typeof code === 'string') return code;
    }
    return undefined;
  }
}

export class ShopifyRequestError extends ShopifyError {
  override name = 'ShopifyRequestError';
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(message: string, options: { status?: number; retryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.retryable = options.retryable;
  }
}

export class ShopifyUserError extends ShopifyError {
  override name = 'ShopifyUserError';
  constructor(
    readonly operation: string,
    readonly userErrors: ShopifyUserErrorEntry[],
  ) {
    super(`${operation}: ${userErrors.map((e) => (e.field?.length ? `${e.field.join('.')}: ${e.message}` : e.message)).join('; ')}`);
  }

  /** The first error's code (CHANGE_FROM_QUANTITY_STALE, TAKEN...), when Shopify gives one. */
  get code(): string | undefined {
    return this.userErrors.find((e) => e.code)?.code ?? undefined;
  }
}

export class ShopifyBulkOperationError extends ShopifyError {
  override name = 'ShopifyBulkOperationError';
  constructor(
    message: string,
    readonly details: { operationId?: string; status?: string; errorCode?: string | null; userErrors?: ShopifyUserErrorEntry[] } = {},
  ) {
    super(message);
  }
}

/** Throws ShopifyUserError when a mutation payload reports userErrors. */
export function assertNoUserErrors(
  operation: string,
  payload: { userErrors?: Array<Partial<ShopifyUserErrorEntry>> | null } | null | undefined,
): void {
  const errors = payload?.userErrors ?? [];
  if (errors.length === 0) return;
  throw new ShopifyUserError(
    operation,
    errors.map((e) => ({ field: e.field ?? null, code: e.code ?? null, message: e.message ?? 'unknown error' })),
  );
}
