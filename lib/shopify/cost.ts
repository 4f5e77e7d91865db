import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLIncludeDirective,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getDirectiveValues,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  Kind,
  type SelectionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';
import { fragmentsOf, operationOf } from './document';

/**
 * Shopify's published cost rules: scalars and enums 0, objects 1, a connection 2 plus `first`
 * (or `last`) times the cost of one node, a mutation field 10. Requested cost assumes every
 * page is full; actual cost counts the nodes really returned.
 */
export const MUTATION_COST = 10;
export const CONNECTION_BASE_COST = 2;

interface Ctx {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function context(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> = {}): Ctx {
  return { schema, fragments: fragmentsOf(document), variables };
}

/** Fields of a selection set with the type each is read from (fragments flattened). */
function collect(
  ctx: Ctx,
  set: SelectionSetNode,
  type: GraphQLCompositeType,
  out: Array<{ node: FieldNode; type: GraphQLCompositeType }> = [],
) {
  for (const sel of set.selections) {
    if (!included(ctx, sel)) continue;
    if (sel.kind === Kind.FIELD) out.push({ node: sel, type });
    else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const t = sel.typeCondition ? (ctx.schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType) : type;
      collect(ctx, sel.selectionSet, t ?? type, out);
    } else {
      const frag = ctx.fragments.get(sel.name.value);
      if (frag) collect(ctx, frag.selectionSet, (ctx.schema.getType(frag.typeCondition.name.value) as GraphQLCompositeType) ?? type, out);
    }
  }
  return out;
}

/** @include(if: false) and @skip(if: true) leave a selection out of the query, and out of its cost. */
function included(ctx: Ctx, sel: SelectionNode): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, sel, ctx.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, sel, ctx.variables)?.if !== false;
}

function fieldType(type: GraphQLCompositeType, name: string) {
  if (name === '__typename') return undefined;
  if (isObjectType(type) || isInterfaceType(type)) return type.getFields()[name]?.type;
  return undefined;
}

function argNumber(ctx: Ctx, node: FieldNode, name: string): number | undefined {
  const arg = node.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  const value = valueFromASTUntyped(arg.value, ctx.variables);
  return typeof value === 'number' ? value : undefined;
}

function isConnection(typeName: string): boolean {
  return typeName.endsWith('Connection');
}

/** Node selections of a connection: `nodes { … }` and `edges { node { … } }` merged. */
function nodeSelections(ctx: Ctx, node: FieldNode, connType: GraphQLCompositeType) {
  const fields: Array<{ node: FieldNode; type: GraphQLCompositeType }> = [];
  if (!node.selectionSet) return fields;
  for (const f of collect(ctx, node.selectionSet, connType)) {
    const t = fieldType(f.type, f.node.name.value);
    if (!t || !f.node.selectionSet) continue;
    if (f.node.name.value === 'nodes') fields.push({ node: f.node, type: getNamedType(t) as GraphQLCompositeType });
    if (f.node.name.value === 'edges') {
      const edgeType = getNamedType(t) as GraphQLCompositeType;
      for (const e of collect(ctx, f.node.selectionSet, edgeType)) {
        const nt = fieldType(edgeType, e.node.name.value);
        if (e.node.name.value === 'node' && nt && e.node.selectionSet)
          fields.push({ node: e.node, type: getNamedType(nt) as GraphQLCompositeType });
      }
    }
  }
  return fields;
}

function selectionCost(ctx: Ctx, set: SelectionSetNode | undefined, type: GraphQLCompositeType): number {
  if (!set) return 0;
  let total = 0;
  for (const f of collect(ctx, set, type)) total += fieldCost(ctx, f.node, f.type);
  return total;
}

function fieldCost(ctx: Ctx, node: FieldNode, parent: GraphQLCompositeType): number {
  const t = fieldType(parent, node.name.value);
  if (!t) return 0;
  const named = getNamedType(t);
  if (isLeafType(named)) return 0;
  if (isConnection(named.name)) {
    const size = argNumber(ctx, node, 'first') ?? argNumber(ctx, node, 'last') ?? 0;
    let perNode = 0;
    for (const n of nodeSelections(ctx, node, named as GraphQLCompositeType))
      perNode = Math.max(perNode, selectionCost(ctx, n.node.selectionSet, n.type));
    return CONNECTION_BASE_COST + size * (1 + perNode);
  }
  const child = isAbstractType(named) || isObjectType(named) ? selectionCost(ctx, node.selectionSet, named as GraphQLCompositeType) : 0;
  return 1 + child;
}

export function requestedQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables?: Record<string, unknown>,
  operationName?: string | null,
): number {
  const ctx = context(schema, document, variables);
  const op = operationOf(document, operationName);
  if (!op) return 0;
  if (op.operation === 'mutation') {
    return (
      collect(ctx, op.selectionSet, schema.getMutationType()!).filter((f) => f.node.name.value !== '__typename').length * MUTATION_COST
    );
  }
  return selectionCost(ctx, op.selectionSet, schema.getQueryType()!);
}

/** Cost of what was really returned: connections count their returned nodes. */
export function actualQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  data: Record<string, unknown> | null | undefined,
  variables?: Record<string, unknown>,
  operationName?: string | null,
): number {
  const ctx = context(schema, document, variables);
  const op = operationOf(document, operationName);
  if (!op || !data) return 0;
  if (op.operation === 'mutation') return requestedQueryCost(schema, document, variables, operationName);
  return actualSelection(ctx, op.selectionSet, schema.getQueryType()!, [data]);
}

function actualSelection(ctx: Ctx, set: SelectionSetNode | undefined, type: GraphQLCompositeType, values: unknown[]): number {
  if (!set) return 0;
  let total = 0;
  for (const f of collect(ctx, set, type)) {
    const t = fieldType(f.type, f.node.name.value);
    if (!t) continue;
    const named = getNamedType(t);
    if (isLeafType(named)) continue;
    const key = f.node.alias?.value ?? f.node.name.value;
    const children: unknown[] = [];
    for (const v of values) {
      if (!v || typeof v !== 'object') continue;
      const child = (v as Record<string, unknown>)[key];
      if (Array.isArray(child)) children.push(...child.filter((c) => c != null));
      else if (child != null) children.push(child);
    }
    if (isConnection(named.name)) {
      for (const conn of children) {
        total += CONNECTION_BASE_COST;
        const c = conn as { nodes?: unknown[]; edges?: Array<{ node?: unknown }> };
        const count = Math.max(c.nodes?.length ?? 0, c.edges?.length ?? 0);
        total += count;
        for (const n of nodeSelections(ctx, f.node, named as GraphQLCompositeType)) {
          const nodes = n.node.name.value === 'nodes' ? (c.nodes ?? []) : (c.edges ?? []).map((e) => e?.node);
          total += actualSelection(ctx, n.node.selectionSet, n.type, nodes);
        }
      }
    } else {
      total += children.length + actualSelection(ctx, f.node.selectionSet, named as GraphQLCompositeType, children);
    }
  }
  return total;
}
