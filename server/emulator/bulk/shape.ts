import { type DocumentNode, type GraphQLSchema, getNamedType, Kind, parse, TypeInfo, validate, visit, visitWithTypeInfo } from 'graphql';
import { operationOf } from '../../../lib/shopify/document';
import type { UserError } from '../mutations/common';

type Refused = { userErrors: UserError[] };

function refuse(field: string, message: string, code: string): Refused {
  return { userErrors: [{ field: [field], message, code }] };
}

/** Shopify's shape rules for a bulk query: 1 to 5 connections, nested at most two levels deep. */
function bulkQueryShape(schema: GraphQLSchema, document: DocumentNode): { connections: number; depth: number } {
  const typeInfo = new TypeInfo(schema);
  let connections = 0;
  let depth = 0;
  let current = 0;
  const isConnection = () => {
    const type = typeInfo.getType();
    return !!type && getNamedType(type).name.endsWith('Connection');
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter() {
          if (!isConnection()) return;
          connections += 1;
          current += 1;
          depth = Math.max(depth, current);
        },
        leave() {
          if (isConnection()) current -= 1;
        },
      },
    }),
  );
  return { connections, depth };
}

/** A bulk query as Shopify accepts it: valid, one top-level connection field (not node/nodes), the shape rules above. */
export function checkBulkQuery(schema: GraphQLSchema, query: string): { document: DocumentNode } | Refused {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (err) {
    return refuse('query', `Invalid bulk query: ${(err as Error).message}`, 'INVALID');
  }
  const errors = validate(schema, document);
  if (errors.length) return refuse('query', `Invalid bulk query: ${errors.map((e) => e.message).join('; ')}`, 'INVALID');
  const op = operationOf(document);
  const roots = op?.selectionSet.selections.filter((s) => s.kind === Kind.FIELD) ?? [];
  if (op?.operation !== 'query' || roots.length !== 1)
    return refuse('query', 'Bulk queries must contain exactly one top-level field.', 'INVALID');
  const rootName = roots[0]!.kind === Kind.FIELD ? roots[0]!.name.value : '';
  if (rootName === 'node' || rootName === 'nodes')
    return refuse('query', 'Bulk queries cannot contain a top level `node` or `nodes` field.', 'INVALID');
  const rootType = schema.getQueryType()!.getFields()[rootName]?.type.toString() ?? '';
  if (!rootType.includes('Connection')) return refuse('query', 'Bulk queries must contain at least one connection.', 'INVALID');
  const shape = bulkQueryShape(schema, document);
  if (shape.connections > 5) return refuse('query', 'Bulk queries cannot contain more than 5 connections.', 'INVALID');
  if (shape.depth > 2) return refuse('query', 'Bulk queries cannot contain connections nested more than 2 levels deep.', 'INVALID');
  return { document };
}

/** A bulk mutation: one valid mutation field, and a staged upload of JSONL variables, one line per call. */
export function checkBulkMutation(
  schema: GraphQLSchema,
  mutation: string,
  upload: Buffer | undefined,
): { document: DocumentNode; variables: Array<Record<string, unknown>> } | Refused {
  if (!upload) return refuse('stagedUploadPath', 'The staged upload file does not exist.', 'NO_SUCH_FILE');
  let document: DocumentNode;
  try {
    document = parse(mutation);
  } catch (err) {
    return refuse('mutation', `Invalid mutation: ${(err as Error).message}`, 'INVALID_MUTATION');
  }
  const errors = validate(schema, document);
  const op = operationOf(document);
  if (errors.length || !op || op.operation !== 'mutation' || op.selectionSet.selections.length !== 1) {
    const reason = errors.map((e) => e.message).join('; ') || 'exactly one mutation field is required';
    return refuse('mutation', `Invalid mutation: ${reason}`, 'INVALID_MUTATION');
  }
  const variables: Array<Record<string, unknown>> = [];
  for (const line of upload.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      variables.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return refuse('stagedUploadPath', 'The staged upload is not valid JSONL.', 'INVALID_STAGED_UPLOAD_FILE');
    }
  }
  return { document, variables };
}
