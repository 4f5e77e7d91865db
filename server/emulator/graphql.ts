import {
  type DocumentNode,
  type ExecutionResult,
  executeSync,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import { operationOf, operationsOf } from '../../lib/shopify/document';
import { loadAdminSchema } from '../../lib/shopify/schema';
import type { EmulatorContext } from './context';
import { compileBulkQuery } from './fast-execute';
import { mutationRoot } from './roots/mutation';
import { QueryRoot } from './roots/query';

const MAX_INPUT_ARRAY = 250;

function checkInputArrays(value: unknown, info: GraphQLResolveInfo, path: string): void {
  if (Array.isArray(value)) {
    if (value.length > MAX_INPUT_ARRAY) {
      throw new GraphQLError(`The input array size of ${value.length} is greater than the maximum allowed of ${MAX_INPUT_ARRAY}.`, {
        extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED', argumentName: path, maxInputSize: MAX_INPUT_ARRAY },
      });
    }
    for (const v of value) checkInputArrays(v, info, path);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkInputArrays(v, info, path ? `${path}.${k}` : k);
  }
}

/**
 * Every field reads the property of the same name on its parent (calling it when it is a method);
 * a field the emulator has no property for is an error naming it, never a silent null.
 */
const fieldResolver: GraphQLFieldResolver<unknown, EmulatorContext> = (source, args, ctx, info) => {
  if (info.path.prev === undefined && info.fieldName !== 'bulkOperationRunMutation') checkInputArrays(args, info, '');
  if (source !== null && typeof source === 'object' && info.fieldName in source) {
    const value = (source as Record<string, unknown>)[info.fieldName];
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).call(source, args, ctx, info) : value;
  }
  throw new GraphQLError(`Field '${info.parentType.name}.${info.fieldName}' is not emulated by the local Shopify emulator.`, {
    extensions: { code: 'NOT_EMULATED', typeName: info.parentType.name, fieldName: info.fieldName },
  });
};

const typeResolver: GraphQLTypeResolver<unknown, EmulatorContext> = (value) => (value as { __typename?: string }).__typename;

export interface PreparedDocument {
  document?: DocumentNode;
  errors?: ReadonlyArray<GraphQLError>;
  operation?: OperationDefinitionNode;
}

/** The real Admin schema executed on the emulator's state. */
export class AdminGraphQL {
  readonly schema: GraphQLSchema = loadAdminSchema();
  private readonly query = new QueryRoot();
  private readonly prepared = new Map<string, PreparedDocument>();

  /** Parses and validates once per distinct query text. */
  prepare(source: string, operationName?: string | null): PreparedDocument {
    const cacheKey = `${operationName ?? ''}\u0000${source}`;
    const hit = this.prepared.get(cacheKey);
    if (hit) return hit;
    let prepared: PreparedDocument;
    try {
      const document = parse(source);
      const errors = validate(this.schema, document);
      const ops = operationsOf(document);
      const operation = operationName ? operationOf(document, operationName) : ops.length === 1 ? ops[0] : undefined;
      if (errors.length) prepared = { errors };
      else if (!operation)
        prepared = {
          errors: [
            new GraphQLError(
              operationName
                ? `Unknown operation named "${operationName}".`
                : 'Must provide operation name if query contains multiple operations.',
            ),
          ],
        };
      else prepared = { document, operation };
    } catch (err) {
      prepared = { errors: [err instanceof GraphQLError ? err : new GraphQLError((err as Error).message)] };
    }
    if (this.prepared.size > 1000) this.prepared.clear();
    this.prepared.set(cacheKey, prepared);
    return prepared;
  }

  /** A bulk query compiled for the lean executor (validated documents without variables only). */
  compileBulk(document: DocumentNode): (ctx: EmulatorContext) => Record<string, unknown> {
    return compileBulkQuery(this.schema, document, this.query);
  }

  run(
    document: DocumentNode,
    variables: Record<string, unknown> | null | undefined,
    ctx: EmulatorContext,
    operationName?: string | null,
  ): ExecutionResult {
    const op = operationOf(document, operationName);
    return executeSync({
      schema: this.schema,
      document,
      rootValue: op?.operation === 'mutation' ? mutationRoot : this.query,
      contextValue: ctx,
      variableValues: variables ?? {},
      operationName: operationName ?? undefined,
      fieldResolver,
      typeResolver,
    });
  }
}
