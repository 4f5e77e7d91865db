import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { Args, EmulatorContext } from '../context';
import type { UserError } from './common';

/** The @idempotent(key:) directive on the mutation field; required for inventory writes since 2026-04. */
function idempotencyKey(info: GraphQLResolveInfo): string {
  const directive = info.fieldNodes[0]?.directives?.find((d) => d.name.value === 'idempotent');
  const arg = directive?.arguments?.find((a) => a.name.value === 'key');
  if (!arg) {
    throw new GraphQLError(
      `The @idempotent directive is required for ${info.fieldName}: add @idempotent(key: "<unique key>") to the field.`,
      {
        extensions: { code: 'IDEMPOTENCY_KEY_REQUIRED' },
      },
    );
  }
  const value =
    arg.value.kind === 'Variable'
      ? info.variableValues[arg.value.name.value]
      : arg.value.kind === 'StringValue'
        ? arg.value.value
        : undefined;
  if (typeof value !== 'string' || !value)
    throw new GraphQLError('The @idempotent key must be a non-empty string', { extensions: { code: 'IDEMPOTENCY_KEY_REQUIRED' } });
  return value;
}

/** Runs `apply` once per key: a repeat with the same input answers the first result without writing. */
export function onceFor(
  ctx: EmulatorContext,
  info: GraphQLResolveInfo,
  args: Args,
  apply: (key: string) => { userErrors: UserError[] } & Record<string, unknown>,
) {
  const key = idempotencyKey(info);
  const scoped = `${ctx.token}:${info.fieldName}:${key}`;
  const fingerprint = JSON.stringify(args);
  const seen = ctx.core.idempotency.get(scoped);
  if (seen) {
    if (seen.fingerprint !== fingerprint) {
      return {
        inventoryAdjustmentGroup: null,
        userErrors: [
          {
            field: ['input'],
            message: 'The same idempotency key was used with different parameters.',
            code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH',
          },
        ],
      };
    }
    return seen.result;
  }
  const result = apply(key);
  // Shopify keeps the key only for a request that got through; a rejected one may be retried as is.
  if (result.userErrors.length === 0) ctx.core.idempotency.set(scoped, { fingerprint, result });
  return result;
}
