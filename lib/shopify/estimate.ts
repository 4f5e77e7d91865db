import { Kind, parse, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/**
 * A first guess of a document's requested cost by Shopify's published rules (object 1, scalar 0,
 * connection 2 + first x child, mutation 10), so the bucket can hold a request before it is sent.
 * The client corrects the guess per document with the requestedQueryCost Shopify reports.
 */
export function estimateQueryCost(document: string | DocumentNode, variables: Record<string, unknown> = {}): number {
  const doc = typeof document === 'string' ? parse(document) : document;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of doc.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  let total = 0;
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    if (def.operation === 'mutation') total += 10 * def.selectionSet.selections.length;
    else total += selectionCost(def.selectionSet, variables, fragments);
  }
  return Math.max(1, Math.ceil(total));
}

function selectionCost(set: SelectionSetNode, variables: Record<string, unknown>, fragments: Fragments): number {
  let cost = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) cost += fieldCost(sel, variables, fragments);
    else if (sel.kind === Kind.INLINE_FRAGMENT) cost += selectionCost(sel.selectionSet, variables, fragments);
    else {
      const fragment = fragments.get(sel.name.value);
      if (fragment) cost += selectionCost(fragment.selectionSet, variables, fragments);
    }
  }
  return cost;
}

function fieldCost(field: FieldNode, variables: Record<string, unknown>, fragments: Fragments): number {
  if (!field.selectionSet) return 0;
  const name = field.name.value;
  const child = selectionCost(field.selectionSet, variables, fragments);
  const ids = argument(field, 'ids', variables);
  if (Array.isArray(ids)) return ids.length * (1 + child);
  if (name === 'edges' || name === 'pageInfo') return child;
  if (name === 'node' || name === 'nodes') return 1 + child;
  const first = argument(field, 'first', variables) ?? argument(field, 'last', variables);
  if (typeof first === 'number') return 2 + first * child;
  return 1 + child;
}

function argument(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? valueOf(arg.value, variables) : undefined;
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
      return Number(node.value);
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, variables));
    default:
      return undefined;
  }
}
